import FluentKit
import Foundation
import Logging
import SQLKit

/// Somewhere audit entries go besides the database (the police log system's syslog).
public protocol AuditForwarder: Sendable {
    /// Must not block: queue and return.
    func forward(_ entries: [AuditEntry])
}

/// The append-only, hash-chained audit log.
///
/// Appends are serialised in two layers: this actor orders the appends of one process and writes
/// them in group commits (one transaction for every entry waiting, which is what makes thousands
/// per second possible on SQLite); inside the transaction the chain head is read from the table
/// itself, under an advisory lock on PostgreSQL, so several nodes on one database extend one chain.
/// `seq` is the primary key: if anything slipped past both, the second writer of a position fails
/// and retries instead of forking the chain.
public actor AuditLog {
    public let database: any Database
    let anchors: AuditAnchorFile?
    let forwarder: (any AuditForwarder)?
    let anchorEvery: Int
    let logger: Logger
    private var pending: [(draft: AuditDraft, continuation: CheckedContinuation<AuditEntry, any Error>)] = []
    private var writing = false
    private var head: (seq: Int64, hash: String)?
    private var anchoredSeq: Int64 = -1
    private var sinceAnchor = 0
    private var lastMillis: Int64 = 0

    static let maxBatch = 500
    /// pg_advisory_xact_lock key: "GBSA" in ASCII.
    static let postgresLockKey: Int64 = 0x4742_5341

    public init(database: any Database, anchors: AuditAnchorFile? = nil, forwarder: (any AuditForwarder)? = nil,
                anchorEvery: Int = 1000, logger: Logger = Logger(label: "gbshare.audit")) {
        self.database = database
        self.anchors = anchors
        self.forwarder = forwarder
        self.anchorEvery = max(1, anchorEvery)
        self.logger = logger
    }

    /// Appends one entry and returns it as stored (with its position: a download's file carries it).
    @discardableResult
    public func append(_ draft: AuditDraft) async throws -> AuditEntry {
        try await withCheckedThrowingContinuation { continuation in
            pending.append((draft, continuation))
            if !writing {
                writing = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !pending.isEmpty {
            let batch = Array(pending.prefix(Self.maxBatch))
            pending.removeFirst(batch.count)
            do {
                let entries = try await writeWithRetry(batch.map(\.draft))
                for (item, entry) in zip(batch, entries) { item.continuation.resume(returning: entry) }
                if let last = entries.last { head = (last.seq, last.entryHash) }
                forwarder?.forward(entries)
                sinceAnchor += entries.count
                if sinceAnchor >= anchorEvery { await anchorHead() }
            } catch {
                logger.error("audit append failed: \(String(reflecting: error))")
                for item in batch { item.continuation.resume(throwing: error) }
            }
        }
        writing = false
    }

    private func writeWithRetry(_ drafts: [AuditDraft]) async throws -> [AuditEntry] {
        var attempt = 0
        while true {
            do {
                return try await write(drafts)
            } catch {
                // A busy SQLite file or a lost race for a position on another node: take the new head and try again.
                attempt += 1
                if attempt >= 8 { throw error }
                try await Task.sleep(nanoseconds: UInt64(attempt) * 5_000_000)
            }
        }
    }

    private func write(_ drafts: [AuditDraft]) async throws -> [AuditEntry] {
        let nowMillis = max(Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)), lastMillis)
        let entries = try await database.transaction { db -> [AuditEntry] in
            let sql = try db.sqlDatabase()
            if sql.dialect.name == "postgresql" {
                try await sql.raw("SELECT pg_advisory_xact_lock(\(bind: Self.postgresLockKey))").run()
            }
            let head = try await Self.readHead(sql)
            var seq = head?.seq ?? 0
            var prev = head?.hash ?? AuditEntry.genesisHash
            // Time never runs backwards inside the chain, even if the clock is stepped.
            let at = max(nowMillis, head?.atMillis ?? 0)
            var entries: [AuditEntry] = []
            entries.reserveCapacity(drafts.count)
            for draft in drafts {
                seq += 1
                let entry = AuditEntry(seq: seq, atMillis: at, draft: draft, prevHash: prev)
                prev = entry.entryHash
                entries.append(entry)
            }
            try await AuditRows.insert(entries, on: sql)
            return entries
        }
        lastMillis = entries.last?.atMillis ?? lastMillis
        return entries
    }

    static func readHead(_ sql: any SQLDatabase) async throws -> (seq: Int64, hash: String, atMillis: Int64)? {
        struct Row: Decodable { let seq: Int64; let entry_hash: String; let at_ms: Int64 }
        guard let row = try await sql.select().columns("seq", "entry_hash", "at_ms").from("audit_entries")
            .orderBy("seq", .descending).limit(1).first(decoding: Row.self) else { return nil }
        return (row.seq, row.entry_hash, row.at_ms)
    }

    /// Anchors the head only if this process appended entries: a command that only reads the log
    /// (`gbshare audit verify`) leaves the anchor file as it found it.
    public func anchorIfAppended() async {
        guard head != nil else { return }
        await anchorHead()
    }

    /// Writes the chain head to the anchor file (if it moved since the last anchor), so cutting
    /// entries off the end of the table is caught by `verify`.
    public func anchorHead() async {
        guard let anchors else { return }
        do {
            var current = head
            if current == nil, let stored = try await Self.readHead(database.sqlDatabase()) { current = (stored.seq, stored.hash) }
            guard let current, current.seq != anchoredSeq else { return }
            try anchors.append(AuditAnchor(seq: current.seq, entryHash: current.hash, at: Date()))
            anchoredSeq = current.seq
            sinceAnchor = 0
        } catch {
            logger.error("audit anchor failed: \(String(reflecting: error))")
        }
    }
}

/// The audit_entries table's columns in one place.
enum AuditRows {
    static let columns = ["seq", "at_ms", "actor", "actor_role", "department", "action", "camera", "target", "grant_id",
                          "purpose", "client_address", "result", "detail", "prev_hash", "content_hash", "entry_hash"]

    struct Row: Codable {
        let seq: Int64, at_ms: Int64, actor: String, actor_role: String, department: String, action: String, camera: String
        let target: String, grant_id: String, purpose: String, client_address: String, result: String, detail: String
        let prev_hash: String, content_hash: String, entry_hash: String

        /// An unknown action or result string (someone edited the row) still reads back, so
        /// verification can name the entry instead of failing to decode it.
        var entry: AuditEntry {
            let draft = AuditDraft(actor: actor, actorRole: actor_role, department: department,
                                   action: AuditAction(rawValue: action) ?? .accessDenied, camera: camera, target: target,
                                   grantID: grant_id, purpose: purpose, clientAddress: client_address,
                                   result: AuditResult(rawValue: result) ?? .failed, detail: detail)
            return AuditEntry(seq: seq, atMillis: at_ms, draft: draft, prevHash: prev_hash, contentHash: content_hash, entryHash: entry_hash)
        }

        var actionIsKnown: Bool { AuditAction(rawValue: action) != nil && AuditResult(rawValue: result) != nil }
    }

    static func insert(_ entries: [AuditEntry], on sql: any SQLDatabase) async throws {
        // 16 columns × 200 rows stays under SQLite's bound-parameter limit.
        for chunk in entries.chunks(of: 200) {
            let insert = sql.insert(into: "audit_entries").columns(columns)
            for e in chunk {
                let d = e.draft
                insert.values(SQLBind(e.seq), SQLBind(e.atMillis), SQLBind(d.actor), SQLBind(d.actorRole), SQLBind(d.department),
                              SQLBind(d.action.rawValue), SQLBind(d.camera), SQLBind(d.target), SQLBind(d.grantID), SQLBind(d.purpose),
                              SQLBind(d.clientAddress), SQLBind(d.result.rawValue), SQLBind(d.detail), SQLBind(e.prevHash),
                              SQLBind(e.contentHash), SQLBind(e.entryHash))
            }
            try await insert.run()
        }
    }
}
