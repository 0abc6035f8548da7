import FluentKit
import Foundation
import GBCore
import SQLKit

public struct StoredPlatform: Sendable, Codable {
    public var id: Int
    public var record: PlatformRecord
    public var problems: [LocalizedText]
    public var updatedAt: Date
}

/// The platforms departments run: list, file, edit, import the Lu'an platform form.
public struct PlatformStore: Sendable {
    public let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    struct Row: Decodable { let id: Int, fields: String, updated_at: Double }

    public func all() async throws -> [StoredPlatform] {
        try await database.sql().select().columns("id", "fields", "updated_at").from("platforms").orderBy("code").orderBy("name")
            .all(decoding: Row.self).compactMap(Self.platform)
    }

    public func platform(key: String) async throws -> StoredPlatform? {
        try await database.sql().select().columns("id", "fields", "updated_at").from("platforms")
            .where { $0.where("code", .equal, key).orWhere { $0.where("code", .equal, "").where("name", .equal, key) } }
            .orderBy("id").first(decoding: Row.self).flatMap(Self.platform)
    }

    static func platform(_ row: Row) -> StoredPlatform? {
        guard let object = FlatJSON.decode(row.fields) else { return nil }
        var values: [PlatformField: String] = [:]
        for (key, value) in object { if let field = PlatformField(rawValue: key) { values[field] = value } }
        let record = PlatformRecord(values: values)
        return StoredPlatform(id: row.id, record: record, problems: record.problems(), updatedAt: Date(timeIntervalSince1970: row.updated_at))
    }

    /// Files or updates a platform (matched by code, or by name when it has no code).
    @discardableResult
    public func save(_ record: PlatformRecord) async throws -> (platform: StoredPlatform, changed: Bool) {
        let sql = try database.sql()
        let now = Date().timeIntervalSince1970
        if let existing = try await platform(key: record.key) {
            var merged = existing.record
            for (field, value) in record.values { merged[field] = value }
            guard merged != existing.record else { return (existing, false) }
            try await sql.update("platforms").set("code", to: merged[.code]).set("name", to: merged[.name])
                .set("fields", to: merged.fieldsJSON).set("updated_at", to: now).where("id", .equal, existing.id).run()
            return (StoredPlatform(id: existing.id, record: merged, problems: merged.problems(), updatedAt: Date(timeIntervalSince1970: now)), true)
        }
        try await sql.insert(into: "platforms").columns("code", "name", "fields", "created_at", "updated_at")
            .values(SQLBind(record[.code]), SQLBind(record[.name]), SQLBind(record.fieldsJSON), SQLBind(now), SQLBind(now)).run()
        guard let stored = try await platform(key: record.key) else { throw DirectoryStoreError.notFound(record.key) }
        return (stored, true)
    }

    public struct ImportOutcome: Sendable, Codable {
        public var rows = 0
        public var saved = 0
        public var unchanged = 0
        public var problems: [ReadIssue] = []
    }

    /// Imports the Lu'an platform form (CSV or XLSX) in one transaction; every problem is reported
    /// on its row and every row is kept.
    public func importFile(url: URL) async throws -> ImportOutcome {
        // Platform lists are short (a city runs dozens): read them whole, then write in one transaction.
        var source = try PlatformTable.open(url: url)
        let columns = try PlatformTable.columns(source.header)
        var read: [TableRow] = []
        while let row = try source.nextRow() { read.append(row) }
        let rows = read
        let readIssues = source.issues
        return try await database.transaction { db in
            let store = PlatformStore(database: db)
            var outcome = ImportOutcome()
            for row in rows {
                if row.isBlank { continue }
                var record = PlatformRecord()
                for (index, field) in columns where index < row.cells.count {
                    record[field] = CellText.clean(row.cells[index], field: field == .code ? .code : .remark)
                }
                // The form's sample row ("示例") is an instruction, not a platform.
                if row.cells.first?.trimmedWhitespace == "示例" { continue }
                outcome.rows += 1
                outcome.problems += record.problems().map { ReadIssue(row: row.number, message: $0) }
                if try await store.save(record).changed { outcome.saved += 1 } else { outcome.unchanged += 1 }
            }
            outcome.problems += readIssues
            return outcome
        }
    }
}

/// Opening a platform file: the same readers as the camera directory, the platform headers.
enum PlatformTable {
    static func open(url: URL) throws -> any TableSource {
        switch try DirectoryFile.sniff(url) {
        case .csv: try CSVTableReader(url: url)
        case .xlsx: try XLSXTableReader(url: url)
        }
    }

    static func columns(_ header: [String]) throws -> [Int: PlatformField] {
        var lookup: [String: PlatformField] = [:]
        for field in PlatformField.allCases {
            lookup[HeaderName.normalise(field.header.zh)] = field
            lookup[HeaderName.normalise(field.header.en)] = field
            lookup[HeaderName.normalise(field.rawValue)] = field
            for alias in field.aliases { lookup[HeaderName.normalise(alias)] = field }
        }
        var columns: [Int: PlatformField] = [:]
        for (index, cell) in header.enumerated() {
            let name = HeaderName.normalise(cell)
            if let field = lookup[name] ?? lookup[HeaderName.withoutNote(name)] { columns[index] = field }
        }
        guard columns.values.contains(.name) else {
            throw DirectoryFileError.header(.missingColumns([PlatformField.name.header], layout: .luanPlatform))
        }
        return columns
    }
}
