import FluentKit
import Foundation
import GBCore
import SQLKit

/// The directory's service for single cameras: read, create, update, change status, history. Every
/// write validates with the same `CameraValidator` as imports and keeps a history entry.
public struct CameraStore: Sendable {
    public let database: any Database
    public let validator: CameraValidator

    public init(database: any Database, validator: CameraValidator = CameraValidator()) {
        self.database = database
        self.validator = validator
    }

    /// The camera with this code; when a code was filed twice, the one filed first.
    public func camera(code: String) async throws -> StoredCamera? {
        try await cameras(where: { $0.where("code", .equal, code) }, limit: 1).first
    }

    public func camera(id: Int) async throws -> StoredCamera? {
        try await cameras(where: { $0.where("id", .equal, id) }, limit: 1).first
    }

    func cameras(where filter: (SQLSelectBuilder) -> SQLSelectBuilder, limit: Int) async throws -> [StoredCamera] {
        let sql = try database.sql()
        let rows = try await filter(sql.select().columns(CameraRows.selectColumns).from("cameras"))
            .orderBy("id").limit(limit).all(decoding: CameraRows.Row.self)
        return try await assemble(rows, on: sql)
    }

    func assemble(_ rows: [CameraRows.Row], on sql: any SQLDatabase) async throws -> [StoredCamera] {
        let findings = try await CameraRows.findings(cameraIDs: rows.map(\.id), on: sql)
        return try rows.map { row in
            var camera = try CameraRows.camera(row, findings: [])
            camera.findings = (findings[row.id] ?? []).map { var f = $0; f.code = camera.record.code; return f }
            return camera
        }
    }

    /// Files a new camera. A code already filed is refused: through the API a clerk edits the
    /// existing record instead (a file import keeps both and reports `duplicate_code`).
    public func create(_ record: CameraRecord, context: ChangeContext) async throws -> StoredCamera {
        let findings = validator.validate(record)
        return try await database.transactionRetryingBusy { db in
            let sql = try db.sql()
            if !record.code.isEmpty, try await CameraStore(database: db).camera(code: record.code) != nil {
                throw DirectoryStoreError.codeExists(record.code)
            }
            let now = Date().timeIntervalSince1970
            let ids = try await CameraRows.insert([(record, findings, 0)], now: now, on: sql)
            guard let id = ids[0] else { throw DirectoryStoreError.notFound(record.code) }
            try await CameraRows.replaceFindings([id: findings], on: sql)
            try await CameraRows.insertHistory([(id, HistoryEntry(at: Date(timeIntervalSince1970: now), actor: context.actor,
                                                                  action: .created, source: context.source, changes: []))], on: sql)
            guard let stored = try await CameraStore(database: db).camera(id: id) else { throw DirectoryStoreError.notFound(record.code) }
            return stored
        }
    }

    /// Sets the given fields (an empty string clears one; fields not given stay as they are),
    /// re-validates and records what changed.
    public func update(id: Int, values: [CameraField: String], context: ChangeContext) async throws -> StoredCamera {
        try await database.transactionRetryingBusy { db in
            let store = CameraStore(database: db, validator: validator)
            guard let current = try await store.camera(id: id) else { throw DirectoryStoreError.notFound("#\(id)") }
            var updated = current.record
            for (field, value) in values { updated[field] = value }
            if let newStatus = updated.deviceStatus, newStatus != current.record.deviceStatus,
               !StatusLifecycle.allows(from: current.record.deviceStatus, to: newStatus) {
                throw DirectoryStoreError.invalidStatusChange(from: current.record.deviceStatus, to: newStatus)
            }
            try await store.write(id: id, from: current.record, to: updated, context: context, on: db)
            guard let stored = try await store.camera(id: id) else { throw DirectoryStoreError.notFound("#\(id)") }
            return stored
        }
    }

    /// in use ⇄ under repair → removed; never a deletion.
    public func changeStatus(id: Int, to status: DeviceStatus, context: ChangeContext) async throws -> StoredCamera {
        try await update(id: id, values: [.deviceStatus: status.rawValue], context: context)
    }

    private func write(id: Int, from old: CameraRecord, to new: CameraRecord, context: ChangeContext,
                       on db: any Database) async throws {
        let changes = old.changes(to: new)
        guard !changes.isEmpty else { return }
        let sql = try db.sql()
        let findings = validator.validate(new)
        let now = Date()
        try await CameraRows.update(id: id, record: new, findings: findings, sourceRow: 0, now: now.timeIntervalSince1970, on: sql)
        try await CameraRows.replaceFindings([id: findings], on: sql)
        let isStatus = changes.count == 1 && changes[0].field == CameraField.deviceStatus.rawValue
        try await CameraRows.insertHistory([(id, HistoryEntry(at: now, actor: context.actor, action: isStatus ? .statusChanged : .updated,
                                                              source: context.source, changes: changes))], on: sql)
    }

    public func history(id: Int) async throws -> [HistoryEntry] {
        struct Row: Decodable { let at: Double, actor: String, action: String, source: String, changes: String }
        let rows = try await database.sql().select().columns("at", "actor", "action", "source", "changes")
            .from("camera_history").where("camera_id", .equal, id).orderBy("at").orderBy("id").all(decoding: Row.self)
        return rows.map { row in
            HistoryEntry(at: Date(timeIntervalSince1970: row.at), actor: row.actor,
                         action: HistoryEntry.Action(rawValue: row.action) ?? .updated, source: row.source,
                         changes: (try? JSONDecoder().decode([FieldChange].self, from: Data(row.changes.utf8))) ?? [])
        }
    }

    public func count() async throws -> Int {
        struct Row: Decodable { let n: Int }
        return try await database.sql().select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("cameras").first(decoding: Row.self)?.n ?? 0
    }
}
