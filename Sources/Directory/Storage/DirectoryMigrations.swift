import FluentKit
import SQLKit

/// The directory's tables. Migrations are numbered and never edited after they land: a change is a
/// new migration. The same migrations run on SQLite and PostgreSQL.
public enum DirectoryMigrations {
    public static var all: [any Migration] {
        [CreateCameras(), CreatePlatforms(), CreateDirectoryImports(), AddSearchIndexes()]
    }
}

/// cameras: one row per filed camera. The record is kept whole as JSON (`fields`), exactly as filed;
/// the columns beside it are copies of what search, statistics and reports filter and group by.
struct CreateCameras: AsyncMigration {
    var name: String { "001_CreateCameras" }

    func prepare(on database: any Database) async throws {
        try await database.schema("cameras")
            .field("id", .int64, .identifier(auto: true))
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("division", .string, .required)
            .field("department", .string, .required)
            .field("point_class", .string, .required)
            .field("camera_type", .string, .required)
            .field("network_status", .string, .required)
            .field("device_status", .string, .required)
            .field("share_attribute", .string, .required)
            .field("codec", .string, .required)
            .field("bearing", .string, .required)
            .field("platform_code", .string, .required)
            .field("address", .string, .required)
            .field("longitude", .double)
            .field("latitude", .double)
            .field("fields", .string, .required)
            .field("error_count", .int, .required)
            .field("warning_count", .int, .required)
            .field("source_row", .int, .required)
            .field("created_at", .double, .required)
            .field("updated_at", .double, .required)
            .create()
        let sql = try database.sql()
        for columns in [["code"], ["division"], ["department"], ["point_class"], ["device_status"], ["share_attribute"],
                        ["network_status"], ["platform_code"], ["longitude", "latitude"], ["name"], ["updated_at"]] {
            try await sql.create(index: "cameras_\(columns.joined(separator: "_"))").on("cameras").columnList(columns).run()
        }

        try await database.schema("camera_findings")
            .field("id", .int64, .identifier(auto: true))
            .field("camera_id", .int64, .required)
            .field("rule", .string, .required)
            .field("severity", .string, .required)
            .field("field", .string, .required)
            .field("value", .string, .required)
            .field("message_zh", .string, .required)
            .field("message_en", .string, .required)
            .create()
        try await sql.create(index: "camera_findings_camera_id").on("camera_findings").column("camera_id").run()
        try await sql.create(index: "camera_findings_rule").on("camera_findings").columnList(["rule", "severity"]).run()

        try await database.schema("camera_history")
            .field("id", .int64, .identifier(auto: true))
            .field("camera_id", .int64, .required)
            .field("at", .double, .required)
            .field("actor", .string, .required)
            .field("action", .string, .required)
            .field("source", .string, .required)
            .field("changes", .string, .required)
            .create()
        try await sql.create(index: "camera_history_camera_id").on("camera_history").columnList(["camera_id", "at"]).run()
    }

    func revert(on database: any Database) async throws {
        for table in ["camera_history", "camera_findings", "cameras"] { try await database.schema(table).delete() }
    }
}

/// platforms: the video platforms departments run (spec section 3, Lu'an form 1).
struct CreatePlatforms: AsyncMigration {
    var name: String { "002_CreatePlatforms" }

    func prepare(on database: any Database) async throws {
        try await database.schema("platforms")
            .field("id", .int64, .identifier(auto: true))
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("fields", .string, .required)
            .field("created_at", .double, .required)
            .field("updated_at", .double, .required)
            .create()
        try await database.sql().create(index: "platforms_code").on("platforms").column("code").run()
        try await database.sql().create(index: "platforms_name").on("platforms").column("name").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("platforms").delete()
    }
}

/// directory_imports: an uploaded file checked and waiting for confirmation, or applied.
struct CreateDirectoryImports: AsyncMigration {
    var name: String { "003_CreateDirectoryImports" }

    func prepare(on database: any Database) async throws {
        try await database.schema("directory_imports")
            .field("id", .string, .identifier(auto: false))
            .field("filename", .string, .required)
            .field("stored_path", .string, .required)
            .field("status", .string, .required)
            .field("actor", .string, .required)
            .field("summary", .string, .required)
            .field("created_at", .double, .required)
            .field("applied_at", .double)
            .create()
        try await database.schema("import_findings")
            .field("id", .int64, .identifier(auto: true))
            .field("import_id", .string, .required)
            .field("row", .int, .required)
            .field("code", .string, .required)
            .field("field", .string, .required)
            .field("rule", .string, .required)
            .field("severity", .string, .required)
            .field("value", .string, .required)
            .field("message_zh", .string, .required)
            .field("message_en", .string, .required)
            .create()
        try await database.sql().create(index: "import_findings_import").on("import_findings").columnList(["import_id", "row"]).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("import_findings").delete()
        try await database.schema("directory_imports").delete()
    }
}

extension Database {
    /// Every database GBShare runs on (SQLite, PostgreSQL) speaks SQL.
    public func sql() throws -> any SQLDatabase {
        guard let sql = self as? any SQLDatabase else { throw DirectoryStoreError.notSQL }
        return sql
    }
}

extension SQLCreateIndexBuilder {
    /// Adds several columns to the index, in order.
    func columnList(_ names: [String]) -> SQLCreateIndexBuilder {
        names.reduce(self) { $0.column($1) }
    }
}
