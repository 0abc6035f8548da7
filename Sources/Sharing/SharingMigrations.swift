import FluentKit
import SQLKit

/// The sharing and audit tables. Numbered 2xx after the directory's 0xx and the users' 1xx; never
/// edited after they land. The same migrations run on SQLite and PostgreSQL.
public enum SharingMigrations {
    public static var all: [any Migration] { [CreateSharing(), CreateAuditLog(), AddGrantCameraRevocation()] }
}

struct CreateSharing: AsyncMigration {
    var name: String { "201_CreateSharing" }

    func prepare(on database: any Database) async throws {
        try await database.schema("share_requests")
            .field("id", .string, .identifier(auto: false))
            .field("requester_id", .string, .required)
            .field("requester", .string, .required)
            .field("department", .string, .required)
            .field("division", .string, .required)
            .field("selection", .string, .required)
            .field("cameras", .string, .required)
            .field("frozen", .bool, .required)
            .field("permissions", .string, .required)
            .field("purpose", .string, .required)
            .field("valid_from", .double, .required)
            .field("valid_until", .double, .required)
            .field("status", .string, .required)
            .field("created_at", .double, .required)
            .field("deadline_at", .double, .required)
            .field("escalated_at", .double)
            .field("decided_at", .double)
            .create()
        try await database.schema("share_reviews")
            .field("id", .int64, .identifier(auto: true))
            .field("request_id", .string, .required)
            .field("step", .string, .required)
            .field("reviewer_id", .string, .required)
            .field("reviewer", .string, .required)
            .field("department", .string, .required)
            .field("division", .string, .required)
            .field("decision", .string, .required)
            .field("cameras", .string, .required)
            .field("permissions", .string, .required)
            .field("comment", .string, .required)
            .field("at", .double, .required)
            .create()
        try await database.schema("grants")
            .field("id", .string, .identifier(auto: false))
            .field("request_id", .string)
            .field("department", .string, .required)
            .field("division", .string, .required)
            .field("purpose", .string, .required)
            .field("valid_from", .double, .required)
            .field("valid_until", .double, .required)
            .field("created_at", .double, .required)
            .field("created_by", .string, .required)
            .field("revoked_at", .double)
            .field("revoked_by", .string)
            .field("revoke_reason", .string)
            .field("end_reported", .bool, .required)
            .create()
        try await database.schema("grant_cameras")
            .field("id", .int64, .identifier(auto: true))
            .field("grant_id", .string, .required)
            .field("camera", .string, .required)
            .field("permissions", .string, .required)
            .create()
        let sql = try database.sqlDatabase()
        try await sql.create(index: "share_requests_department").on("share_requests").column("department").column("status").run()
        try await sql.create(index: "share_requests_status").on("share_requests").column("status").column("deadline_at").run()
        try await sql.create(index: "share_reviews_request").on("share_reviews").column("request_id").run()
        try await sql.create(index: "grants_department").on("grants").column("department").column("division").run()
        try await sql.create(index: "grants_end").on("grants").column("end_reported").column("valid_until").run()
        try await sql.create(index: "grant_cameras_grant").on("grant_cameras").column("grant_id").run()
        try await sql.create(index: "grant_cameras_camera").on("grant_cameras").column("camera").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["grant_cameras", "grants", "share_reviews", "share_requests"] { try await database.schema(table).delete() }
    }
}

/// audit_entries: the hash-chained log. `seq` is the chain position and the primary key, so two
/// writers can never both append entry N (the chain cannot fork even if serialisation failed).
struct CreateAuditLog: AsyncMigration {
    var name: String { "202_CreateAuditLog" }

    func prepare(on database: any Database) async throws {
        try await database.schema("audit_entries")
            .field("seq", .int64, .identifier(auto: false))
            .field("at_ms", .int64, .required)
            .field("actor", .string, .required)
            .field("actor_role", .string, .required)
            .field("department", .string, .required)
            .field("action", .string, .required)
            .field("camera", .string, .required)
            .field("target", .string, .required)
            .field("grant_id", .string, .required)
            .field("purpose", .string, .required)
            .field("client_address", .string, .required)
            .field("result", .string, .required)
            .field("detail", .string, .required)
            .field("prev_hash", .string, .required)
            .field("content_hash", .string, .required)
            .field("entry_hash", .string, .required)
            .create()
        let sql = try database.sqlDatabase()
        for column in ["at_ms", "actor", "camera", "action", "department"] {
            try await sql.create(index: "audit_entries_\(column)").on("audit_entries").column(column).run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("audit_entries").delete()
    }
}

public enum SharingStoreError: Error, Sendable, CustomStringConvertible {
    case notSQL
    case corruptRow(String)

    public var description: String {
        switch self {
        case .notSQL: "the database does not speak SQL"
        case .corruptRow(let what): "corrupt row: \(what)"
        }
    }
}

extension Database {
    /// Every database GBShare runs on (SQLite, PostgreSQL) speaks SQL.
    func sqlDatabase() throws -> any SQLDatabase {
        guard let sql = self as? any SQLDatabase else { throw SharingStoreError.notSQL }
        return sql
    }
}

/// An owner revokes its own cameras of a grant that holds other departments' cameras too (issue 11
/// item 8): the camera row carries its own revocation.
struct AddGrantCameraRevocation: AsyncMigration {
    var name: String { "203_AddGrantCameraRevocation" }

    func prepare(on database: any Database) async throws {
        try await database.schema("grant_cameras").field("revoked_at", .double).update()
        try await database.schema("grant_cameras").field("revoked_by", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("grant_cameras").deleteField("revoked_by").update()
        try await database.schema("grant_cameras").deleteField("revoked_at").update()
    }
}
