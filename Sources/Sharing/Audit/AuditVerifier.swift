import FluentKit
import Foundation
import GBCore
import SQLKit

/// Where the chain breaks, and how.
public struct AuditBreak: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable {
        /// The entry's content no longer matches its hash: edited, or moved from another position.
        case edited
        /// Entries are missing before this one (deleted).
        case missing
        /// The link to the previous entry does not match: an entry before it was deleted, inserted, replaced or reordered.
        case brokenLink = "broken_link"
        /// The entry differs from the hash an anchor recorded for its position: the chain was rewritten.
        case anchorMismatch = "anchor_mismatch"
        /// Entries an anchor saw are gone from the end of the log.
        case truncated
        /// Rows outside the chain (sequence number below 1): never written by the log, yet listed by queries.
        case outsideChain = "outside_chain"
        /// An anchor line cannot be read: what it vouched for cannot be checked, so the log is not called intact.
        case unreadableAnchor = "unreadable_anchor"
    }

    public var kind: Kind
    /// The entry named: the first one found wrong (for `missing`, the first missing position).
    public var seq: Int64
    public var message: LocalizedText
}

public struct AuditVerification: Sendable, Codable {
    public var checked: Int
    public var headSeq: Int64
    public var headHash: String
    public var anchorsChecked: Int
    public var unreadableAnchors: Int
    public var firstBreak: AuditBreak?
    public var intact: Bool { firstBreak == nil }
}

/// Walks the chain from the genesis entry and names the first entry that was edited, deleted or
/// reordered; then holds the anchors against it, which catches a cut tail or a rewritten chain.
public struct AuditVerifier: Sendable {
    public let database: any Database
    public let anchors: AuditAnchorFile?

    public init(database: any Database, anchors: AuditAnchorFile?) {
        self.database = database
        self.anchors = anchors
    }

    public func verify(pageSize: Int = 5000) async throws -> AuditVerification {
        let sql = try database.sqlDatabase()
        let (anchorList, unreadable) = try anchors?.read() ?? ([], 0)
        let anchorBySeq = Dictionary(anchorList.map { ($0.seq, $0) }, uniquingKeysWith: { _, last in last })
        var result = AuditVerification(checked: 0, headSeq: 0, headHash: AuditEntry.genesisHash, anchorsChecked: 0,
                                       unreadableAnchors: unreadable, firstBreak: nil)
        var expectedSeq: Int64 = 1
        var prevHash = AuditEntry.genesisHash
        while result.firstBreak == nil {
            let rows = try await sql.select().columns(AuditRows.columns).from("audit_entries")
                .where("seq", .greaterThanOrEqual, expectedSeq).orderBy("seq").limit(pageSize).all(decoding: AuditRows.Row.self)
            if rows.isEmpty { break }
            for row in rows {
                if let problem = check(row, expectedSeq: expectedSeq, prevHash: prevHash, anchor: anchorBySeq[row.seq]) {
                    result.firstBreak = problem
                    break
                }
                if anchorBySeq[row.seq] != nil { result.anchorsChecked += 1 }
                result.checked += 1
                expectedSeq = row.seq + 1
                prevHash = row.entry_hash
                result.headSeq = row.seq
                result.headHash = row.entry_hash
            }
        }
        if result.firstBreak == nil {
            struct Count: Decodable { let n: Int; let low: Int64? }
            let outside = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .column(SQLFunction("MIN", args: SQLColumn("seq")), as: "low").from("audit_entries")
                .where("seq", .lessThan, 1).first(decoding: Count.self)
            if let outside, outside.n > 0 {
                result.firstBreak = AuditBreak(kind: .outsideChain, seq: outside.low ?? 0, message: LocalizedText(
                    zh: "审计日志中有\(outside.n)条不在链上的记录（序号小于1）：是被插入的", en: "\(outside.n) rows outside the chain (sequence below 1): they were inserted"))
            }
        }
        if result.firstBreak == nil, unreadable > 0 {
            result.firstBreak = AuditBreak(kind: .unreadableAnchor, seq: result.headSeq, message: LocalizedText(
                zh: "锚点文件有\(unreadable)行无法读取：无法据此核对日志，请检查锚点文件是否被改动",
                en: "\(unreadable) anchor lines cannot be read: the log cannot be checked against them; check whether the anchor file was altered"))
        }
        if result.firstBreak == nil, let last = anchorList.max(by: { $0.seq < $1.seq }), last.seq > result.headSeq {
            result.firstBreak = AuditBreak(kind: .truncated, seq: result.headSeq + 1, message: LocalizedText(
                zh: "审计日志被截断：锚点记录到第\(last.seq)条（\(Self.time(last.at))），现仅存到第\(result.headSeq)条",
                en: "the log was truncated: an anchor saw entry \(last.seq) (\(Self.time(last.at))) but it ends at \(result.headSeq)"))
        }
        return result
    }

    private func check(_ row: AuditRows.Row, expectedSeq: Int64, prevHash: String, anchor: AuditAnchor?) -> AuditBreak? {
        let seq = row.seq
        if seq != expectedSeq {
            let span = seq - 1 == expectedSeq ? "第\(expectedSeq)条" : "第\(expectedSeq)-\(seq - 1)条"
            let spanEn = seq - 1 == expectedSeq ? "entry \(expectedSeq)" : "entries \(expectedSeq)-\(seq - 1)"
            return AuditBreak(kind: .missing, seq: expectedSeq, message: LocalizedText(
                zh: "审计日志缺少\(span)（被删除），断点在第\(seq)条之前", en: "\(spanEn) missing (deleted): the chain breaks before entry \(seq)"))
        }
        let entry = row.entry
        let content = AuditChainHash.contentHash(seq: seq, atMillis: row.at_ms, draft: entry.draft)
        if !row.actionIsKnown || content != row.content_hash {
            return AuditBreak(kind: .edited, seq: seq, message: LocalizedText(
                zh: "第\(seq)条审计记录的内容与其哈希不符：被修改或被挪动了位置", en: "entry \(seq) does not match its content hash: it was edited or moved"))
        }
        if row.prev_hash != prevHash {
            return AuditBreak(kind: .brokenLink, seq: seq, message: LocalizedText(
                zh: "第\(seq)条与前一条的链接不符：之前的记录被删除、插入、替换或重新排序", en: "entry \(seq) does not link to the entry before it: an earlier entry was deleted, inserted, replaced or reordered"))
        }
        if AuditChainHash.entryHash(prev: row.prev_hash, content: row.content_hash) != row.entry_hash {
            return AuditBreak(kind: .edited, seq: seq, message: LocalizedText(
                zh: "第\(seq)条的链哈希被改动", en: "entry \(seq)'s chain hash was edited"))
        }
        if let anchor, anchor.entryHash != row.entry_hash {
            return AuditBreak(kind: .anchorMismatch, seq: seq, message: LocalizedText(
                zh: "第\(seq)条与\(Self.time(anchor.at))的锚点不符：日志被整体改写", en: "entry \(seq) differs from the anchor of \(Self.time(anchor.at)): the chain was rewritten"))
        }
        return nil
    }

    static func time(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
}
