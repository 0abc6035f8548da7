import Foundation
import GBCore

/// Who must agree before another department sees a camera.
public enum ReviewStep: String, Codable, Sendable, CaseIterable, Comparable {
    /// The department that owns the camera (its department administrator).
    case owner
    /// 政数局 / 数据资源局.
    case dataBureau = "data_bureau"
    /// 公安.
    case police

    public var label: LocalizedText {
        switch self {
        case .owner: LocalizedText(zh: "摄像机所属部门", en: "owning department")
        case .dataBureau: LocalizedText(zh: "政数局", en: "data bureau")
        case .police: LocalizedText(zh: "公安", en: "police")
        }
    }

    public static func < (lhs: ReviewStep, rhs: ReviewStep) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// The sharing rules a city can tune: the approval chain per share attribute, deadlines, and when a
/// purpose must be stated. Part of the node's configuration (GBShareConfig.sharing).
public struct SharingPolicy: Codable, Sendable, Equatable {
    /// Steps for a camera of another department by share attribute ("0", "1", "2"). Unconditional
    /// cameras need none: they are granted at once (still recorded). Conditional: the owner answers,
    /// then the dual review of 001 (数据资源管理部门 + 公安, "双把关"). Not shared: only through the data
    /// bureau's coordination with the owner and the police.
    public var conditionalSteps: [ReviewStep] = [.owner, .dataBureau, .police]
    public var unconditionalSteps: [ReviewStep] = []
    public var notSharedSteps: [ReviewStep] = [.dataBureau, .owner, .police]
    /// Working days the owning department has to answer before the request escalates to the data bureau.
    public var ownerDeadlineWorkingDays = 5
    /// Unconditional cameras' default permissions without any request ("where policy allows").
    /// Off by default: a request is granted at once, so every department's use is still on record.
    public var unconditionalOpenAccess = false
    /// Actions for which a purpose (使用事由) must be given (002 section 14.7: every use of video is
    /// registered with its user and its reason). Live included: the console asks it once per login.
    public var purposeRequiredFor: [AccessAction] = [.live, .playback, .download]
    /// Longest grant period a request may ask for.
    public var maxGrantDays = 366
    /// How often expired grants are looked for (so their streams end within seconds).
    public var expirySweepSeconds = 1.0

    public init() {}

    public func steps(for attribute: ShareAttribute?) -> [ReviewStep] {
        switch attribute {
        case .unconditional: unconditionalSteps
        case .conditional: conditionalSteps
        case .notShared, nil: notSharedSteps
        }
    }
}

extension SharingPolicy {
    private enum CodingKeys: String, CodingKey {
        case conditionalSteps, unconditionalSteps, notSharedSteps, ownerDeadlineWorkingDays, unconditionalOpenAccess,
             purposeRequiredFor, maxGrantDays, expirySweepSeconds
    }

    /// A config file names only what it changes; every other rule keeps its default.
    public init(from decoder: any Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        conditionalSteps = try c.decodeIfPresent([ReviewStep].self, forKey: .conditionalSteps) ?? conditionalSteps
        unconditionalSteps = try c.decodeIfPresent([ReviewStep].self, forKey: .unconditionalSteps) ?? unconditionalSteps
        notSharedSteps = try c.decodeIfPresent([ReviewStep].self, forKey: .notSharedSteps) ?? notSharedSteps
        ownerDeadlineWorkingDays = try c.decodeIfPresent(Int.self, forKey: .ownerDeadlineWorkingDays) ?? ownerDeadlineWorkingDays
        unconditionalOpenAccess = try c.decodeIfPresent(Bool.self, forKey: .unconditionalOpenAccess) ?? unconditionalOpenAccess
        purposeRequiredFor = try c.decodeIfPresent([AccessAction].self, forKey: .purposeRequiredFor) ?? purposeRequiredFor
        maxGrantDays = try c.decodeIfPresent(Int.self, forKey: .maxGrantDays) ?? maxGrantDays
        expirySweepSeconds = try c.decodeIfPresent(Double.self, forKey: .expirySweepSeconds) ?? expirySweepSeconds
    }
}
