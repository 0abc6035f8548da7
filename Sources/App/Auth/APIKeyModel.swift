import Fluent
import Foundation
import Vapor

/// An API key of a system account (a department application such as a grid-management map).
/// Only the key's SHA-256 is stored; the key itself is shown once, when it is issued.
final class APIKeyModel: Model, @unchecked Sendable {
    // Fluent models are reference types with property wrappers; Fluent documents them as used by one
    // task at a time, which is how every route here uses them.
    static let schema = "api_keys"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: UserModel
    @Field(key: "key_hash") var keyHash: String
    /// The first characters of the key, so an administrator can tell keys apart.
    @Field(key: "prefix") var prefix: String
    @Field(key: "label") var label: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "revoked_at") var revokedAt: Date?

    init() {}

    init(userID: UUID, keyHash: String, prefix: String, label: String) {
        self.$user.id = userID
        self.keyHash = keyHash
        self.prefix = prefix
        self.label = label
        self.createdAt = Date()
        self.revokedAt = nil
    }
}

struct CreateAPIKeys: AsyncMigration {
    var name: String { "102_CreateAPIKeys" }

    func prepare(on database: any Database) async throws {
        try await database.schema("api_keys")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("key_hash", .string, .required)
            .field("prefix", .string, .required)
            .field("label", .string, .required)
            .field("created_at", .datetime, .required)
            .field("revoked_at", .datetime)
            .unique(on: "key_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("api_keys").delete()
    }
}
