import Fluent
import Foundation
import Sharing
import Vapor

/// Reads `Authorization: Bearer <token>` (a login token, or a system account's `gbk_` API key;
/// `X-API-Key: gbk_...` works too) and attaches the user. A token that is refused (unknown,
/// expired, of a locked or disabled account) is written to the audit log; the guard that follows
/// answers 401.
struct BearerUserAuthenticator: AsyncMiddleware {
    let config: GBShareConfig

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let presented = request.headers.bearerAuthorization?.token ?? request.headers.first(name: "X-API-Key")
        if let token = presented {
            let service = AuthService(database: request.db, config: config)
            let check = token.hasPrefix(AuthService.apiKeyPrefix)
                ? try await service.check(apiKey: token)
                : try await service.check(token: token)
            switch check {
            case .valid(let user):
                request.auth.login(user)
            case .unknown:
                // Anyone can send junk tokens; each once cost an audit row and a syslog line. The first
                // per address per minute is recorded; the rest are answered 401 without a record.
                let throttle = request.application.loginThrottles.junkTokens
                let count = throttle.hit(request.clientAddress)
                if count == 1 { try await request.auditRefusedToken(username: "", reason: "unknown token (first of this address this minute)") }
            case .expired(let username):
                try await request.auditRefusedToken(username: username, reason: "expired token")
            case .locked(let username):
                try await request.auditRefusedToken(username: username, reason: "account locked")
            case .disabled(let username):
                try await request.auditRefusedToken(username: username, reason: "account disabled or key revoked")
            }
        }
        return try await next.respond(to: request)
    }
}

extension Request {
    fileprivate func auditRefusedToken(username: String, reason: String) async throws {
        try await application.sharing.audit.append(AuditDraft(actor: username, action: .tokenRejected, target: "\(method) \(url.path)",
                                                              clientAddress: clientAddress, result: .denied, detail: reason))
    }
}
