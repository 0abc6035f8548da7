import FluentKit
import Foundation
import SQLKit
import Sharing
import Testing

/// The hash chain: appends, concurrency, and tampering straight in the database.
@Suite struct AuditChainTests {
    static func draft(_ index: Int) -> AuditDraft {
        AuditDraft(actor: "user\(index % 7)", actorRole: "department_operator", department: "19@4415", action: .viewStart,
                   camera: "4415230958132000000\(index % 10)", grantID: "", purpose: "巡查，第\(index)次", clientAddress: "10.0.0.\(index % 250)",
                   result: .ok, detail: "duration=\(index)s")
    }

    static func log(_ db: SharingTestDatabase, anchorEvery: Int = 1000) -> (AuditLog, AuditVerifier) {
        let anchors = AuditAnchorFile(path: db.folder.appendingPathComponent("audit/anchors.log").path)
        return (AuditLog(database: db.database, anchors: anchors, anchorEvery: anchorEvery),
                AuditVerifier(database: db.database, anchors: anchors))
    }

    @Test func canonicalFormIsFixed() {
        let draft = AuditDraft(actor: "张三", action: .download, camera: "c", purpose: "a:b\n", result: .ok)
        let bytes = AuditChainHash.canonical(seq: 1, atMillis: 5, draft: draft)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text == "GBSHARE-AUDIT-1\n1:1\n1:5\n6:张三\n0:\n0:\n14:media.download\n1:c\n0:\n0:\n4:a:b\n\n0:\n2:ok\n0:\n")
        let first = AuditEntry(seq: 1, atMillis: 5, draft: draft, prevHash: AuditEntry.genesisHash)
        #expect(first.prevHash == String(repeating: "0", count: 64))
        #expect(first.entryHash == AuditChainHash.entryHash(prev: first.prevHash, content: first.contentHash))
        // The same content at another position hashes differently: moving an entry shows.
        #expect(AuditEntry(seq: 2, atMillis: 5, draft: draft, prevHash: AuditEntry.genesisHash).contentHash != first.contentHash)
    }

    @Test(arguments: SharingTestDatabase.Kind.allCases)
    func concurrentAppendsMakeOneChain(kind: SharingTestDatabase.Kind) async throws {
        try await SharingTestDatabase.with(kind) { db in
            let (log, verifier) = Self.log(db)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<20 {
                    group.addTask { for i in 0..<25 { try await log.append(Self.draft(worker * 100 + i)) } }
                }
                try await group.waitForAll()
            }
            // A second writer on the same database (another node) continues the same chain.
            let other = AuditLog(database: db.database)
            let entry = try await other.append(Self.draft(9999))
            #expect(entry.seq == 501)
            let result = try await verifier.verify()
            #expect(result.intact, "\(String(describing: result.firstBreak))")
            #expect(result.checked == 501)
        }
    }

    enum Tamper: String, CaseIterable, Sendable, CustomStringConvertible {
        case edit, editAndRehash, delete, reorder, truncate, deleteFirst, insertOutsideChain, garbleAnchor
        var description: String { rawValue }
    }

    static let tamperCases: [(SharingTestDatabase.Kind, Tamper)] = SharingTestDatabase.Kind.allCases.flatMap { kind in Tamper.allCases.map { (kind, $0) } }

    @Test(arguments: tamperCases)
    func tamperingIsNamed(kind: SharingTestDatabase.Kind, tamper: Tamper) async throws {
        try await SharingTestDatabase.with(kind) { db in
            let (log, verifier) = Self.log(db, anchorEvery: 5)
            for i in 1...20 { try await log.append(Self.draft(i)) }
            await log.anchorHead()
            #expect(try await verifier.verify().intact)
            let sql = db.sql
            switch tamper {
            case .edit:
                try await sql.raw("UPDATE audit_entries SET purpose = 'nothing to see' WHERE seq = 7").run()
            case .editAndRehash:
                // A careful forger recomputes the edited entry's own hashes: the next entry's link breaks.
                let row = try await AuditReader(database: db.database).page({ var q = AuditQuery(); q.beforeSeq = 8; q.limit = 1; return q }()).entries[0]
                var draft = row.draft
                draft.purpose = "forged"
                let forged = AuditEntry(seq: 7, atMillis: row.atMillis, draft: draft, prevHash: row.prevHash)
                try await sql.raw("UPDATE audit_entries SET purpose = 'forged', content_hash = \(bind: forged.contentHash), entry_hash = \(bind: forged.entryHash) WHERE seq = 7").run()
            case .delete:
                try await sql.raw("DELETE FROM audit_entries WHERE seq = 7").run()
            case .deleteFirst:
                try await sql.raw("DELETE FROM audit_entries WHERE seq = 1").run()
            case .reorder:
                try await sql.raw("UPDATE audit_entries SET seq = -7 WHERE seq = 7").run()
                try await sql.raw("UPDATE audit_entries SET seq = 7 WHERE seq = 8").run()
                try await sql.raw("UPDATE audit_entries SET seq = 8 WHERE seq = -7").run()
            case .truncate:
                try await sql.raw("DELETE FROM audit_entries WHERE seq > 17").run()
            case .insertOutsideChain:
                // The last entry moved to seq 0: the walk from 1 never meets it, yet the auditor's list shows it.
                try await sql.raw("UPDATE audit_entries SET seq = 0 WHERE seq = 20").run()
            case .garbleAnchor:
                let path = db.folder.appendingPathComponent("audit/anchors.log").path
                let handle = try #require(FileHandle(forWritingAtPath: path))
                try handle.seekToEnd()
                try handle.write(contentsOf: Data("not an anchor line\n".utf8))
                try handle.close()
            }
            let result = try await verifier.verify()
            let broken = try #require(result.firstBreak)
            switch tamper {
            case .edit: #expect(broken.kind == .edited && broken.seq == 7)
            case .editAndRehash: #expect(broken.kind == .brokenLink && broken.seq == 8)
            case .delete: #expect(broken.kind == .missing && broken.seq == 7)
            case .deleteFirst: #expect(broken.kind == .missing && broken.seq == 1)
            case .reorder: #expect(broken.kind == .edited && broken.seq == 7)
            case .truncate: #expect(broken.kind == .truncated && broken.seq == 18)
            case .insertOutsideChain: #expect(broken.kind == .outsideChain && broken.seq == 0)
            case .garbleAnchor: #expect(broken.kind == .unreadableAnchor)
            }
            #expect(!broken.message.zh.isEmpty && !broken.message.en.isEmpty)
        }
    }

    /// Rewriting the whole chain after an edit leaves every link intact; the anchor catches it.
    @Test func rewrittenChainIsCaughtByTheAnchor() async throws {
        try await SharingTestDatabase.with(.sqlite) { db in
            let (log, verifier) = Self.log(db, anchorEvery: 1000)
            for i in 1...10 { try await log.append(Self.draft(i)) }
            await log.anchorHead()
            let entries = try await AuditReader(database: db.database).page(AuditQuery()).entries.reversed()
            var prev = AuditEntry.genesisHash
            for entry in entries {
                var draft = entry.draft
                if entry.seq == 3 { draft.purpose = "rewritten" }
                let forged = AuditEntry(seq: entry.seq, atMillis: entry.atMillis, draft: draft, prevHash: prev)
                prev = forged.entryHash
                try await db.sql.raw("""
                    UPDATE audit_entries SET purpose = \(bind: draft.purpose), prev_hash = \(bind: forged.prevHash),
                    content_hash = \(bind: forged.contentHash), entry_hash = \(bind: forged.entryHash) WHERE seq = \(bind: entry.seq)
                    """).run()
            }
            let broken = try #require(try await verifier.verify().firstBreak)
            #expect(broken.kind == .anchorMismatch && broken.seq == 10)
        }
    }

    @Test func queryAndCSV() async throws {
        try await SharingTestDatabase.with(.sqlite) { db in
            let (log, _) = Self.log(db)
            for i in 1...30 { try await log.append(Self.draft(i)) }
            try await log.append(AuditDraft(actor: "x", action: .download, camera: "cam", purpose: "=HYPERLINK(\"evil\")", result: .denied))
            let reader = AuditReader(database: db.database)
            var query = AuditQuery()
            query.actor = "user3"
            query.limit = 2
            let page = try await reader.page(query)
            #expect(page.entries.count == 2 && page.entries.allSatisfy { $0.draft.actor == "user3" })
            #expect(page.entries[0].seq > page.entries[1].seq)
            query.beforeSeq = page.nextBefore
            let next = try await reader.page(query)
            #expect(next.entries.first.map { $0.seq < page.entries[1].seq } == true)
            var denied = AuditQuery()
            denied.result = .denied
            denied.action = "media."
            let rows = try await reader.page(denied).entries
            #expect(rows.count == 1)
            let line = AuditCSV.row(rows[0])
            #expect(line.contains("\"'=HYPERLINK(\"\"evil\"\")\""))
            #expect(AuditCSV.headerLine.hasPrefix("序号/seq,"))
        }
    }
}
