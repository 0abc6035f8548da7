import Foundation
import GBCore

/// How much of a grant a principal may end. An owner lends its own cameras, not the others' in the
/// same grant: one owner of a three-department grant once revoked the whole of it.
public enum RevocationScope: Sendable, Equatable {
    /// The whole grant (system administrator, the data bureau over the grantee's division, the grantee
    /// department giving it up, an owner of every camera in it).
    case whole(DecisionReason)
    /// Only these cameras, the principal's department's own: the rest of the grant stays.
    case ownCameras([String])
    case refused(DecisionReason)
}

extension Authorizer {
    /// Decides how much of `grant` the principal may revoke. `facts` are the grant's cameras as filed
    /// (a camera missing from them belongs to nobody who could claim it).
    public func revocationScope(_ principal: Principal, of grant: Grant, facts: [String: CameraFacts]) -> RevocationScope {
        guard [.systemAdmin, .departmentAdmin, .dataBureauReviewer].contains(principal.role) else { return .refused(.roleMayNot) }
        if principal.role == .systemAdmin { return .whole(.systemAdministrator) }
        if principal.role == .dataBureauReviewer,
           principal.department.division.isEmpty || grant.grantee.division.hasPrefix(principal.department.division) {
            return .whole(.roleMay)
        }
        if !principal.department.isEmpty, principal.department == grant.grantee { return .whole(.ownDepartment) }
        let owned = Set(grant.cameraCodes.filter { code in
            guard let camera = facts[code], !principal.department.isEmpty else { return false }
            return camera.department == principal.department.code && principal.department.covers(division: camera.division)
        })
        if owned.isEmpty { return .refused(.otherDepartment) }
        // Owning every camera still in the grant is owning the grant; otherwise only one's own, which may
        // already all be out (revoking twice changes nothing).
        let open = grant.cameras.filter { $0.revokedAt == nil }.map(\.code)
        return open.allSatisfy(owned.contains) ? .whole(.ownDepartment) : .ownCameras(open.filter(owned.contains))
    }
}
