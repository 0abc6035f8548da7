import Directory
import Foundation
import GBCore

extension Authorizer {
    /// Whether an upper platform (the province) sees a camera in our virtual catalog. The rule of 004
    /// §3.3: the city's class-1 cameras that are shared without conditions are pushed to the provincial
    /// sharing platform; a camera with error-level findings or removed is not pushed. Grants to the
    /// upper (its pseudo-department `upper:<ID>`) add cameras and permissions beyond this default.
    public func upperPlatformSees(_ camera: CameraFacts) -> Bool {
        camera.shareable && camera.shareAttribute == .unconditional && camera.pointClass == "1"
    }

    /// Whether an upper sees a camera in our virtual catalog at `now`: by its default, or because a grant
    /// naming it (its pseudo-department `upper:<ID>`) is in force for the camera, whatever permissions it
    /// gives. A camera no longer shareable is never pushed, granted or not.
    public func upperPlatformSees(_ camera: CameraFacts, upperID: String, grants: GrantIndex, now: Date) -> Bool {
        if upperPlatformSees(camera) { return true }
        guard camera.shareable else { return false }
        let department = Principal.upperPlatform(upperID).department
        return grants.grants(departmentCode: department.code, camera: camera.code).contains {
            $0.grantee == department && $0.revokedAt == nil && $0.validFrom <= now && now < $0.validUntil
        }
    }

    /// Who may share a camera with an upper platform beyond its default: the data bureau (it runs the
    /// cascade) for any shareable camera, a department administrator for its own department's cameras
    /// in its scope. Asked without a camera: may this principal grant anything to an upper at all.
    func upperPlatformGrant(_ principal: Principal, camera: CameraFacts?) -> AccessDecision {
        switch principal.role {
        case .systemAdmin, .dataBureauReviewer:
            if let camera, !camera.shareable { return AccessDecision(.cameraNotShareable) }
            return AccessDecision(principal.role == .systemAdmin ? .systemAdministrator : .roleMay)
        case .departmentAdmin:
            guard !principal.department.isEmpty else { return AccessDecision(.noDepartment) }
            guard let camera else { return AccessDecision(.roleMay) }
            guard camera.department == principal.department.code else { return AccessDecision(.otherDepartment) }
            guard principal.department.covers(division: camera.division) else { return AccessDecision(.outOfDivisionScope) }
            return AccessDecision(camera.shareable ? .ownDepartment : .cameraNotShareable)
        default:
            return AccessDecision(.roleMayNot)
        }
    }

    /// An upper platform acts only on video (live, playback, download, PTZ); it reads no directory,
    /// edits nothing and reviews nothing here.
    func upperPlatformMayAttempt(_ action: AccessAction) -> Bool {
        action.permission != nil
    }

    /// The default an upper platform has on a camera it sees without a grant: the camera's own default
    /// permissions (App.5), except PTZ, which moves a camera other people are watching and so always
    /// needs a grant naming the upper (the issue: "PTZ only where the upper's grant allows").
    func upperPlatformDefault(_ camera: CameraFacts, _ permission: Permission) -> DecisionReason? {
        guard upperPlatformSees(camera), permission != .ptz, permission != .clipRecording,
              camera.defaultPermissions.contains(permission) else { return nil }
        return .upperPlatformDefault
    }
}
