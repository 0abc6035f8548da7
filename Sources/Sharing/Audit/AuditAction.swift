/// What an audit entry records. Stable strings: auditors filter by them and the police log
/// system receives them.
public enum AuditAction: String, Codable, Sendable, CaseIterable {
    case login = "auth.login"
    case loginFailed = "auth.login_failed"
    case logout = "auth.logout"
    case tokenRejected = "auth.token_rejected"
    case userCreated = "auth.user_created"
    /// Role, department, division, display name or active flag changed; unlocked; password reset.
    case userChanged = "auth.user_changed"
    case apiKeyIssued = "auth.api_key_issued"
    case apiKeyRevoked = "auth.api_key_revoked"
    case accessChecked = "access.check"
    case accessDenied = "access.denied"
    case viewStart = "media.view_start"
    case viewStop = "media.view_stop"
    case playback = "media.playback"
    case download = "media.download"
    case clipRecording = "media.clip_recording"
    case ptz = "device.ptz"
    case recordQuery = "device.record_query"
    case directoryEdit = "directory.edit"
    case directoryImport = "directory.import"
    case platformEdit = "directory.platform_edit"
    case shareRequest = "share.request"
    case shareApprove = "share.approve"
    case shareReject = "share.reject"
    case shareWithdraw = "share.withdraw"
    case shareEscalate = "share.escalate"
    case grantIssued = "grant.issued"
    case grantRevoked = "grant.revoked"
    case grantExpired = "grant.expired"
    case streamCut = "media.stream_cut"
    case auditExport = "audit.export"
    case auditVerify = "audit.verify"
    /// An upper platform (the province) added, changed or removed.
    case upperPlatformEdit = "cascade.upper_platform_edit"
    /// An upper platform read our virtual catalog (actor `upper:<its SIP ID>`).
    case upperCatalogRead = "cascade.catalog_read"
    /// A camera's alarm sent up to an upper platform that subscribed to alarms (actor `upper:<its SIP ID>`).
    case upperAlarmSent = "cascade.alarm_sent"
}

/// How the attempt ended.
public enum AuditResult: String, Codable, Sendable, CaseIterable {
    case ok
    case denied
    case failed
}
