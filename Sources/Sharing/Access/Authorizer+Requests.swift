import Foundation
import GBCore

extension Authorizer {
    /// Who may read a share request: the requesting department, an owner of one of its cameras (within
    /// its division), and whoever may read every request; never the auditor (who reads the audit log,
    /// not the requests). `cameras` are the request's cameras as routed.
    public func requestReading(_ principal: Principal, of request: ShareRequest, cameras: [CameraOutcome]) -> AccessDecision {
        if principal.role == .auditor { return AccessDecision(.roleMayNot) }
        if !principal.department.isEmpty, principal.department == request.department { return AccessDecision(.ownDepartment) }
        if authorize(principal, .readAllRequests, grants: GrantIndex()).allowed { return AccessDecision(.roleMay) }
        let owner = !principal.department.isEmpty
            && cameras.contains { $0.owner == principal.department.code && principal.department.covers(division: $0.division) }
        return AccessDecision(owner ? .ownDepartment : .otherDepartment)
    }

    /// Who may withdraw a share request: the person who made it, or an administrator of the requesting
    /// department (a colleague who left must not leave a request nobody can take back). Whether it is
    /// still pending is the request's state, not a permission, and is checked where it is withdrawn.
    public func withdrawal(_ principal: Principal, of request: ShareRequest) -> AccessDecision {
        if request.requesterID == principal.id { return AccessDecision(.ownDepartment) }
        if principal.role == .departmentAdmin, !principal.department.isEmpty, principal.department == request.department {
            return AccessDecision(.ownDepartment)
        }
        return AccessDecision(.otherDepartment)
    }
}
