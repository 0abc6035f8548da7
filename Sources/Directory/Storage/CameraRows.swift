import Foundation
import GBCore
import SQLKit

/// How a camera maps to the `cameras` table and its side tables: the SQL the store and the bulk
/// import share, so a column is written in one place.
enum CameraRows {
    static let columns = [
        "code", "name", "division", "department", "point_class", "camera_type", "network_status", "device_status",
        "share_attribute", "codec", "bearing", "platform_code", "address", "longitude", "latitude", "fields",
        "error_count", "warning_count", "source_row", "created_at", "updated_at",
    ]
    static let selectColumns = ["id", "fields", "error_count", "warning_count", "created_at", "updated_at"]

    /// The values of `columns` for one record, in order.
    static func values(_ record: CameraRecord, findings: [Finding], sourceRow: Int, createdAt: Double, updatedAt: Double) -> [any SQLExpression] {
        let errors = findings.filter { $0.severity == .error }.count
        let text: [CameraField] = [.code, .name, .division, .department, .pointClass, .cameraType, .networkStatus,
                                   .deviceStatus, .shareAttribute, .codec, .bearing, .platformCode, .address]
        var values: [any SQLExpression] = text.map { SQLBind(record[$0]) }
        values.append(SQLBind(validCoordinate(record.longitude)))
        values.append(SQLBind(validCoordinate(record.latitude)))
        values.append(SQLBind(record.fieldsJSON))
        values.append(SQLBind(errors))
        values.append(SQLBind(findings.count - errors))
        values.append(SQLBind(sourceRow))
        values.append(SQLBind(createdAt))
        values.append(SQLBind(updatedAt))
        return values
    }

    static func validCoordinate(_ value: Double?) -> Double? {
        value.flatMap { $0.isFinite ? $0 : nil }
    }

    struct Row: Decodable {
        let id: Int
        let fields: String
        let error_count: Int
        let warning_count: Int
        let created_at: Double
        let updated_at: Double
    }

    static func camera(_ row: Row, findings: [Finding]) throws -> StoredCamera {
        guard let record = CameraRecord(fieldsJSON: row.fields) else { throw DirectoryStoreError.corruptRow(row.id) }
        return StoredCamera(id: row.id, record: record, findings: findings, errorCount: row.error_count,
                            warningCount: row.warning_count, createdAt: Date(timeIntervalSince1970: row.created_at),
                            updatedAt: Date(timeIntervalSince1970: row.updated_at))
    }

    /// Inserts cameras in multi-row statements; returns their ids keyed by source row.
    static func insert(_ items: [(record: CameraRecord, findings: [Finding], sourceRow: Int)], now: Double,
                       on sql: any SQLDatabase) async throws -> [Int: Int] {
        var ids: [Int: Int] = [:]
        // SQLite allows 32,766 bound values per statement; 21 columns × 500 rows stays well under it.
        for chunk in items.chunked(500) {
            let insert = sql.insert(into: "cameras").columns(columns)
            for item in chunk {
                insert.values(values(item.record, findings: item.findings, sourceRow: item.sourceRow, createdAt: now, updatedAt: now))
            }
            struct Inserted: Decodable { let id: Int; let source_row: Int }
            for row in try await insert.returning("id", "source_row").all(decoding: Inserted.self) {
                ids[row.source_row] = row.id
            }
        }
        return ids
    }

    static func update(id: Int, record: CameraRecord, findings: [Finding], sourceRow: Int, now: Double, on sql: any SQLDatabase) async throws {
        let update = sql.update("cameras")
        let all = values(record, findings: findings, sourceRow: sourceRow, createdAt: now, updatedAt: now)
        for (column, value) in zip(columns, all) where column != "created_at" {
            update.set(SQLIdentifier(column), to: value)
        }
        try await update.where("id", .equal, id).run()
    }

    static func replaceFindings(_ findingsByCamera: [Int: [Finding]], on sql: any SQLDatabase) async throws {
        let ids = Array(findingsByCamera.keys)
        for chunk in ids.chunked(500) {
            try await sql.delete(from: "camera_findings").where("camera_id", .in, Array(chunk)).run()
        }
        try await insertFindings(findingsByCamera, on: sql)
    }

    static func insertFindings(_ findingsByCamera: [Int: [Finding]], on sql: any SQLDatabase) async throws {
        let rows = findingsByCamera.flatMap { id, findings in findings.map { (id, $0) } }
        for chunk in rows.chunked(400) {
            let insert = sql.insert(into: "camera_findings")
                .columns("camera_id", "rule", "severity", "field", "value", "message_zh", "message_en")
            for (id, finding) in chunk {
                insert.values(SQLBind(id), SQLBind(finding.rule.rawValue), SQLBind(finding.severity.rawValue),
                              SQLBind(finding.field?.rawValue ?? ""), SQLBind(String(finding.value.prefix(200))),
                              SQLBind(finding.message.zh), SQLBind(finding.message.en))
            }
            try await insert.run()
        }
    }

    static func insertHistory(_ entries: [(cameraID: Int, entry: HistoryEntry)], on sql: any SQLDatabase) async throws {
        for chunk in entries.chunked(500) {
            let insert = sql.insert(into: "camera_history").columns("camera_id", "at", "actor", "action", "source", "changes")
            for (id, entry) in chunk {
                let changes = String(decoding: (try? JSONEncoder().encode(entry.changes)) ?? Data("[]".utf8), as: UTF8.self)
                insert.values(SQLBind(id), SQLBind(entry.at.timeIntervalSince1970), SQLBind(entry.actor),
                              SQLBind(entry.action.rawValue), SQLBind(entry.source), SQLBind(changes))
            }
            try await insert.run()
        }
    }

    static func findings(cameraIDs: [Int], on sql: any SQLDatabase) async throws -> [Int: [Finding]] {
        struct Row: Decodable {
            let camera_id: Int, rule: String, field: String, value: String, message_zh: String, message_en: String
        }
        var result: [Int: [Finding]] = [:]
        for chunk in cameraIDs.chunked(500) {
            let rows = try await sql.select().columns("camera_id", "rule", "field", "value", "message_zh", "message_en")
                .from("camera_findings").where("camera_id", .in, Array(chunk)).orderBy("id").all(decoding: Row.self)
            for row in rows {
                guard let rule = DirectoryRule(rawValue: row.rule) else { continue }
                result[row.camera_id, default: []].append(Finding(
                    code: "", field: CameraField(rawValue: row.field), rule: rule, value: row.value,
                    message: LocalizedText(zh: row.message_zh, en: row.message_en)))
            }
        }
        return result
    }
}

extension Array {
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
