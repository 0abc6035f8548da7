import Foundation
import GBCore

/// Everything a principal may ask to do. Camera actions map one-to-one onto Appendix 5 permissions;
/// the rest are directory, sharing and audit work.
public enum AccessAction: String, Codable, Sendable, CaseIterable {
    // Media and device work on one camera (默认权限 1-5).
    case live
    case playback
    case download
    case ptz
    case clipRecording = "clip_recording"
    // Directory.
    /// Code tables (divisions, Appendix 5 dictionaries) and aggregate statistics: nothing that
    /// names a camera. Every role, the auditor included, needs them to read the screens.
    case readReference = "read_reference"
    case readDirectory = "read_directory"
    case editCamera = "edit_camera"
    case importDirectory = "import_directory"
    case managePlatforms = "manage_platforms"
    /// Administer one device (its SIP password, charset, catalog refresh): pass the device's directory record.
    case manageDevice = "manage_device"
    // Administration and oversight.
    case manageUsers = "manage_users"
    case readAudit = "read_audit"
    // Sharing workflow.
    case requestShare = "request_share"
    case reviewShare = "review_share"
    case revokeGrant = "revoke_grant"
    /// Every department's share requests, not only one's own or those waiting for one's review.
    case readAllRequests = "read_all_requests"
    /// Share a camera with an upper platform beyond its default (a grant naming `upper:<ID>`): more
    /// cameras, or PTZ. Pass the camera.
    case grantUpperPlatform = "grant_upper_platform"

    /// The Appendix 5 permission a camera action needs; nil for non-media actions.
    public var permission: Permission? {
        switch self {
        case .live: .live
        case .playback: .playback
        case .download: .download
        case .ptz: .ptz
        case .clipRecording: .clipRecording
        default: nil
        }
    }

    public static let mediaActions: [AccessAction] = [.live, .playback, .download, .ptz, .clipRecording]

    public init?(permission: Permission) {
        guard let action = Self.mediaActions.first(where: { $0.permission == permission }) else { return nil }
        self = action
    }

    public var label: LocalizedText {
        if let permission { return permission.label }
        switch self {
        case .readReference: return LocalizedText(zh: "查阅代码表和统计", en: "read code tables and statistics")
        case .readDirectory: return LocalizedText(zh: "查询资源目录", en: "read the directory")
        case .editCamera: return LocalizedText(zh: "编辑摄像机档案", en: "edit cameras")
        case .importDirectory: return LocalizedText(zh: "导入资源目录", en: "import the directory")
        case .managePlatforms: return LocalizedText(zh: "管理平台", en: "manage platforms")
        case .manageDevice: return LocalizedText(zh: "管理设备接入", en: "administer a device")
        case .manageUsers: return LocalizedText(zh: "管理用户", en: "manage users")
        case .readAudit: return LocalizedText(zh: "查阅审计日志", en: "read the audit log")
        case .requestShare: return LocalizedText(zh: "申请共享", en: "request sharing")
        case .reviewShare: return LocalizedText(zh: "审批共享申请", en: "review share requests")
        case .revokeGrant: return LocalizedText(zh: "撤销授权", en: "revoke grants")
        case .readAllRequests: return LocalizedText(zh: "查看全部共享申请", en: "see every share request")
        case .grantUpperPlatform: return LocalizedText(zh: "向上级平台授权摄像机", en: "grant cameras to an upper platform")
        default: return LocalizedText(zh: rawValue, en: rawValue)
        }
    }
}

/// Why a decision came out as it did: a stable code for tests, logs and the audit log, and a
/// sentence for people.
public enum DecisionReason: String, Codable, Sendable, CaseIterable {
    // Allowed.
    case systemAdministrator = "system_administrator"
    case anyStaffMayRead = "any_staff_may_read"
    case ownDepartment = "own_department"
    case activeGrant = "active_grant"
    case unconditionalDefault = "unconditional_default"
    case upperPlatformDefault = "upper_platform_default"
    case roleMay = "role_may"
    // Denied.
    case roleMayNot = "role_may_not"
    case noDepartment = "no_department"
    case outOfDivisionScope = "out_of_division_scope"
    case otherDepartment = "other_department"
    case noGrant = "no_grant"
    case grantExpired = "grant_expired"
    case grantNotYetValid = "grant_not_yet_valid"
    case grantRevoked = "grant_revoked"
    case permissionNotGranted = "permission_not_granted"
    case notShared = "not_shared"
    case cameraNotShareable = "camera_not_shareable"
    case purposeRequired = "purpose_required"
    case recordingBeforeGrant = "recording_before_grant"
    case notForUpperPlatform = "not_for_upper_platform"

    public var allows: Bool {
        switch self {
        case .systemAdministrator, .anyStaffMayRead, .ownDepartment, .activeGrant, .unconditionalDefault, .upperPlatformDefault, .roleMay: true
        default: false
        }
    }

    public var text: LocalizedText {
        switch self {
        case .systemAdministrator: LocalizedText(zh: "系统管理员", en: "system administrator")
        case .anyStaffMayRead: LocalizedText(zh: "工作人员可查询资源目录", en: "staff may search the directory")
        case .ownDepartment: LocalizedText(zh: "本部门、本区划的摄像机", en: "a camera of your own department and division")
        case .activeGrant: LocalizedText(zh: "依据有效的共享授权", en: "under an active sharing grant")
        case .unconditionalDefault: LocalizedText(zh: "无条件共享摄像机的默认权限", en: "a default permission of an unconditionally shared camera")
        case .upperPlatformDefault: LocalizedText(zh: "推送上级平台的一类点无条件共享摄像机", en: "a class-1 unconditionally shared camera pushed to the upper platform")
        case .roleMay: LocalizedText(zh: "您的角色可执行此操作", en: "your role may do this")
        case .roleMayNot: LocalizedText(zh: "您的角色不能执行此操作", en: "your role may not do this")
        case .noDepartment: LocalizedText(zh: "您的账号未归属任何部门，不能调阅视频：请系统管理员在“用户管理”中为您的账号设置所属部门，或改用部门账号登录",
                                          en: "your account belongs to no department and cannot use video: ask a system administrator to set your department (Users page), or log in with a department's account")
        case .outOfDivisionScope: LocalizedText(zh: "摄像机不在您的管辖区划内", en: "the camera is outside your division scope")
        case .otherDepartment: LocalizedText(zh: "只能处理本部门的事务", en: "only your own department's matters")
        case .noGrant: LocalizedText(zh: "本部门没有该摄像机的共享授权，请先提交共享申请", en: "your department has no grant for this camera; request it first")
        case .grantExpired: LocalizedText(zh: "共享授权已过期", en: "the sharing grant has expired")
        case .grantNotYetValid: LocalizedText(zh: "共享授权尚未生效", en: "the sharing grant is not yet valid")
        case .grantRevoked: LocalizedText(zh: "共享授权已被撤销", en: "the sharing grant was revoked")
        case .permissionNotGranted: LocalizedText(zh: "授权不包含此项权限", en: "the grant does not include this permission")
        case .notShared: LocalizedText(zh: "该摄像机不予共享，须经政数局协调", en: "the camera is not shared; only the data bureau can coordinate access")
        case .cameraNotShareable: LocalizedText(zh: "摄像机档案存在错误或已拆除，暂不共享", en: "the camera's record has errors or it was removed; it is not shared until fixed")
        case .purposeRequired: LocalizedText(zh: "请填写使用事由", en: "state the purpose (使用事由)")
        case .recordingBeforeGrant: LocalizedText(zh: "授权只覆盖其生效之后的录像；调阅更早的录像需申请起始时间更早的授权",
                                                  en: "a grant covers recordings from its start on; for earlier footage request a grant that starts earlier")
        case .notForUpperPlatform: LocalizedText(zh: "该摄像机未推送给此上级平台（仅一类点、无条件共享且档案无误的摄像机默认推送；云台控制须另行授权）",
                                                 en: "this camera is not pushed to this upper platform (by default only class-1 cameras shared without conditions and without record errors; PTZ needs a grant)")
        }
    }
}

/// The answer of `authorize`: allowed or not, why, and under which grant.
public struct AccessDecision: Sendable, Codable, Equatable {
    public var allowed: Bool
    public var reason: DecisionReason
    public var message: LocalizedText
    public var grantID: UUID?

    public init(_ reason: DecisionReason, grantID: UUID? = nil, detail: LocalizedText? = nil) {
        self.allowed = reason.allows
        self.reason = reason
        self.message = detail ?? reason.text
        self.grantID = grantID
    }
}

/// What comes with a request besides who and what: the time, the stated purpose (使用事由) and,
/// for downloads, where the file goes.
public struct AccessContext: Sendable {
    public var now: Date
    public var purpose: String
    public var destination: String
    public var clientAddress: String
    /// For a playback or download: where the recording starts. A grant covers recordings made while it
    /// is valid, not before (see `DecisionReason.recordingBeforeGrant`).
    public var recordingFrom: Date?

    public init(now: Date = Date(), purpose: String = "", destination: String = "", clientAddress: String = "", recordingFrom: Date? = nil) {
        self.now = now
        self.purpose = purpose
        self.destination = destination
        self.clientAddress = clientAddress
        self.recordingFrom = recordingFrom
    }
}
