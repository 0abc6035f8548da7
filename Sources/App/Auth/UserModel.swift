import Fluent
import Foundation
import Vapor

/// A person (or a department application's system account) who logs in. The department and the
/// division scope are where the user acts (分权分域); the sharing rules read them.
final class UserModel: Model, @unchecked Sendable {
    // Fluent models are reference types with property wrappers; Fluent documents them as used by one
    // task at a time, which is how every route here uses them.
    static let schema = "users"

    @ID(key: .id) var id: UUID?
    @Field(key: "username") var username: String
    @Field(key: "display_name") var displayName: String
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "role") var role: String
    @Field(key: "department_code") var departmentCode: String
    @Field(key: "division_scope") var divisionScope: String
    @Field(key: "is_active") var isActive: Bool
    @Field(key: "failed_logins") var failedLogins: Int
    @OptionalField(key: "locked_until") var lockedUntil: Date?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "password_changed_at") var passwordChangedAt: Date
    /// The unit's registered terminals this account may log in from (CIDR ranges, comma-separated);
    /// nil or empty: anywhere.
    @OptionalField(key: "allowed_networks") var allowedNetworks: String?

    init() {}

    init(username: String, displayName: String, passwordHash: String, role: Role, departmentCode: String, divisionScope: String) {
        self.username = username
        self.displayName = displayName
        self.passwordHash = passwordHash
        self.role = role.rawValue
        self.departmentCode = departmentCode
        self.divisionScope = divisionScope
        self.isActive = true
        self.failedLogins = 0
        self.lockedUntil = nil
        self.createdAt = Date()
        self.passwordChangedAt = Date()
    }
}

/// A login token. Only its SHA-256 is stored: a copy of the database gives no one a session.
final class UserTokenModel: Model, @unchecked Sendable {
    static let schema = "user_tokens"

    @ID(key: .id) var id: UUID?
    @Field(key: "token_hash") var tokenHash: String
    @Parent(key: "user_id") var user: UserModel
    @Field(key: "expires_at") var expiresAt: Date
    @Field(key: "created_at") var createdAt: Date
    /// The purpose (使用事由) stated for this login's live views; asked once per login, not per tile.
    @OptionalField(key: "view_purpose") var viewPurpose: String?

    init() {}

    init(tokenHash: String, userID: UUID, expiresAt: Date) {
        self.tokenHash = tokenHash
        self.$user.id = userID
        self.expiresAt = expiresAt
        self.createdAt = Date()
    }
}

enum AuthMigrations {
    static var all: [any Migration] { [CreateUsers(), CreateAPIKeys(), AddUserTerminals(), AddTokenViewPurpose()] }
}

struct CreateUsers: AsyncMigration {
    var name: String { "101_CreateUsers" }

    func prepare(on database: any Database) async throws {
        try await database.schema("users")
            .id()
            .field("username", .string, .required)
            .field("display_name", .string, .required)
            .field("password_hash", .string, .required)
            .field("role", .string, .required)
            .field("department_code", .string, .required)
            .field("division_scope", .string, .required)
            .field("is_active", .bool, .required)
            .field("failed_logins", .int, .required)
            .field("locked_until", .datetime)
            .field("created_at", .datetime, .required)
            .field("password_changed_at", .datetime, .required)
            .unique(on: "username")
            .create()
        try await database.schema("user_tokens")
            .id()
            .field("token_hash", .string, .required)
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("expires_at", .datetime, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("user_tokens").delete()
        try await database.schema("users").delete()
    }
}

extension UserModel {
    /// The parsed terminal ranges; nil when none are set (an unparsable stored entry binds to nothing).
    var terminalRanges: [NetworkRange]? {
        guard let text = allowedNetworks, !text.isEmpty else { return nil }
        switch NetworkRange.list(text) {
        case .success(let ranges): return ranges
        case .failure: return []
        }
    }
}

/// Accounts bound to their unit's terminals (issue 11 item 14).
struct AddUserTerminals: AsyncMigration {
    var name: String { "103_AddUserTerminals" }

    func prepare(on database: any Database) async throws {
        try await database.schema("users").field("allowed_networks", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("users").deleteField("allowed_networks").update()
    }
}

/// The purpose of use stated once per login (issue 11 item 14, 002 第十四条七).
struct AddTokenViewPurpose: AsyncMigration {
    var name: String { "104_AddTokenViewPurpose" }

    func prepare(on database: any Database) async throws {
        try await database.schema("user_tokens").field("view_purpose", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("user_tokens").deleteField("view_purpose").update()
    }
}
