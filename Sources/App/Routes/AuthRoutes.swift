import Fluent
import GBCore
import Vapor

/// `POST /api/v1/auth/login` (open), logout, me, password; user administration for administrators.
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

    func boot(routes: any RoutesBuilder) throws {
        routes.post("auth", "login", use: login)
    }

    func bootProtected(routes: any RoutesBuilder) {
        routes.post("auth", "logout", use: logout)
        routes.get("auth", "me", use: me)
        routes.post("auth", "password", use: changePassword)
        routes.get("users", use: listUsers)
        routes.post("users", use: createUser)
    }

    func login(req: Request) async throws -> AuthService.Login {
        let body = try req.content.decode(LoginRequest.self)
        return try await AuthService(database: req.db, config: config).login(username: body.username, password: body.password)
    }

    func logout(req: Request) async throws -> HTTPStatus {
        _ = try req.requireUser()
        if let bearer = req.headers.bearerAuthorization { try await AuthService(database: req.db, config: config).logout(token: bearer.token) }
        return .noContent
    }

    func me(req: Request) async throws -> AuthenticatedUser {
        try req.requireUser()
    }

    func changePassword(req: Request) async throws -> HTTPStatus {
        let user = try req.requireUser()
        let body = try req.content.decode(PasswordChange.self)
        try await AuthService(database: req.db, config: config).changePassword(userID: user.id, old: body.oldPassword, new: body.newPassword)
        return .noContent
    }

    func listUsers(req: Request) async throws -> [AuthenticatedUser] {
        try AccessPolicy.require(req.requireUser(), .manageUsers)
        return try await AuthService(database: req.db, config: config).users()
    }

    func createUser(req: Request) async throws -> Response {
        try AccessPolicy.require(req.requireUser(), .manageUsers)
        let body = try req.content.decode(NewUser.self)
        let created = try await AuthService(database: req.db, config: config).createUser(
            username: body.username, displayName: body.displayName ?? body.username, password: body.password, role: body.role,
            departmentCode: body.departmentCode ?? "", divisionScope: body.divisionScope ?? "")
        return try await created.encodeResponse(status: .created, for: req)
    }
}
