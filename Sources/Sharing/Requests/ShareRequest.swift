import Foundation
import GBCore

/// Which cameras a request asks for: a list of codes, or a directory query resolved and frozen
/// when the first reviewer acts.
public struct CameraSelection: Sendable, Codable, Hashable {
    public var codes: [String]?
    public var query: SelectionQuery?

    public init(codes: [String]? = nil, query: SelectionQuery? = nil) {
        self.codes = codes
        self.query = query
    }
}

/// What a department asks for (按需共享): cameras, permissions, purpose, period.
public struct ShareRequestDraft: Sendable, Codable {
    public var selection: CameraSelection
    public var permissions: PermissionSet
    public var purpose: String
    public var validFrom: Date
    public var validUntil: Date

    public init(selection: CameraSelection, permissions: PermissionSet, purpose: String, validFrom: Date, validUntil: Date) {
        self.selection = selection
        self.permissions = permissions
        self.purpose = purpose
        self.validFrom = validFrom
        self.validUntil = validUntil
    }
}

public enum ReviewDecision: String, Sendable, Codable {
    case approve, reject
}

/// One reviewer's answer for some cameras at one step.
public struct ShareReview: Sendable, Codable, Hashable {
    public var step: ReviewStep
    public var reviewerID: UUID
    public var reviewer: String
    public var department: DepartmentRef
    public var decision: ReviewDecision
    public var cameras: [String]
    public var permissions: PermissionSet
    public var comment: String
    public var at: Date

    public init(step: ReviewStep, reviewerID: UUID, reviewer: String, department: DepartmentRef, decision: ReviewDecision,
                cameras: [String], permissions: PermissionSet, comment: String, at: Date) {
        self.step = step
        self.reviewerID = reviewerID
        self.reviewer = reviewer
        self.department = department
        self.decision = decision
        self.cameras = cameras
        self.permissions = permissions
        self.comment = comment
        self.at = at
    }
}

public struct ShareRequest: Sendable, Codable, Identifiable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case pending
        /// Every camera decided, all granted.
        case approved
        /// Every camera decided, some granted, some refused.
        case partial
        case rejected
        case withdrawn
    }

    public var id: UUID
    public var requesterID: UUID
    public var requester: String
    public var department: DepartmentRef
    public var selection: CameraSelection
    /// The resolved cameras; final once `frozen`.
    public var cameras: [String]
    public var frozen: Bool
    public var permissions: PermissionSet
    public var purpose: String
    public var validFrom: Date
    public var validUntil: Date
    public var status: Status
    public var createdAt: Date
    /// When the owning departments' answer is due; past it the request escalates to the data bureau.
    public var deadline: Date
    public var escalatedAt: Date?
    public var decidedAt: Date?
    public var reviews: [ShareReview]

    public func isOverdue(at now: Date) -> Bool { status == .pending && now > deadline }
}

/// A request with where each camera stands, as the API shows it.
public struct ShareRequestView: Sendable, Codable {
    public var request: ShareRequest
    public var cameras: [CameraOutcome]
    public var overdue: Bool
    public var grantIDs: [UUID]
    /// Whether the principal the view was made for may withdraw the request now (decided by the
    /// authorizer); absent where the view was made for nobody in particular.
    public var mayWithdraw: Bool?
}

public enum ShareRequestError: PublicError, Sendable, Equatable {
    case forbidden(DecisionReason, LocalizedText)
    case notFound(String)
    case invalid(LocalizedText)
    case tooManyCameras(Int)
    case notPending(ShareRequest.Status)

    public var message: LocalizedText {
        switch self {
        case .forbidden(_, let text), .invalid(let text): text
        case .notFound(let what): LocalizedText(zh: "找不到\(what)", en: "\(what) was not found")
        case .tooManyCameras(let cap): LocalizedText(zh: "一次申请最多\(cap)路摄像机，请缩小范围", en: "a request may name at most \(cap) cameras; narrow it down")
        case .notPending(let status): LocalizedText(zh: "申请已处理完毕（\(status.rawValue)）", en: "the request is no longer pending (\(status.rawValue))")
        }
    }

    public var kind: FailureKind {
        switch self {
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .invalid, .tooManyCameras: .invalid
        case .notPending: .conflict
        }
    }

    public var code: String {
        switch self {
        case .forbidden(let reason, _): reason.rawValue
        case .notFound: "not_found"
        case .invalid, .tooManyCameras: "bad_request"
        case .notPending: "not_pending"
        }
    }
}
