import Fluent
import GBCore
import Sharing
import Vapor

/// `POST /api/v1/auth/login` (open), logout, me, password; user administration for administrators;
/// API keys of system accounts.
struct AuthRoutes: RouteCollection {
    let config: GBShareConfig

    struct LoginRequest: Content {
        var username: String
        var password: String
    }

    struct PasswordChange: Content {
        var oldPassword: String
        var newPassword: String
    }

    struct NewUser: Content {
        var username: String
        var displayName: String?
        var password: String
        var role: Role
        var departmentCode: String?
        var divisionScope: String?
    }

    struct StatedPurpose: Content {
        var purpose: String
    }

    struct NewAPIKey: Content {
        var label: String?
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.post("auth", "login", use: login)
    }

    func bootProtected(routes: any RoutesBuilder) {
        routes.post("auth", "logout", use: logout)
        routes.get("auth", "me", use: me)
        routes.post("auth", "password", use: changePassword)
        routes.put("auth", "session", "purpose", use: statePurpose)
        routes.get("users", use: listUsers)
        routes.post("users", use: createUser)
        routes.patch("users", ":username", use: updateUser)
        routes.post("users", ":username", "unlock", use: unlockUser)
        routes.put("users", ":username", "password", use: resetPassword)
        routes.post("users", ":username", "api-keys", use: issueAPIKey)
        routes.delete("api-keys", ":id", use: revokeAPIKey)
    }

    /// Every login and every failed login is on record, with the address it came from.
    func login(req: Request) async throws -> AuthService.Login {
        let body = try req.content.decode(LoginRequest.self)
        let username = String(body.username.prefix(128))
        let throttles = req.application.loginThrottles
        guard throttles.perAddress.hit(req.clientAddress) <= LoginThrottles.attemptsPerAddressPerMinute else {
            // Not audited row by row: a flood would otherwise fill the audit log (one line per minute is).
            if throttles.perAddress.count(req.clientAddress) == LoginThrottles.attemptsPerAddressPerMinute + 1 {
                try await req.application.sharing.audit.append(AuditDraft(actor: username, action: .loginFailed, clientAddress: req.clientAddress,
                                                                          result: .denied, detail: "too many attempts from this address"))
            }
            throw APIError(.tooManyRequests, "too_many_attempts", zh: "该地址登录尝试过多，请一分钟后再试",
                           en: "too many login attempts from this address; try again in a minute")
        }
        do {
            let login = try await AuthService(database: req.db, config: config).login(username: username, password: body.password,
                                                                                      unknownNames: throttles.unknownNames,
                                                                                      clientAddress: req.clientAddress)
            try await req.application.sharing.audit.append(AuditDraft(login.user.principal, .login, clientAddress: req.clientAddress))
            var answer = login
            answer.user = login.user.withAbilities(req.application.sharing.authorizer)
            return answer
        } catch let failure as AuthService.Failure {
            let reason = switch failure {
            case .invalidCredentials: "invalid credentials"
            case .locked: "account locked"
            case .disabled: "account disabled"
            case .notFromTerminal: "not from the account's registered terminals"
            default: "refused"
            }
            try await req.application.sharing.audit.append(AuditDraft(actor: username, action: .loginFailed, clientAddress: req.clientAddress,
                                                                      result: .denied, detail: reason))
            throw failure
        }
    }

    func logout(req: Request) async throws -> HTTPStatus {
        _ = try req.requireUser()
        if let bearer = req.headers.bearerAuthorization { try await AuthService(database: req.db, config: config).logout(token: bearer.token) }
        try await req.audit(.logout)
        return .noContent
    }

    func me(req: Request) async throws -> AuthenticatedUser {
        try req.requireUser().withAbilities(req.application.sharing.authorizer)
    }

    /// States the purpose of use for this login's live views (asked once per login; a view that
    /// states its own replaces it). Only a login has a session to remember it for: a system
    /// account's API key states it with every view.
    func statePurpose(req: Request) async throws -> AuthenticatedUser {
        var user = try req.requireUser()
        let purpose = ViewPurpose.cleaned(try req.content.decode(StatedPurpose.self).purpose)
        guard !purpose.isEmpty else {
            throw APIError(.badRequest, "purpose_required", zh: "请填写使用事由", en: "state the purpose (使用事由)")
        }
        guard let token = req.loginToken else {
            throw APIError(.badRequest, "no_login_session", zh: "API 密钥没有登录会话，请在每次调阅时填写事由",
                           en: "an API key has no login session; state the purpose with each view")
        }
        try await AuthService(database: req.db, config: config).rememberViewPurpose(purpose, token: token)
        user.viewPurpose = purpose
        return user.withAbilities(req.application.sharing.authorizer)
    }

    func changePassword(req: Request) async throws -> HTTPStatus {
        let user = try req.requireUser()
        let body = try req.content.decode(PasswordChange.self)
        try await AuthService(database: req.db, config: config).changePassword(userID: user.id, old: body.oldPassword, new: body.newPassword)
        return .noContent
    }

    func listUsers(req: Request) async throws -> [AuthenticatedUser] {
        try await req.authorize(.manageUsers)
        return try await AuthService(database: req.db, config: config).users()
    }

    func createUser(req: Request) async throws -> Response {
        try await req.authorize(.manageUsers)
        let body = try req.content.decode(NewUser.self)
        let created = try await AuthService(database: req.db, config: config).createUser(
            username: body.username, displayName: body.displayName ?? body.username, password: body.password, role: body.role,
            departmentCode: body.departmentCode ?? "", divisionScope: body.divisionScope ?? "")
        try await req.audit(.userCreated, target: "user:\(created.username)",
                            detail: "role=\(created.role.rawValue) department=\(created.departmentCode) division=\(created.divisionScope)")
        return try await created.encodeResponse(status: .created, for: req)
    }

    /// Role, department, division, display name, enabled: each decided by the authorizer and audited.
    func updateUser(req: Request) async throws -> AuthenticatedUser {
        try await req.authorize(.manageUsers)
        let username = req.parameters.get("username") ?? ""
        let change = try req.content.decode(AccountChange.self)
        let (user, summary) = try await AuthService(database: req.db, config: config).updateAccount(username: username, change: change)
        try await req.audit(.userChanged, target: "user:\(username)", detail: summary)
        return user
    }

    func unlockUser(req: Request) async throws -> HTTPStatus {
        try await req.authorize(.manageUsers)
        let username = req.parameters.get("username") ?? ""
        try await AuthService(database: req.db, config: config).unlock(username: username)
        try await req.audit(.userChanged, target: "user:\(username)", detail: "unlocked")
        return .noContent
    }

    struct NewPassword: Content { var password: String }

    func resetPassword(req: Request) async throws -> HTTPStatus {
        try await req.authorize(.manageUsers)
        let username = req.parameters.get("username") ?? ""
        let body = try req.content.decode(NewPassword.self)
        try await AuthService(database: req.db, config: config).resetPassword(username: username, to: body.password)
        try await req.audit(.userChanged, target: "user:\(username)", detail: "password reset")
        return .noContent
    }

    /// Issues an API key for a system account; the key is in this answer only.
    func issueAPIKey(req: Request) async throws -> Response {
        try await req.authorize(.manageUsers)
        let username = req.parameters.get("username") ?? ""
        let label = (try? req.content.decode(NewAPIKey.self))?.label ?? ""
        let issued = try await AuthService(database: req.db, config: config).issueAPIKey(username: username, label: label)
        try await req.audit(.apiKeyIssued, target: "user:\(username)", detail: "key=\(issued.prefix)… \(label)")
        return try await issued.encodeResponse(status: .created, for: req)
    }

    func revokeAPIKey(req: Request) async throws -> HTTPStatus {
        try await req.authorize(.manageUsers)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw APIError.notFound("API key") }
        let username = try await AuthService(database: req.db, config: config).revokeAPIKey(id: id)
        try await req.audit(.apiKeyRevoked, target: "user:\(username)", detail: "key=\(id)")
        return .noContent
    }
}
