import Directory
import GBCore

extension Authorizer {
    /// Whether an upper platform (the province) sees a camera in our virtual catalog. The rule of 004
    /// §3.3: the city's class-1 cameras that are shared without conditions are pushed to the provincial
    /// sharing platform; a camera with error-level findings or removed is not pushed. Grants to the
    /// upper (its pseudo-department `upper:<ID>`) add cameras and permissions beyond this default.
    public func upperPlatformSees(_ camera: CameraFacts) -> Bool {
        camera.shareable && camera.shareAttribute == .unconditional && camera.pointClass == "1"
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
