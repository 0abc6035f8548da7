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
    /// Rows the gate refused (nothing of them written); empty without a gate.
    public var refusals: [ImportRefusal] = []
}

/// Files a whole directory file into the database in one transaction: it all lands or nothing does.
/// Rows are matched to existing cameras by code (the n-th row with a code in the file to the n-th
/// camera with that code), only the file's columns are written, and a row equal to what is stored
/// writes nothing, so importing the same file twice changes nothing.
public struct DirectoryImporter: Sendable {
    public let database: any Database
    public let validator: CameraValidator
    static let batchSize = 1_000

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

    /// `gate` decides each row against the stored camera (see `ImportRowGate`); nil writes every row (the
    /// command line, run by whoever holds the data folder).
    public func apply(url: URL, sheet: String? = nil, context: ChangeContext, gate: (any ImportRowGate)? = nil) async throws -> ImportResult {
        // Opening the file first refuses a file with missing columns before any transaction starts.
        let opened = try DirectoryFile.open(url: url, sheet: sheet, validator: validator)
        let mapped = Set(opened.columns.fields.values).union(opened.layout == .luanCamera ? [.division] : [])
        let header = Self.summary(of: opened)
        // Connection settings and VACUUM need to be outside a transaction; a caller's would hold one.
        let standalone = !database.inTransaction
        if standalone { try await BulkWriteSettings.prepareConnection(try database.sql()) }
        let result = try await database.transaction { db in
            let sql = try db.sql()
            try await BulkWriteSettings.prepareTransaction(sql)
            // The file is read and validated by a second task while this one stores the rows before.
            let channel = RowBatchChannel(capacity: 4)
            let reader = Task { [validator] in
                try await Self.read(url: url, sheet: sheet, validator: validator, into: channel)
            }
            do {
                var summary = header
                var findings: [Finding] = []
                var refusals: [ImportRefusal] = []
                var ordinals: [String: Int] = [:]
                let filed = try await filedCodes(on: sql)
                let setAside = try await SetAsideIndexes.setAside(on: sql, tableIsEmpty: filed.isEmpty)
                while let batch = try await channel.receive() {
                    for row in batch {
                        summary.count(row)
                        findings += row.findings
                    }
                    refusals += try await write(batch, mapped: mapped, filed: filed, ordinals: &ordinals, summary: &summary,
                                                context: context, gate: gate, on: sql)
                }
                try await setAside.rebuild(on: sql)
                findings += try await reader.value
                return ImportResult(summary: summary, findings: findings, refusals: refusals)
            } catch {
                await channel.close()
                _ = try? await reader.value
                throw error
            }
        }
        if standalone {
            await BulkWriteSettings.afterCommit(try database.sql(), writtenRows: result.summary.inserted + result.summary.updated)
        }
        return result
    }

    /// Reads the file in batches into the channel; returns the file's own problems, found at its end.
    private static func read(url: URL, sheet: String?, validator: CameraValidator, into channel: RowBatchChannel) async throws -> [Finding] {
        do {
            var file = try DirectoryFile.open(url: url, sheet: sheet, validator: validator)
            var batch: [ImportedRow] = []
            batch.reserveCapacity(batchSize)
            while let row = try file.next() {
                batch.append(row)
                if batch.count == batchSize {
                    guard await channel.send(batch) else { return [] }
                    batch.removeAll(keepingCapacity: true)
                }
            }
            if !batch.isEmpty { _ = await channel.send(batch) }
            await channel.finish()
            return file.readFindings
        } catch {
            await channel.finish(throwing: error)
            throw error
        }
    }

    /// Codes filed before this import (every row has one, if only ""; so none means no cameras). A code
    /// not among them has no stored camera to match, so its rows are inserted without a lookup; an
    /// import into an empty directory makes no lookups at all.
    private func filedCodes(on sql: any SQLDatabase) async throws -> Set<String> {
        struct Row: Decodable { let code: String }
        return Set(try await sql.select().column("code").from("cameras").all(decoding: Row.self).map(\.code))
    }

    /// Writes a batch; returns the rows the gate refused.
    private func write(_ batch: [ImportedRow], mapped: Set<CameraField>, filed: Set<String>, ordinals: inout [String: Int],
                       summary: inout ImportSummary, context: ChangeContext, gate: (any ImportRowGate)?,
                       on sql: any SQLDatabase) async throws -> [ImportRefusal] {
        guard !batch.isEmpty else { return [] }
        var refusals: [ImportRefusal] = []
        let lookup = filed.isEmpty ? [] : Set(batch.map(\.record.code).filter { filed.contains($0) })
        let existing = lookup.isEmpty ? [:] : try await existingCameras(codes: lookup, on: sql)
        let now = Date()
        var inserts: [CameraBulkInsert.Item] = []
        var insertFindings: [(sourceRow: Int, findings: [Finding])] = []
        var findingsByID: [Int: [Finding]] = [:]
        var history: [(cameraID: Int, entry: HistoryEntry)] = []
        for row in batch {
            let ordinal = ordinals[row.record.code, default: 0]
            ordinals[row.record.code] = ordinal + 1
            let matches = existing[row.record.code] ?? []
            guard ordinal < matches.count else {
                // A new record; if the code is filed already, it answers to the first record filed.
                if let gate, let reason = gate.refusal(stored: matches.first?.1, incoming: row.record) {
                    refusals.append(ImportRefusal(row: row.row, code: row.record.code, reason: reason))
                    continue
                }
                let errors = row.findings.reduce(0) { $0 + ($1.severity == .error ? 1 : 0) }
                inserts.append(CameraBulkInsert.Item(record: row.record, errors: errors, warnings: row.findings.count - errors, sourceRow: row.row))
                if !row.findings.isEmpty { insertFindings.append((row.row, row.findings)) }
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
            if let gate, let reason = gate.refusal(stored: stored, incoming: merged) {
                refusals.append(ImportRefusal(row: row.row, code: row.record.code, reason: reason))
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
        if !inserts.isEmpty {
            let ids = try await CameraBulkInsert.insert(inserts, now: now.timeIntervalSince1970, on: sql)
            // A new camera has no findings to replace: only insert.
            let newFindings = Dictionary(uniqueKeysWithValues: insertFindings.compactMap { item in ids[item.sourceRow].map { ($0, item.findings) } })
            try await CameraRows.insertFindings(newFindings, on: sql)
            try await CameraBulkInsert.insertCreated(ids: inserts.compactMap { ids[$0.sourceRow] }, at: now, context: context, on: sql)
            summary.inserted += inserts.count
        }
        try await CameraRows.replaceFindings(findingsByID, on: sql)
        try await CameraRows.insertHistory(history, on: sql)
        return refusals
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
