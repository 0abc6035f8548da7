import Foundation
import GBCore

extension Authorizer {
    /// The actions that name no camera, and what the console shows for each: what this principal may
    /// do at all. The console hides pages and buttons from this answer instead of re-deciding by role
    /// (its own copy of the rules once disagreed with the server's on division scopes).
    public static let abilityActions: [AccessAction] = [
        .readDirectory, .editCamera, .importDirectory, .managePlatforms, .manageDevice, .manageUsers, .readAudit,
        .requestShare, .reviewShare, .revokeGrant, .readAllRequests, .grantUpperPlatform,
    ]

    /// For each action: may the principal do it to something? Per-resource answers come with the
    /// resource (a camera's `mayEdit`); the server still decides every call.
    public func abilities(_ principal: Principal) -> [AccessAction: Bool] {
        Dictionary(uniqueKeysWithValues: Self.abilityActions.map { action in
            switch action {
            case .manageDevice:
                // Asked without a device the rule refuses a department admin (an unfiled device is
                // nobody's); at all, a department admin administers its own department's devices.
                (action, [.systemAdmin, .dataBureauReviewer].contains(principal.role)
                    || (principal.role == .departmentAdmin && !principal.department.isEmpty))
            default:
                (action, authorize(principal, action, grants: GrantIndex()).allowed)
            }
        })
    }
}
