import FluentKit
import SQLKit

/// Indexes shaped like the directory's queries (issue 2: p99 < 20 ms over 100,000 cameras).
///
/// Every list is keyset-paged `ORDER BY <sort>, id`, usually by code. An index `(filter, code, id)`
/// hands back one filter value's rows already in page order, so a page reads ~50 index entries
/// instead of sorting every match; it also serves every lookup the old single-column index served
/// (same leading column), so those are replaced rather than kept beside it, which keeps the number
/// of indexes a bulk import maintains where it was.
///
/// Text search (name, address, code: `LIKE '%term%'`) gets a trigram index: FTS5's trigram tokenizer
/// on SQLite, pg_trgm GIN on PostgreSQL where the extension can be installed (it is contrib; without
/// it the search stays a scan, slower but with the same results).
struct AddSearchIndexes: AsyncMigration {
    var name: String { "004_AddSearchIndexes" }

    /// 001's indexes that the ones below supersede: name → columns.
    static let replacedIndexes: [(String, [String])] = ["code", "division", "department", "point_class", "device_status", "share_attribute",
                                                        "network_status", "platform_code", "name", "updated_at"].map { ("cameras_\($0)", [$0]) }
        + [("cameras_longitude_latitude", ["longitude", "latitude"])]
    static let filterColumns = ["division", "department", "point_class", "camera_type", "network_status", "device_status",
                                "share_attribute", "platform_code"]

    /// Index name → columns, in order.
    static var indexes: [(String, [String])] {
        [("cameras_code_id", ["code", "id"]), ("cameras_name_id", ["name", "id"]), ("cameras_updated_at_id", ["updated_at", "id"]),
         // A box's matches can be put in code order from the index alone, before any row is read.
         ("cameras_longitude_latitude_code_id", ["longitude", "latitude", "code", "id"])]
            + filterColumns.map { ("cameras_\($0)_code_id", [$0, "code", "id"]) }
    }

    func prepare(on database: any Database) async throws {
        let sql = try database.sql()
        for (name, columns) in Self.indexes {
            try await sql.create(index: SQLIdentifier(name)).on("cameras").columnList(columns).run()
        }
        for (name, _) in Self.replacedIndexes {
            try await sql.drop(index: SQLIdentifier(name)).run()
        }
        switch sql.dialect.name {
        case "sqlite": try await CameraText.createSQLiteIndex(on: sql)
        case "postgresql": try await CameraText.createPostgresIndexes(on: sql)
        default: break
        }
    }

    func revert(on database: any Database) async throws {
        let sql = try database.sql()
        switch sql.dialect.name {
        case "sqlite": try await CameraText.dropSQLiteIndex(on: sql)
        case "postgresql": try await CameraText.dropPostgresIndexes(on: sql)
        default: break
        }
        for (name, columns) in Self.replacedIndexes {
            try await sql.create(index: SQLIdentifier(name)).on("cameras").columnList(columns).run()
        }
        for (name, _) in Self.indexes {
            try await sql.drop(index: SQLIdentifier(name)).run()
        }
    }
}
