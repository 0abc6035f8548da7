import Crypto
import Directory
import Fluent
import Foundation
import GBCore
import SQLKit
import Vapor

/// Logins, tokens and lockout. Passwords are bcrypt hashes; tokens are random and stored hashed.
public struct AuthService: Sendable {
    let database: any Database
    let config: GBShareConfig

    public init(database: any Database, config: GBShareConfig) {
        self.database = database
        self.config = config
    }

    public struct Login: Content, Sendable {
        public var token: String
        public var expiresAt: Date
        public var user: AuthenticatedUser
    }

    public enum Failure: Error, Sendable {
        case invalidCredentials
        case locked(until: Date)
        case disabled
        case weakPassword(LocalizedText)
        case usernameTaken(String)
        case noSuchUser(String)
        /// The account is bound to its unit's terminals and the login came from elsewhere.
        case notFromTerminal(address: String)
        case invalidNetworks(String)
        /// The change would leave no active system administrator.
        case lastAdministrator
        /// An account was given a role no login may have (the upper platform's).
        case roleNotForAccounts(Role)
    }

    /// A hash to verify against when the user does not exist, so the answer takes as long either way.
    private static let decoyHash = (try? Bcrypt.hash("decoy-password-for-timing", cost: 12)) ?? ""

    /// Checks a password and issues a token.
    ///
    /// Lockout holds under concurrency: each attempt first takes a number (an atomic `failed_logins + 1`),
    /// and one numbered past the threshold is refused without a password check, so twenty parallel guesses
    /// get at most `lockoutThreshold` checks. User names that do not exist count in `unknownNames` and
    /// lock the same way, so "locked" does not tell an attacker that an account exists.
    public func login(username: String, password: String, unknownNames: KeyedThrottle? = nil, clientAddress: String = "",
                      now: Date = Date()) async throws -> Login {
        guard let user = try await UserModel.query(on: database).filter(\.$username == username).first() else {
            _ = try? Bcrypt.verify(password, created: Self.decoyHash)
            if let unknownNames {
                let attempts = unknownNames.hit(username, now: now)
                if attempts >= config.lockoutThreshold {
                    throw Failure.locked(until: unknownNames.windowEnd(username, now: now) ?? now)
                }
            }
            throw Failure.invalidCredentials
        }
        let userID = try user.requireID()
        if let until = user.lockedUntil {
            if until > now { throw Failure.locked(until: until) }
            // The lock ran out: counting starts afresh (the counter is not reset when locking, so that
            // attempts racing the lock cannot start a new count of their own).
            try await (try database.sql()).update(UserModel.schema).set("failed_logins", to: 0).set("locked_until", to: SQLLiteral.null)
                .where("id", .equal, userID).where("locked_until", .lessThanOrEqual, now).run()
        }
        let attempt = try await takeAttemptNumber(userID)
        if attempt > config.lockoutThreshold {
            throw Failure.locked(until: try await lock(userID, now: now))
        }
        guard try Bcrypt.verify(password, created: user.passwordHash) else {
            if attempt >= config.lockoutThreshold {
                throw Failure.locked(until: try await lock(userID, now: now))
            }
            throw Failure.invalidCredentials
        }
        // Only someone who knows the password learns that the account is disabled or bound elsewhere.
        guard user.isActive else { throw Failure.disabled }
        if let ranges = user.terminalRanges, !ranges.isEmpty, !ranges.contains(where: { $0.contains(clientAddress) }) {
            throw Failure.notFromTerminal(address: clientAddress)
        }
        try await (try database.sql()).update(UserModel.schema).set("failed_logins", to: 0).set("locked_until", to: SQLLiteral.null)
            .where("id", .equal, userID).run()
        let token = Self.newToken()
        let expires = now.addingTimeInterval(TimeInterval(config.tokenLifetimeSeconds))
        try await UserTokenModel(tokenHash: Self.hash(token), userID: userID, expiresAt: expires).save(on: database)
        user.failedLogins = 0
        user.lockedUntil = nil
        return Login(token: token, expiresAt: expires, user: try AuthenticatedUser(user))
    }

    /// Counts an attempt in the database itself and returns its number since the last success or lock.
    private func takeAttemptNumber(_ userID: UUID) async throws -> Int {
        struct Row: Decodable { let failed_logins: Int }
        let row = try await (try database.sql()).raw(
            "UPDATE \(ident: UserModel.schema) SET failed_logins = failed_logins + 1 WHERE id = \(bind: userID) RETURNING failed_logins")
            .first(decoding: Row.self)
        return row?.failed_logins ?? Int.max
    }

    /// Locks the account for `lockoutSeconds` from now; returns until when. The attempt count stays, so
    /// every attempt numbered past the threshold is refused until the lock runs out (see `login`).
    private func lock(_ userID: UUID, now: Date) async throws -> Date {
        let until = now.addingTimeInterval(TimeInterval(config.lockoutSeconds))
        try await (try database.sql()).update(UserModel.schema).set("locked_until", to: until).where("id", .equal, userID).run()
        return until
    }

    /// What a presented token turned out to be: refusals keep their reason for the audit log.
    public enum TokenCheck: Sendable {
        case valid(AuthenticatedUser)
        case unknown
        case expired(username: String)
        case locked(username: String)
        case disabled(username: String)
    }

    /// The user a bearer token belongs to, if the token is live and the user may still log in.
    public func user(forToken token: String, now: Date = Date()) async throws -> AuthenticatedUser? {
        if case .valid(let user) = try await check(token: token, now: now) { return user }
        return nil
    }

    public func check(token: String, now: Date = Date()) async throws -> TokenCheck {
        guard let stored = try await UserTokenModel.query(on: database).filter(\.$tokenHash == Self.hash(token))
            .with(\.$user).first() else { return .unknown }
        let user = stored.user
        guard stored.expiresAt > now else {
            try await stored.delete(on: database)
            return .expired(username: user.username)
        }
        // A locked or disabled account loses its running sessions too.
        if !user.isActive { return .disabled(username: user.username) }
        if let until = user.lockedUntil, until > now { return .locked(username: user.username) }
        var authenticated = try AuthenticatedUser(user)
        authenticated.viewPurpose = stored.viewPurpose
        return .valid(authenticated)
    }

    /// Remembers the purpose of use for the login behind `token` (its later live views carry it).
    public func rememberViewPurpose(_ purpose: String, token: String) async throws {
        try await (try database.sql()).update(UserTokenModel.schema).set("view_purpose", to: purpose)
            .where("token_hash", .equal, Self.hash(token)).run()
    }

    public func logout(token: String) async throws {
        try await UserTokenModel.query(on: database).filter(\.$tokenHash == Self.hash(token)).delete()
    }

    @discardableResult
    public func createUser(username: String, displayName: String, password: String, role: Role,
                           departmentCode: String = "", divisionScope: String = "") async throws -> AuthenticatedUser {
        guard Role.accountRoles.contains(role) else { throw Failure.roleNotForAccounts(role) }
        if let problem = PasswordPolicy.problem(password: password, username: username) { throw Failure.weakPassword(problem) }
        if try await UserModel.query(on: database).filter(\.$username == username).first() != nil {
            throw Failure.usernameTaken(username)
        }
        let model = UserModel(username: username, displayName: displayName.isEmpty ? username : displayName,
                              passwordHash: try Bcrypt.hash(password, cost: config.bcryptCost), role: role,
                              departmentCode: departmentCode, divisionScope: divisionScope)
        try await model.save(on: database)
        return try AuthenticatedUser(model)
    }

    public func changePassword(userID: UUID, old: String, new: String) async throws {
        guard let user = try await UserModel.find(userID, on: database) else { throw Failure.invalidCredentials }
        guard try Bcrypt.verify(old, created: user.passwordHash) else { throw Failure.invalidCredentials }
        if let problem = PasswordPolicy.problem(password: new, username: user.username) { throw Failure.weakPassword(problem) }
        user.passwordHash = try Bcrypt.hash(new, cost: config.bcryptCost)
        user.passwordChangedAt = Date()
        try await user.save(on: database)
        // Other sessions end when the password changes.
        try await UserTokenModel.query(on: database).filter(\.$user.$id == userID).delete()
    }

    public func users() async throws -> [AuthenticatedUser] {
        try await UserModel.query(on: database).sort(\.$username).all().map(AuthenticatedUser.init)
    }

    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

