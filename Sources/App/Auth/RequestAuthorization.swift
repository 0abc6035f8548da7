import Directory
import Foundation
import GBCore
import Sharing
import Vapor

extension Application {
    private struct SharingKey: StorageKey { typealias Value = SharingService }

    /// The node's sharing service: the permission check, the workflow and the audit log.
    public var sharing: SharingService {
        get {
            guard let service = storage[SharingKey.self] else { fatalError("Sharing is not configured: call configure(_:config:) first") }
            return service
        }
        set { storage[SharingKey.self] = newValue }
    }
}

/// When the application stops, anchors the audit entries this process appended (an import, a user
/// added, a login), so that cutting them off shows; a command that only read writes nothing.
/// This is not a background job: the server's sweeps and periodic anchors are `SharingJobs`.
struct AuditAnchorAtShutdown: LifecycleHandler {
    func shutdownAsync(_ application: Application) async {
        await application.sharing.audit.anchorIfAppended()
    }
}

extension Request {
    /// The address the request came from (the socket's peer; a proxy in front is recorded as itself).
    var clientAddress: String { remoteAddress?.ipAddress ?? "" }

    var principal: Principal { get throws { try requireUser().principal } }

    /// The login token the request came with, if it came with one (not a system account's API key).
    var loginToken: String? {
        guard let token = headers.bearerAuthorization?.token, !token.hasPrefix(AuthService.apiKeyPrefix) else { return nil }
        return token
    }

    /// Asks Sharing's `authorize`; a refusal is audited and answered with 403 and its reason.
    @discardableResult
    func authorize(_ action: AccessAction, camera: CameraFacts? = nil, purpose: String = "") async throws -> AccessDecision {
        let principal = try principal
        return try await application.sharing.require(principal, action, camera: camera,
                                                     context: AccessContext(purpose: purpose, clientAddress: clientAddress))
    }

    /// Appends an audit entry for the logged-in user.
    @discardableResult
    func audit(_ action: AuditAction, camera: String = "", target: String = "", grantID: UUID? = nil, purpose: String = "",
               result: AuditResult = .ok, detail: String = "") async throws -> AuditEntry {
        try await application.sharing.audit.append(AuditDraft(principal, action, camera: camera, target: target, grantID: grantID,
                                                              purpose: purpose, clientAddress: clientAddress, result: result, detail: detail))
    }
}
