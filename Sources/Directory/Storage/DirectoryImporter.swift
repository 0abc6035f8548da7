import FluentKit
import Foundation
import GBCore
import SQLKit

/// What an import did or would do.
public struct ImportSummary: Sendable, Codable, Hashable {
    public var format: String = ""
    public var layout: String = ""
    public var charset: String?
    public var rows = 0
    public var inserted = 0
    public var updated = 0
    public var unchanged = 0
    public var rowsWithErrors = 0
    public var rowsWithWarnings = 0
    public var findingsByRule: [String: Int] = [:]
    public var ignoredColumns: [String] = []

    public init() {}

    mutating func count(_ row: ImportedRow) {
        rows += 1
        if row.findings.contains(where: { $0.severity == .error }) { rowsWithErrors += 1 }
        if row.findings.contains(where: { $0.severity == .warning }) { rowsWithWarnings += 1 }
        for finding in row.findings { findingsByRule[finding.rule.rawValue, default: 0] += 1 }
    }
}

public struct ImportResult: Sendable {
    public var summary: ImportSummary
    public var findings: [Finding]
}

/// Files a whole directory file into the database in one transaction: it all lands or nothing does.
/// Rows are matched to existing cameras by code (the n-th row with a code in the file to the n-th
/// camera with that code), only the file's columns are written, and a row equal to what is stored
/// writes nothing, so importing the same file twice changes nothing.
public struct DirectoryImporter: Sendable {
    public let database: any Database
    public let validator: CameraValidator
    static let batchSize = 500

    public init(database: any Database, validator: CameraValidator = CameraValidator()) {
        self.database = database
        self.validator = validator
    }

    /// Reads and validates a file without storing anything (the `check` command, the upload preview).
    public static func check(url: URL, sheet: String? = nil, validator: CameraValidator = CameraValidator()) throws -> ImportResult {
        var file = try DirectoryFile.open(url: url, sheet: sheet, validator: validator)
        var summary = Self.summary(of: file)
        var findings: [Finding] = []
        while let row = try file.next() {
            summary.count(row)
            findings += row.findings
        }
        findings += file.readFindings
        return ImportResult(summary: summary, findings: findings)
    }

    static func summary(of file: DirectoryFile) -> ImportSummary {
        var summary = ImportSummary()
        summary.format = file.format.rawValue
        summary.layout = file.layout.rawValue
        summary.charset = file.charset
        summary.ignoredColumns = file.columns.ignoredHeaders
        return summary
    }

    public func apply(url: URL, sheet: String? = nil, context: ChangeContext) async throws -> ImportResult {
        // Opening the file first refuses a file with missing columns before any transaction starts.
        _ = try DirectoryFile.open(url: url, sheet: sheet, validator: validator)
        return try await database.transaction { db in
            // The file is read inside the transaction, row batch by row batch (DirectoryFile is not Sendable).
            var file = try DirectoryFile.open(url: url, sheet: sheet, validator: validator)
            let mapped = Set(file.columns.fields.values).union(file.layout == .luanCamera ? [.division] : [])
            let sql = try db.sql()
            var summary = Self.summary(of: file)
            var findings: [Finding] = []
            var ordinals: [String: Int] = [:]
            var batch: [ImportedRow] = []
            while let row = try file.next() {
                summary.count(row)
                findings += row.findings
                batch.append(row)
                if batch.count == Self.batchSize {
                    try await write(batch, mapped: mapped, ordinals: &ordinals, summary: &summary, context: context, on: sql)
                    batch.removeAll(keepingCapacity: true)
                }
            }
            try await write(batch, mapped: mapped, ordinals: &ordinals, summary: &summary, context: context, on: sql)
            findings += file.readFindings
            return ImportResult(summary: summary, findings: findings)
        }
    }

    private func write(_ batch: [ImportedRow], mapped: Set<CameraField>, ordinals: inout [String: Int],
                       summary: inout ImportSummary, context: ChangeContext, on sql: any SQLDatabase) async throws {
        guard !batch.isEmpty else { return }
        let existing = try await existingCameras(codes: Set(batch.map(\.record.code)), on: sql)
        let now = Date()
        var inserts: [(record: CameraRecord, findings: [Finding], sourceRow: Int)] = []
        var findingsByID: [Int: [Finding]] = [:]
        var history: [(cameraID: Int, entry: HistoryEntry)] = []
        for row in batch {
            let ordinal = ordinals[row.record.code, default: 0]
            ordinals[row.record.code] = ordinal + 1
            let matches = existing[row.record.code] ?? []
            guard ordinal < matches.count else {
                inserts.append((row.record, row.findings, row.row))
                continue
            }
            let (id, stored) = matches[ordinal]
            var merged = stored
            for field in mapped { merged[field] = row.record[field] }
            let changes = stored.changes(to: merged)
            if changes.isEmpty {
                summary.unchanged += 1
                continue
            }
            let findings = merged == row.record ? row.findings
                : validator.validate(merged, row: row.row) + row.findings.filter { $0.rule == .duplicateCode }
            try await CameraRows.update(id: id, record: merged, findings: findings, sourceRow: row.row,
                                        now: now.timeIntervalSince1970, on: sql)
            findingsByID[id] = findings
            history.append((id, HistoryEntry(at: now, actor: context.actor, action: .updated, source: context.source, changes: changes)))
            summary.updated += 1
        }
        let ids = try await CameraRows.insert(inserts, now: now.timeIntervalSince1970, on: sql)
        for item in inserts {
            guard let id = ids[item.sourceRow] else { continue }
            findingsByID[id] = item.findings
            history.append((id, HistoryEntry(at: now, actor: context.actor, action: .created, source: context.source, changes: [])))
        }
        summary.inserted += inserts.count
        try await CameraRows.replaceFindings(findingsByID, on: sql)
        try await CameraRows.insertHistory(history, on: sql)
    }

    /// Stored cameras with these codes, in filing order.
    private func existingCameras(codes: Set<String>, on sql: any SQLDatabase) async throws -> [String: [(Int, CameraRecord)]] {
        struct Row: Decodable { let id: Int; let code: String; let fields: String }
        var result: [String: [(Int, CameraRecord)]] = [:]
        let rows = try await sql.select().columns("id", "code", "fields").from("cameras")
            .where("code", .in, Array(codes)).orderBy("id").all(decoding: Row.self)
        for row in rows {
            guard let record = CameraRecord(fieldsJSON: row.fields) else { throw DirectoryStoreError.corruptRow(row.id) }
            result[row.code, default: []].append((row.id, record))
        }
        return result
    }
}
