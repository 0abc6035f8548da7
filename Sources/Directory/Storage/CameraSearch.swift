import FluentKit
import Foundation
import GBCore
import SQLKit

/// A directory search: every filter the console and the API offer, a sort, and a cursor.
public struct CameraQuery: Sendable, Codable {
    public enum Sort: String, Sendable, Codable, CaseIterable {
        case code, name, division, department, updated
    }

    public var divisionPrefix: String?
    public var department: String?
    public var pointClass: String?
    /// 摄像机类型 (Appendix 5: 1 PTZ dome ... 99 other).
    public var cameraType: String?
    public var deviceStatus: String?
    public var shareAttribute: String?
    public var networkStatus: String?
    public var platformCode: String?
    /// Text in the name, address or code.
    public var text: String?
    /// minLongitude, minLatitude, maxLongitude, maxLatitude.
    public var boundingBox: [Double]?
    public var hasErrors: Bool?
    public var sort: Sort = .code
    public var descending = false
    public var limit = 50
    public var cursor: String?
    public var includeTotal = false

    public init() {}

    public static let maxLimit = 1000
}

public struct CameraPage: Sendable, Codable {
    public var items: [StoredCamera]
    /// Pass back as `cursor` for the next page; nil on the last page.
    public var nextCursor: String?
    public var total: Int?
}

/// Keyset pagination: the cursor carries the last row's sort value and id, so page 2,000 costs
/// what page 1 costs (OFFSET would scan every row before it).
struct PageCursor: Codable {
    var value: String
    var id: Int

    var encoded: String { Data((try? JSONEncoder().encode(self)) ?? Data()).base64EncodedString() }

    init(value: String, id: Int) {
        self.value = value
        self.id = id
    }

    init(encoded: String) throws {
        guard let data = Data(base64Encoded: encoded), let cursor = try? JSONDecoder().decode(PageCursor.self, from: data) else {
            throw DirectoryStoreError.invalidCursor
        }
        self = cursor
    }
}

extension CameraStore {
    public func search(_ query: CameraQuery) async throws -> CameraPage {
        let sql = try database.sql()
        let limit = max(1, min(query.limit, CameraQuery.maxLimit))
        let sortColumn = Self.column(for: query.sort)
        let plan = try await SearchPlan.make(for: query, on: sql)
        if case .nothing = plan.text {
            return CameraPage(items: [], nextCursor: nil, total: query.includeTotal ? 0 : nil)
        }
        let position = try query.cursor.map { try PageCursor(encoded: $0) }
        var select = Self.keyset(Self.filtered(sql.select().columns(CameraRows.selectColumns + [sortColumn == "id" ? "code" : sortColumn])
            .from("cameras"), query, plan: plan), query, after: position)
        if case .merge(let values) = plan.division {
            // Each division's first page, from its (division, code, id) index; the page is among them.
            var arms = SQLQueryString("")
            for (index, value) in values.enumerated() {
                var one = query
                one.divisionPrefix = nil
                let arm = Self.keyset(Self.filtered(sql.select().column("id").from("cameras"), one, plan: plan), query, after: position)
                    .where("division", .equal, SQLBind(value))
                    .orderBy(sortColumn, query.descending ? .descending : .ascending).orderBy("id", query.descending ? .descending : .ascending)
                    .limit(limit + 1)
                arms.appendInterpolation(unsafeRaw: index == 0 ? "SELECT id FROM (" : " UNION ALL SELECT id FROM (")
                arms.appendInterpolation(arm.select)
                arms.appendInterpolation(unsafeRaw: ") AS a\(index)")
            }
            select = select.where(SQLIdentifier("id"), .in, SQLGroupExpression(arms))
        }
        let direction: SQLDirection = query.descending ? .descending : .ascending
        // `column || ''` sorts exactly as the column (same text, same collation) but matches no index.
        let sortKey: any SQLExpression = plan.sortMatches ? SQLQueryString("(\(ident: sortColumn) || '')") : SQLIdentifier(sortColumn)
        select = select.orderBy(SQLOrderBy(expression: sortKey, direction: direction)).orderBy("id", direction).limit(limit + 1)
        if plan.sqlite || plan.sortMatches {
            // Late row lookup: pick the page's ids first, from index columns where the filters allow,
            // then read those rows. SQLite's sorter carries whole rows, so sorting 10,000 box matches by
            // code moved 10,000 JSON records to keep 51. PostgreSQL, given a box to sort, sorts its ids
            // from the (longitude, latitude, code, id) index alone this way; otherwise its plain plan is better.
            var ids = select.select
            ids.columns = [SQLColumn("id")]
            select = sql.select().columns(CameraRows.selectColumns + [sortColumn == "id" ? "code" : sortColumn]).from("cameras")
                .where(SQLIdentifier("id"), .in, SQLGroupExpression(ids))
                .orderBy(sortColumn, direction).orderBy("id", direction)
        }
        let rows = try await select.all()
        let pageRows = try rows.prefix(limit).map { try $0.decode(model: CameraRows.Row.self) }
        let items = try await assemble(Array(pageRows), on: sql)
        var next: String?
        if rows.count > limit, let last = rows.prefix(limit).last, let lastItem = items.last {
            let value: String = query.sort == .updated
                ? String(try last.decode(column: sortColumn, as: Double.self))
                : try last.decode(column: sortColumn, as: String.self)
            next = PageCursor(value: value, id: lastItem.id).encoded
        }
        var total: Int?
        if query.includeTotal {
            struct Count: Decodable { let n: Int }
            var counting = plan
            counting.division = .indexed
            total = try await Self.filtered(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("cameras"), query, plan: counting)
                .first(decoding: Count.self)?.n
        }
        return CameraPage(items: items, nextCursor: next, total: total)
    }

    /// Rows after the cursor: `(sort, id) > (value, id)`, the same rows as `sort > value OR (sort = value
    /// AND id > id)`, written as a row value so SQLite and PostgreSQL seek the (sort, id) index to the
    /// cursor instead of reading every row before it.
    static func keyset(_ select: SQLSelectBuilder, _ query: CameraQuery, after position: PageCursor?) -> SQLSelectBuilder {
        guard let position else { return select }
        let sortColumn = column(for: query.sort)
        let value: any SQLExpression = query.sort == .updated ? SQLBind(Double(position.value) ?? 0) : SQLBind(position.value)
        return select.where(SQLBinaryExpression(SQLGroupExpression([SQLIdentifier(sortColumn), SQLIdentifier("id")]),
                                                query.descending ? .lessThan : .greaterThan,
                                                SQLGroupExpression([value, SQLBind(position.id)])))
    }

    static func column(for sort: CameraQuery.Sort) -> String {
        switch sort {
        case .code: "code"
        case .name: "name"
        case .division: "division"
        case .department: "department"
        case .updated: "updated_at"
        }
    }

    static func filtered(_ select: SQLSelectBuilder, _ query: CameraQuery, plan: SearchPlan) -> SQLSelectBuilder {
        var select = select
        if let prefix = query.divisionPrefix, !prefix.isEmpty {
            // A prefix "4415" or "441500" both mean "in Shanwei": strip trailing zero pairs.
            let digits = DivisionPrefix.normalise(prefix)
            if let range = DivisionPrefix.range(digits) {
                // A range the (division, code, id) index can seek; LIKE alone cannot use a B-tree on
                // PostgreSQL outside the C collation. The LIKE stays as the exact test.
                let division = plan.column("division", indexed: plan.division == .indexed)
                select = select.where(division, .greaterThanOrEqual, SQLBind(range.lower))
                if let upper = range.upper { select = select.where(division, .lessThan, SQLBind(upper)) }
                select = select.where("division", .like, SQLBind(digits + "%"))
            }
        }
        for (column, value) in [("department", query.department), ("point_class", query.pointClass), ("camera_type", query.cameraType),
                                ("device_status", query.deviceStatus), ("share_attribute", query.shareAttribute),
                                ("network_status", query.networkStatus), ("platform_code", query.platformCode)] {
            if let value, !value.isEmpty { select = select.where(SQLIdentifier(column), .equal, SQLBind(value)) }
        }
        switch plan.text {
        case .none, .nothing:
            break
        case .like(let pattern):
            select = select.where(TextFilter.like(pattern))
        case .candidates(let pattern, let trigrams):
            select = select.where(SQLIdentifier("id"), .in, SQLGroupExpression(
                SQLQueryString("SELECT rowid FROM cameras_text WHERE cameras_text MATCH \(bind: trigrams)")))
                .where(TextFilter.like(pattern))
        }
        if let box = query.boundingBox, box.count == 4 {
            select = select.where("longitude", .greaterThanOrEqual, SQLBind(box[0])).where("latitude", .greaterThanOrEqual, SQLBind(box[1]))
                .where("longitude", .lessThanOrEqual, SQLBind(box[2])).where("latitude", .lessThanOrEqual, SQLBind(box[3]))
        }
        if let hasErrors = query.hasErrors {
            select = select.where("error_count", hasErrors ? .greaterThan : .equal, SQLBind(0))
        }
        return select
    }
}

/// Division prefixes as people type them: "441500" (the city) means every code starting "4415".
public enum DivisionPrefix {
    public static func normalise(_ code: String) -> String {
        var text = code.filter { ("0"..."9").contains($0) }
        while text.count >= 2 && text.hasSuffix("00") { text.removeLast(2) }
        return text
    }

    /// The string range holding exactly the strings that start with `digits` (all digits):
    /// `"4415"` → `["4415", "4416")`, `"4419"` → `["4419", "442")`, `"99"` → `["99", ∞)`. Carrying
    /// instead of stepping past '9' keeps both bounds digits, which sort alike in every collation.
    /// nil for an empty prefix, which matches everything.
    public static func range(_ digits: String) -> (lower: String, upper: String?)? {
        guard !digits.isEmpty else { return nil }
        var upper = Array(digits.unicodeScalars)
        while let last = upper.last, last == "9" { upper.removeLast() }
        guard let last = upper.popLast() else { return (digits, nil) }
        upper.append(Unicode.Scalar(last.value + 1) ?? last)
        var text = ""
        text.unicodeScalars.append(contentsOf: upper)
        return (digits, text)
    }
}
