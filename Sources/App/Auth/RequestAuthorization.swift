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

    /// Asks Sharing's `authorize`; a refusal is audited and answered with 403 and its reason.
    @discardableResult
    func authorize(_ action: AccessAction, camera: CameraFacts? = nil, purpose: String = "") async throws -> AccessDecision {
        let principal = try principal
        do {
            return try await application.sharing.require(principal, action, camera: camera,
                                                         context: AccessContext(purpose: purpose, clientAddress: clientAddress))
        } catch {
            throw SharingAPIError.translate(error)
        }
    }

    /// Appends an audit entry for the logged-in user.
    @discardableResult
    func audit(_ action: AuditAction, camera: String = "", target: String = "", grantID: UUID? = nil, purpose: String = "",
               result: AuditResult = .ok, detail: String = "") async throws -> AuditEntry {
        try await application.sharing.audit.append(AuditDraft(principal, action, camera: camera, target: target, grantID: grantID,
                                                              purpose: purpose, clientAddress: clientAddress, result: result, detail: detail))
    }
}

/// Sharing's errors as API errors (Sharing knows nothing of HTTP).
enum SharingAPIError {
    static func translate(_ error: any Error) -> any Error {
        switch error {
        case let error as ShareRequestError:
            switch error {
            case .forbidden(let reason, let text): return APIError(.forbidden, reason.rawValue, text)
            case .notFound: return APIError(.notFound, "not_found", error.message)
            case .invalid, .tooManyCameras: return APIError(.badRequest, "bad_request", error.message)
            case .notPending: return APIError(.conflict, "not_pending", error.message)
            }
        case let error as AccessRefused:
            switch error {
            case .unknownCamera(let code): return APIError.notFound(code)
            case .refused(let decision): return APIError(.forbidden, decision.reason.rawValue, decision.message)
            }
        case let error as AuthService.APIKeyFailure:
            switch error {
            case .noSuchUser(let name): return APIError.notFound("user \(name)")
            case .notASystemAccount(let name):
                return APIError(.badRequest, "not_system_account", zh: "\(name)不是系统账号，不能持有API密钥", en: "\(name) is not a system account; only those hold API keys")
            case .noSuchKey: return APIError.notFound("API key")
            }
        default:
            return error
        }
    }

    /// Runs a Sharing call and turns its errors into API errors.
    static func run<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch { throw translate(error) }
    }
}
