import FluentKit
import Foundation
import SQLKit

/// The auditor's filters. Pages run newest first; `beforeSeq` is the cursor.
public struct AuditQuery: Sendable, Codable {
    public var from: Date?
    public var to: Date?
    public var actor: String?
    public var department: String?
    /// An exact action ("media.download") or a family ending in "." ("share.").
    public var action: String?
    public var camera: String?
    public var grantID: String?
    public var result: AuditResult?
    public var beforeSeq: Int64?
    public var limit = 100

    public init() {}

    public static let maxLimit = 1000
}

public struct AuditPage: Sendable, Codable {
    public var entries: [AuditEntry]
    /// Pass as `beforeSeq` for the next (older) page; nil at the end.
    public var nextBefore: Int64?
}

/// Reading the log: pages for the console, every matching entry for an export.
public struct AuditReader: Sendable {
    public let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    public func page(_ query: AuditQuery) async throws -> AuditPage {
        let limit = max(1, min(query.limit, AuditQuery.maxLimit))
        let rows = try await filtered(query).orderBy("seq", .descending).limit(limit + 1).all(decoding: AuditRows.Row.self)
        let entries = rows.prefix(limit).map(\.entry)
        return AuditPage(entries: Array(entries), nextBefore: rows.count > limit ? entries.last?.seq : nil)
    }

    /// Every matching entry, oldest first, in pages handed to `body` (an export of a year's log
    /// never sits in memory at once).
    public func forEach(_ query: AuditQuery, pageSize: Int = 2000, _ body: ([AuditEntry]) async throws -> Void) async throws {
        var after: Int64 = 0
        while true {
            let rows = try await filtered(query).where("seq", .greaterThan, after).orderBy("seq").limit(pageSize)
                .all(decoding: AuditRows.Row.self)
            guard let last = rows.last else { return }
            try await body(rows.map(\.entry))
            after = last.seq
        }
    }

    func filtered(_ query: AuditQuery) throws -> SQLSelectBuilder {
        var select = try database.sqlDatabase().select().columns(AuditRows.columns).from("audit_entries")
        if let from = query.from { select = select.where("at_ms", .greaterThanOrEqual, Int64(from.timeIntervalSince1970 * 1000)) }
        if let to = query.to { select = select.where("at_ms", .lessThan, Int64(to.timeIntervalSince1970 * 1000)) }
        for (column, value) in [("actor", query.actor), ("department", query.department), ("camera", query.camera), ("grant_id", query.grantID)] {
            if let value, !value.isEmpty { select = select.where(SQLIdentifier(column), .equal, SQLBind(value)) }
        }
        if let action = query.action, !action.isEmpty {
            if action.hasSuffix(".") {
                let escaped = action.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "")
                select = select.where("action", .like, SQLBind(escaped + "%"))
            } else {
                select = select.where("action", .equal, SQLBind(action))
            }
        }
        if let result = query.result { select = select.where("result", .equal, SQLBind(result.rawValue)) }
        if let before = query.beforeSeq { select = select.where("seq", .lessThan, before) }
        return select
    }
}

/// The auditor's CSV: UTF-8 with a BOM (Excel opens it as UTF-8), one header row in Chinese and
/// English, times in Beijing time, and a leading apostrophe on values a spreadsheet would run as
/// a formula.
public enum AuditCSV {
    public static let header = ["序号/seq", "时间/time", "用户/actor", "角色/role", "部门/department", "操作/action", "摄像机/camera",
                                "对象/target", "授权/grant", "事由/purpose", "客户端/client", "结果/result", "详情/detail", "哈希/hash"]

    public static let bom = "\u{FEFF}"

    public static func row(_ entry: AuditEntry) -> String {
        let d = entry.draft
        return line([String(entry.seq), time(entry.at), d.actor, d.actorRole, d.department, d.action.rawValue, d.camera, d.target,
                     d.grantID, d.purpose, d.clientAddress, d.result.rawValue, d.detail, entry.entryHash])
    }

    public static var headerLine: String { line(header) }

    static func line(_ fields: [String]) -> String {
        fields.map(escape).joined(separator: ",") + "\r\n"
    }

    static func escape(_ value: String) -> String {
        var text = value
        if let first = text.first, "=+-@\t\r".contains(first) { text = "'" + text }
        if text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return text
    }

    /// Beijing time has no daylight saving: UTC+8 always, formatted without a shared formatter.
    static func time(_ date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(millis / 1000 + 8 * 3600)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d.%03d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                      Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(millis % 1000))
    }
}
