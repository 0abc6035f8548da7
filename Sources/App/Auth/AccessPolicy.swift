import Directory
import GBCore
import Sharing
import Vapor

/// The earlier synchronous entry point, kept for routes written against it (DeviceRoutes). It
/// decides through Sharing's `Authorizer` (the one decision function) but cannot write the refusal
/// to the audit log; new code uses `req.authorize(...)`, which does.
public enum AccessPolicy {
    public typealias Action = AccessAction

    public static func decide(_ user: AuthenticatedUser, _ action: AccessAction, camera: CameraRecord? = nil) -> AccessDecision {
        Authorizer(policy: SharingPolicy()).authorize(user.principal, action, camera: camera.map { CameraFacts(record: $0) }, grants: GrantIndex())
    }

    public static func require(_ user: AuthenticatedUser, _ action: AccessAction, camera: CameraRecord? = nil) throws {
        let decision = decide(user, action, camera: camera)
        guard decision.allowed else { throw APIError(.forbidden, decision.reason.rawValue, decision.message) }
    }
}
