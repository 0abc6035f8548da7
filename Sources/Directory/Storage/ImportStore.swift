import FluentKit
import Foundation
import GBCore
import SQLKit

/// An uploaded directory file, checked and waiting for a clerk to confirm it, or already applied.
public struct PendingImport: Sendable, Codable {
    public enum Status: String, Sendable, Codable {
        case checked
        case applied
        case discarded
        case failed
    }

    public var id: String
    public var filename: String
    public var storedPath: String
    public var status: Status
    public var actor: String
    public var summary: ImportSummary
    public var createdAt: Date
    public var appliedAt: Date?

    public init(id: String, filename: String, storedPath: String, status: Status, actor: String, summary: ImportSummary,
                createdAt: Date, appliedAt: Date?) {
        self.id = id
        self.filename = filename
        self.storedPath = storedPath
        self.status = status
        self.actor = actor
        self.summary = summary
        self.createdAt = createdAt
        self.appliedAt = appliedAt
    }
}

/// Keeps uploads and their findings so the console can show every finding by row before the clerk
/// confirms, and so an applied import can be looked at later.
public struct ImportStore: Sendable {
    public let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    public func save(_ pending: PendingImport, findings: [Finding]) async throws {
        try await database.transaction { db in
            let sql = try db.sql()
            try await sql.insert(into: "directory_imports")
                .columns("id", "filename", "stored_path", "status", "actor", "summary", "created_at", "applied_at")
                .values(SQLBind(pending.id), SQLBind(pending.filename), SQLBind(pending.storedPath), SQLBind(pending.status.rawValue),
                        SQLBind(pending.actor), SQLBind(Self.json(pending.summary)), SQLBind(pending.createdAt.timeIntervalSince1970),
                        SQLBind(pending.appliedAt?.timeIntervalSince1970))
                .run()
            try await Self.insertFindings(findings, importID: pending.id, on: sql)
        }
    }

    static func insertFindings(_ findings: [Finding], importID: String, on sql: any SQLDatabase) async throws {
        for chunk in findings.chunked(400) {
            let insert = sql.insert(into: "import_findings")
                .columns("import_id", "row", "code", "field", "rule", "severity", "value", "message_zh", "message_en")
            for finding in chunk {
                insert.values(SQLBind(importID), SQLBind(finding.row), SQLBind(String(finding.code.prefix(64))),
                              SQLBind(finding.field?.rawValue ?? ""), SQLBind(finding.rule.rawValue), SQLBind(finding.severity.rawValue),
                              SQLBind(String(finding.value.prefix(200))), SQLBind(finding.message.zh), SQLBind(finding.message.en))
            }
            try await insert.run()
        }
    }

    public func get(id: String) async throws -> PendingImport? {
        struct Row: Decodable {
            let id: String, filename: String, stored_path: String, status: String, actor: String, summary: String
            let created_at: Double, applied_at: Double?
        }
        guard let row = try await database.sql().select().columns("*").from("directory_imports")
            .where("id", .equal, id).first(decoding: Row.self) else { return nil }
        return PendingImport(id: row.id, filename: row.filename, storedPath: row.stored_path,
                             status: PendingImport.Status(rawValue: row.status) ?? .failed, actor: row.actor,
                             summary: (try? JSONDecoder().decode(ImportSummary.self, from: Data(row.summary.utf8))) ?? ImportSummary(),
                             createdAt: Date(timeIntervalSince1970: row.created_at),
                             appliedAt: row.applied_at.map { Date(timeIntervalSince1970: $0) })
    }

    /// Findings in row order, a page at a time (a bad 100,000-row file can have that many).
    public func findings(importID: String, offset: Int, limit: Int, severity: Severity? = nil) async throws -> [Finding] {
        struct Row: Decodable {
            let row: Int, code: String, field: String, rule: String, value: String, message_zh: String, message_en: String
        }
        var select = try database.sql().select().columns("row", "code", "field", "rule", "value", "message_zh", "message_en")
            .from("import_findings").where("import_id", .equal, importID)
        if let severity { select = select.where("severity", .equal, severity.rawValue) }
        return try await select.orderBy("row").orderBy("id").offset(max(0, offset)).limit(max(1, min(limit, 5000)))
            .all(decoding: Row.self).compactMap { row in
                DirectoryRule(rawValue: row.rule).map {
                    Finding(row: row.row, code: row.code, field: CameraField(rawValue: row.field), rule: $0, value: row.value,
                            message: LocalizedText(zh: row.message_zh, en: row.message_en))
                }
            }
    }

    public func mark(id: String, status: PendingImport.Status, summary: ImportSummary? = nil) async throws {
        let update = try database.sql().update("directory_imports").set("status", to: status.rawValue)
        if status == .applied { update.set("applied_at", to: Date().timeIntervalSince1970) }
        if let summary { update.set("summary", to: Self.json(summary)) }
        try await update.where("id", .equal, id).run()
    }

    static func json(_ summary: ImportSummary) -> String {
        String(decoding: (try? JSONEncoder().encode(summary)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
