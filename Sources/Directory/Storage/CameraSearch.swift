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
        var select = Self.filtered(sql.select().columns(CameraRows.selectColumns + [sortColumn == "id" ? "code" : sortColumn]).from("cameras"), query)
        if let cursor = query.cursor {
            let position = try PageCursor(encoded: cursor)
            let value: any SQLExpression = query.sort == .updated ? SQLBind(Double(position.value) ?? 0) : SQLBind(position.value)
            let after: SQLBinaryOperator = query.descending ? .lessThan : .greaterThan
            select = select.where { group in
                group.where(SQLIdentifier(sortColumn), after, value)
                    .orWhere { $0.where(SQLIdentifier(sortColumn), .equal, value).where("id", after, SQLBind(position.id)) }
            }
        }
        let direction: SQLDirection = query.descending ? .descending : .ascending
        let rows = try await select.orderBy(sortColumn, direction).orderBy("id", direction).limit(limit + 1)
            .all()
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
            total = try await Self.filtered(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("cameras"), query)
                .first(decoding: Count.self)?.n
        }
        return CameraPage(items: items, nextCursor: next, total: total)
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

    static func filtered(_ select: SQLSelectBuilder, _ query: CameraQuery) -> SQLSelectBuilder {
        var select = select
        if let prefix = query.divisionPrefix, !prefix.isEmpty {
            // A prefix "4415" or "441500" both mean "in Shanwei": strip trailing zero pairs.
            select = select.where("division", .like, SQLBind(DivisionPrefix.normalise(prefix) + "%"))
        }
        for (column, value) in [("department", query.department), ("point_class", query.pointClass), ("device_status", query.deviceStatus),
                                ("share_attribute", query.shareAttribute), ("network_status", query.networkStatus),
                                ("platform_code", query.platformCode)] {
            if let value, !value.isEmpty { select = select.where(SQLIdentifier(column), .equal, SQLBind(value)) }
        }
        if let text = query.text?.trimmedWhitespace, !text.isEmpty {
            let pattern = "%" + text.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "") + "%"
            select = select.where { group in
                group.where("name", .like, SQLBind(pattern)).orWhere("address", .like, SQLBind(pattern)).orWhere("code", .like, SQLBind(pattern))
            }
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
}
