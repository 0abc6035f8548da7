import Foundation
import GBCore

/// The one place every permission decision is made (分权分域, 按需共享、授权使用). Media routes, PTZ
/// commands, record queries, directory reads and edits, the sharing workflow and the audit log all
/// ask here, and every answer carries its reason.
public struct Authorizer: Sendable {
    public var policy: SharingPolicy

    public init(policy: SharingPolicy) {
        self.policy = policy
    }

    /// Decides whether `principal` may do `action` (to `camera`, for camera actions). `grants` is
    /// the grant index to consult; pass the live snapshot.
    public func authorize(_ principal: Principal, _ action: AccessAction, camera: CameraFacts? = nil,
                          grants: GrantIndex, context: AccessContext = AccessContext()) -> AccessDecision {
        if action == .readReference { return AccessDecision(.roleMay) }
        if principal.role == .auditor {
            // 审计员: reads the audit log, nothing else (code tables aside, which name no camera).
            return AccessDecision(action == .readAudit ? .roleMay : .roleMayNot)
        }
        if principal.isUpperPlatform, !upperPlatformMayAttempt(action) { return AccessDecision(.roleMayNot) }
        switch action {
        case .readAudit:
            return AccessDecision(.roleMayNot)
        case .readReference:
            return AccessDecision(.roleMay)
        case .readDirectory:
            return AccessDecision(.anyStaffMayRead)
        case .editCamera, .importDirectory:
            return directoryEdit(principal, camera: camera)
        case .managePlatforms:
            // The city's platform register and every stream's status: the bureau's, not a department's
            // (a department admin once overwrote others' platform records and read all streams).
            return AccessDecision([.systemAdmin, .dataBureauReviewer].contains(principal.role) ? .roleMay : .roleMayNot)
        case .manageDevice:
            return deviceAdministration(principal, device: camera)
        case .manageUsers:
            return AccessDecision(principal.role == .systemAdmin ? .systemAdministrator : .roleMayNot)
        case .requestShare:
            guard [.departmentAdmin, .departmentOperator, .dataBureauReviewer, .policeReviewer].contains(principal.role) else {
                return AccessDecision(.roleMayNot)
            }
            return AccessDecision(principal.department.isEmpty ? .noDepartment : .roleMay)
        case .reviewShare:
            // The system administrator reviews only the steps nobody else may answer without a conflict
            // (ApprovalRouting.mayReview: the bureau's step of a bureau request, the police step of a police one).
            return AccessDecision([.departmentAdmin, .dataBureauReviewer, .policeReviewer, .systemAdmin].contains(principal.role) ? .roleMay : .roleMayNot)
        case .revokeGrant:
            return AccessDecision([.systemAdmin, .departmentAdmin, .dataBureauReviewer].contains(principal.role) ? .roleMay : .roleMayNot)
        case .readAllRequests:
            return AccessDecision([.systemAdmin, .dataBureauReviewer, .policeReviewer].contains(principal.role) ? .roleMay : .roleMayNot)
        case .grantUpperPlatform:
            return upperPlatformGrant(principal, camera: camera)
        case .live, .playback, .download, .ptz, .clipRecording:
            guard let camera, let permission = action.permission else { return AccessDecision(.roleMayNot) }
            let decision = media(principal, permission, camera: camera, grants: grants, now: context.now, recordingFrom: context.recordingFrom)
            if decision.allowed, policy.purposeRequiredFor.contains(action),
               context.purpose.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                return AccessDecision(.purposeRequired, grantID: decision.grantID)
            }
            return decision
        }
    }

    private func directoryEdit(_ principal: Principal, camera: CameraFacts?) -> AccessDecision {
        switch principal.role {
        case .systemAdmin:
            return AccessDecision(.systemAdministrator)
        case .departmentAdmin, .departmentOperator:
            guard !principal.department.isEmpty else { return AccessDecision(.noDepartment) }
            guard let camera else { return AccessDecision(.roleMay) }
            guard camera.department == principal.department.code else { return AccessDecision(.otherDepartment) }
            guard principal.department.covers(division: camera.division) else { return AccessDecision(.outOfDivisionScope) }
            return AccessDecision(.ownDepartment)
        default:
            return AccessDecision(.roleMayNot)
        }
    }

    /// A device's SIP password (whoever sets it can register as the device), charset and catalog refresh:
    /// the bureau for every device, a department admin for its own department's filed devices in its scope.
    /// A device nobody filed belongs to no department.
    private func deviceAdministration(_ principal: Principal, device: CameraFacts?) -> AccessDecision {
        switch principal.role {
        case .systemAdmin:
            return AccessDecision(.systemAdministrator)
        case .dataBureauReviewer:
            return AccessDecision(.roleMay)
        case .departmentAdmin:
            guard !principal.department.isEmpty else { return AccessDecision(.noDepartment) }
            guard let device, device.department == principal.department.code else { return AccessDecision(.otherDepartment) }
            guard principal.department.covers(division: device.division) else { return AccessDecision(.outOfDivisionScope) }
            return AccessDecision(.ownDepartment)
        default:
            return AccessDecision(.roleMayNot)
        }
    }

    /// Video and device actions: own cameras in scope, then grants, then unconditional defaults.
    /// The role only matters for the auditor (handled above): everyone else sees what their
    /// department may see, administrators included.
    private func media(_ principal: Principal, _ permission: Permission, camera: CameraFacts, grants: GrantIndex, now: Date,
                       recordingFrom: Date?) -> AccessDecision {
        guard !principal.department.isEmpty else { return AccessDecision(.noDepartment) }
        let sameCode = camera.department == principal.department.code
        if sameCode && principal.department.covers(division: camera.division) {
            return AccessDecision(.ownDepartment)
        }
        guard camera.shareable else { return AccessDecision(.cameraNotShareable) }
        var fallback: DecisionReason? = nil
        var fallbackGrant: UUID? = nil
        func note(_ reason: DecisionReason, _ grant: UUID?) {
            // The most telling refusal wins: a grant lacking the permission says more than an old one.
            let order: [DecisionReason] = [.recordingBeforeGrant, .permissionNotGranted, .grantRevoked, .grantExpired, .grantNotYetValid,
                                           .outOfDivisionScope]
            if let current = fallback, let a = order.firstIndex(of: current), let b = order.firstIndex(of: reason), a <= b { return }
            fallback = reason
            fallbackGrant = grant
        }
        for grant in grants.grants(departmentCode: principal.department.code, camera: camera.code) {
            guard grant.grantee.division == principal.department.division else { note(.outOfDivisionScope, nil); continue }
            if grant.revokedAt != nil { note(.grantRevoked, grant.grantID); continue }
            if now >= grant.validUntil { note(.grantExpired, grant.grantID); continue }
            if now < grant.validFrom { note(.grantNotYetValid, grant.grantID); continue }
            guard grant.permissions.contains(permission) else { note(.permissionNotGranted, grant.grantID); continue }
            // A grant covers recordings made while it is valid: one issued today does not open last month's
            // footage (a grant can start in the past when earlier footage is what the request is for).
            if let recordingFrom, recordingFrom < grant.validFrom { note(.recordingBeforeGrant, grant.grantID); continue }
            return AccessDecision(.activeGrant, grantID: grant.grantID)
        }
        if principal.isUpperPlatform {
            // Its own default (the province's share of the city), never the staff's open access.
            if let reason = upperPlatformDefault(camera, permission) { return AccessDecision(reason) }
            return AccessDecision(fallback ?? .notForUpperPlatform, grantID: fallbackGrant)
        }
        if policy.unconditionalOpenAccess, camera.shareAttribute == .unconditional, camera.defaultPermissions.contains(permission) {
            return AccessDecision(.unconditionalDefault)
        }
        if let fallback { return AccessDecision(fallback, grantID: fallbackGrant) }
        if sameCode { return AccessDecision(.outOfDivisionScope) }
        if camera.shareAttribute == .notShared || camera.shareAttribute == nil { return AccessDecision(.notShared) }
        return AccessDecision(.noGrant)
    }
}
