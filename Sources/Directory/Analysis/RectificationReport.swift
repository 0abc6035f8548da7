import FluentKit
import Foundation
import GBCore
import SQLKit

/// The rectification list (整改清单) of the Shanwei plan's Appendix 4: per department or platform,
/// how many records, how many break the standard and by which rule, and what to do about it.
public struct RectificationEntry: Sendable, Codable, Hashable {
    public struct RuleCount: Sendable, Codable, Hashable {
        public var rule: String
        public var records: Int
        public var direction: LocalizedText
    }

    public var key: String
    public var label: String
    public var records: Int
    public var recordsWithErrors: Int
    public var complianceRate: Double
    public var rules: [RuleCount]
    /// The rectification direction in words, as the plan's table writes it.
    public var direction: LocalizedText
}

public struct RectificationReport: Sendable, Codable {
    public var byDepartment: [RectificationEntry]
    public var byPlatform: [RectificationEntry]
}

extension CameraStore {
    public func rectificationReport() async throws -> RectificationReport {
        try await RectificationReport(
            byDepartment: rectification(groupedBy: "department") { code in DepartmentCode(code: code)?.label.zh ?? "未填部门（\(code)）" },
            byPlatform: rectification(groupedBy: "platform_code") { code in code.isEmpty ? "未填平台编码" : code })
    }

    private func rectification(groupedBy column: String, label: (String) -> String) async throws -> [RectificationEntry] {
        let sql = try database.sql()
        struct Totals: Decodable { let key: String; let n: Int; let bad: Int }
        let totals = try await sql.select().column(SQLIdentifier(column), as: "key")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .column(SQLFunction("SUM", args: SQLRaw("CASE WHEN error_count > 0 THEN 1 ELSE 0 END")), as: "bad")
            .from("cameras").where("device_status", .notEqual, DeviceStatus.removed.rawValue)
            .groupBy(SQLIdentifier(column)).all(decoding: Totals.self)
        struct RuleRow: Decodable { let key: String; let rule: String; let n: Int }
        let ruleRows = try await sql.select().column(SQLColumn(column, table: "cameras"), as: "key")
            .column(SQLColumn("rule", table: "camera_findings"), as: "rule")
            .column(SQLFunction("COUNT", args: SQLDistinct(SQLColumn("camera_id", table: "camera_findings"))), as: "n")
            .from("camera_findings").join("cameras", on: SQLColumn("id", table: "cameras"), .equal, SQLColumn("camera_id", table: "camera_findings"))
            .where(SQLColumn("severity", table: "camera_findings"), .equal, SQLBind(Severity.error.rawValue))
            .where(SQLColumn("device_status", table: "cameras"), .notEqual, SQLBind(DeviceStatus.removed.rawValue))
            .groupBy(SQLColumn(column, table: "cameras")).groupBy(SQLColumn("rule", table: "camera_findings"))
            .all(decoding: RuleRow.self)
        var rulesByKey: [String: [RectificationEntry.RuleCount]] = [:]
        for row in ruleRows {
            guard let rule = DirectoryRule(rawValue: row.rule) else { continue }
            rulesByKey[row.key, default: []].append(.init(rule: row.rule, records: row.n, direction: rule.rectification))
        }
        return totals.map { total in
            let rules = (rulesByKey[total.key] ?? []).sorted { ($1.records, $0.rule) < ($0.records, $1.rule) }
            let direction = rules.isEmpty
                ? LocalizedText(zh: "符合要求", en: "compliant")
                : LocalizedText(zh: rules.map { "\($0.records)条：\($0.direction.zh)" }.joined(separator: "；"),
                                en: rules.map { "\($0.records) records: \($0.direction.en)" }.joined(separator: "; "))
            return RectificationEntry(key: total.key, label: label(total.key), records: total.n, recordsWithErrors: total.bad,
                                      complianceRate: total.n == 0 ? 1 : Double(total.n - total.bad) / Double(total.n),
                                      rules: rules, direction: direction)
        }.sorted { ($1.recordsWithErrors, $0.key) < ($0.recordsWithErrors, $1.key) }
    }
}
