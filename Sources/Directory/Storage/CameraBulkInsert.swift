import Foundation
import SQLKit

/// The bulk path of a directory import: new cameras and their "created" history entries, a few
/// statements per thousand rows (issue 2: 100,000 rows in under 10 s).
///
/// A camera row has 21 columns, but 13 of them are copies of values already inside its `fields`
/// JSON. Binding each one separately made 2.1 million binds for 100,000 rows, and converting and
/// binding values cost more than SQLite's own work. Here a row binds six values (the JSON, the two
/// coordinates, the finding counts and the source row) and the database reads the copies out of
/// the JSON with `->>`, which SQLite (3.38+) and PostgreSQL spell alike. The stored values are the
/// same as `CameraRows.values` gives: a missing field is the empty string, as `record[field]` is.
enum CameraBulkInsert {
    /// PostgreSQL accepts at most 65,535 binds per statement: 1,000 rows × 6 stays under it.
    static let rowsPerStatement = 1_000

    /// Column → the `CameraField` whose value it copies.
    static let copiedColumns: [(column: String, field: CameraField)] = [
        ("code", .code), ("name", .name), ("division", .division), ("department", .department), ("point_class", .pointClass),
        ("camera_type", .cameraType), ("network_status", .networkStatus), ("device_status", .deviceStatus),
        ("share_attribute", .shareAttribute), ("codec", .codec), ("bearing", .bearing), ("platform_code", .platformCode),
        ("address", .address),
    ]

    struct Item {
        var record: CameraRecord
        var errors: Int
        var warnings: Int
        var sourceRow: Int
    }

    /// Inserts the cameras; returns their ids keyed by source row.
    static func insert(_ items: [Item], now: Double, on sql: any SQLDatabase) async throws -> [Int: Int] {
        var ids: [Int: Int] = [:]
        ids.reserveCapacity(items.count)
        let postgres = sql.dialect.name == "postgresql"
        // PostgreSQL's `->>` wants jsonb; parsing each row once in a subquery keeps it to one parse.
        let json = postgres ? "CAST(column1 AS jsonb)" : "column1"
        let copies = copiedColumns.map { "COALESCE(f ->> '\($0.field.rawValue)', '')" }.joined(separator: ", ")
        let columns = copiedColumns.map(\.column) + ["longitude", "latitude", "fields", "error_count", "warning_count", "source_row",
                                                      "created_at", "updated_at"]
        for chunk in items.chunked(rowsPerStatement) {
            var query = SQLQueryString("INSERT INTO cameras (\(unsafeRaw: columns.joined(separator: ", "))) SELECT \(unsafeRaw: copies), ")
            query.appendInterpolation(unsafeRaw: "CAST(column2 AS DOUBLE PRECISION), CAST(column3 AS DOUBLE PRECISION), column1, ")
            query.appendInterpolation(unsafeRaw: "CAST(column4 AS BIGINT), CAST(column5 AS BIGINT), CAST(column6 AS BIGINT), ")
            query.appendInterpolation(bind: now)
            query.appendInterpolation(unsafeRaw: ", ")
            query.appendInterpolation(bind: now)
            query.appendInterpolation(unsafeRaw: " FROM (SELECT \(json) AS f, column1, column2, column3, column4, column5, column6 FROM (VALUES ")
            for (index, item) in chunk.enumerated() {
                query.appendInterpolation(unsafeRaw: index == 0 ? "(" : ", (")
                query.appendInterpolation(bind: item.record.fieldsJSON)
                query.appendInterpolation(unsafeRaw: ", ")
                query.appendInterpolation(bind: CameraRows.validCoordinate(item.record.longitude))
                query.appendInterpolation(unsafeRaw: ", ")
                query.appendInterpolation(bind: CameraRows.validCoordinate(item.record.latitude))
                query.appendInterpolation(unsafeRaw: ", ")
                query.appendInterpolation(bind: item.errors)
                query.appendInterpolation(unsafeRaw: ", ")
                query.appendInterpolation(bind: item.warnings)
                query.appendInterpolation(unsafeRaw: ", ")
                query.appendInterpolation(bind: item.sourceRow)
                query.appendInterpolation(unsafeRaw: ")")
            }
            query.appendInterpolation(unsafeRaw: ") AS v) AS t RETURNING id, source_row")
            struct Inserted: Decodable { let id: Int; let source_row: Int }
            for row in try await sql.raw(query).all(decoding: Inserted.self) {
                ids[row.source_row] = row.id
            }
        }
        return ids
    }

    /// One "created" history entry per new camera. Everything but the id is the same for the whole
    /// import, so it is bound once per statement, and a creation's change list is always empty.
    static func insertCreated(ids: [Int], at: Date, context: ChangeContext, on sql: any SQLDatabase) async throws {
        for chunk in ids.chunked(5_000) {
            var query = SQLQueryString("INSERT INTO camera_history (camera_id, at, actor, action, source, changes) SELECT CAST(column1 AS BIGINT), ")
            query.appendInterpolation(bind: at.timeIntervalSince1970)
            query.appendInterpolation(unsafeRaw: ", ")
            query.appendInterpolation(bind: context.actor)
            query.appendInterpolation(unsafeRaw: ", ")
            query.appendInterpolation(bind: HistoryEntry.Action.created.rawValue)
            query.appendInterpolation(unsafeRaw: ", ")
            query.appendInterpolation(bind: context.source)
            query.appendInterpolation(unsafeRaw: ", '[]' FROM (VALUES ")
            for (index, id) in chunk.enumerated() {
                query.appendInterpolation(unsafeRaw: index == 0 ? "(" : ", (")
                query.appendInterpolation(bind: id)
                query.appendInterpolation(unsafeRaw: ")")
            }
            query.appendInterpolation(unsafeRaw: ") AS v")
            try await sql.raw(query).run()
        }
    }
}
