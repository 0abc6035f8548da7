import SQLKit

/// Choices made before a search runs, from cheap looks at the indexes.
///
/// A page is `ORDER BY code, id LIMIT 50`. A division prefix is a range, and a range can be answered
/// three ways: seek it in the (division, code, id) index and sort every match (right when few rows
/// match); walk the code index in order testing each row (right when matches are everywhere); or,
/// since each single division's rows come out of that index already in code order, read each
/// division's first page and keep the best (right when a few divisions hold many rows, the usual
/// case: device codes start with their division, so a walk in code order would cross every other
/// county first). SQLite keeps no statistics that tell these apart, so the search counts the range
/// in the index (stopping at `denseMatches`) and lists its divisions by skipping through the index.
/// PostgreSQL's planner has histograms but still sorted 25,000 rows for one county; it gets the merge too.
struct SearchPlan {
    /// Below this many matches a division range is sorted.
    static let denseMatches = 5_000
    /// Above this many divisions in a range their pages are not merged; the code index is walked.
    static let mergedDivisions = 64

    enum DivisionPlan: Equatable {
        case indexed
        case walk
        case merge([String])
    }

    var text: TextFilter = .none
    var division = DivisionPlan.indexed
    var sqlite = false
    /// PostgreSQL only: sort the matches instead of walking the sort column's index. Its planner
    /// assumes a box's matches are spread evenly in code order, walks the code index, and crosses
    /// every other county's cameras first (40 ms for 5,000 matches of 100,000; 4 ms sorted).
    var sortMatches = false
    /// Below this many matches PostgreSQL sorts a box's ids (from the index alone, ~2 ms per 5,000).
    static let sortedBoxMatches = 20_000

    static func make(for query: CameraQuery, on sql: any SQLDatabase) async throws -> SearchPlan {
        var plan = SearchPlan()
        plan.text = try await TextFilter.plan(query.text, on: sql)
        plan.sqlite = sql.dialect.name == "sqlite"
        if !plan.sqlite, query.sort != .updated, let box = query.boundingBox, box.count == 4 {
            struct Count: Decodable { let n: Int }
            let count: SQLQueryString = """
                SELECT COUNT(*) AS n FROM (SELECT 1 FROM cameras WHERE longitude >= \(bind: box[0]) AND longitude <= \(bind: box[2]) \
                AND latitude >= \(bind: box[1]) AND latitude <= \(bind: box[3]) LIMIT \(unsafeRaw: String(sortedBoxMatches))) AS r
                """
            plan.sortMatches = try await sql.raw(count).first(decoding: Count.self)?.n ?? 0 < sortedBoxMatches
        }
        guard let prefix = query.divisionPrefix else { return plan }
        let digits = DivisionPrefix.normalise(prefix)
        guard let range = DivisionPrefix.range(digits) else { return plan }
        struct Count: Decodable { let n: Int }
        var count = SQLQueryString("SELECT COUNT(*) AS n FROM (SELECT 1 FROM cameras WHERE division >= \(bind: range.lower)")
        count.appendInterpolation(upperBound: range.upper)
        count.appendInterpolation(unsafeRaw: " LIMIT \(denseMatches)) AS r")
        guard try await sql.raw(count).first(decoding: Count.self)?.n ?? 0 >= denseMatches else { return plan }
        plan.division = .walk
        guard query.sort == .code else { return plan }
        // Skip-scan: each step seeks the next division after the last, one index probe per division.
        struct Value: Decodable { let v: String }
        var distinct = SQLQueryString("WITH RECURSIVE d(v) AS (SELECT (SELECT MIN(division) FROM cameras WHERE division >= \(bind: range.lower)")
        distinct.appendInterpolation(upperBound: range.upper)
        distinct.appendInterpolation(unsafeRaw: ") UNION ALL SELECT (SELECT MIN(division) FROM cameras WHERE division > d.v")
        distinct.appendInterpolation(upperBound: range.upper)
        // SQLite stops a recursive CTE at a LIMIT inside it; PostgreSQL refuses one there and instead
        // evaluates the CTE only as far as the outer LIMIT reads.
        let limit = "LIMIT \(mergedDivisions + 1)"
        distinct.appendInterpolation(unsafeRaw: ") FROM d WHERE d.v IS NOT NULL \(plan.sqlite ? limit : "")) SELECT v FROM d WHERE v IS NOT NULL \(plan.sqlite ? "" : limit)")
        let values = try await sql.raw(distinct).all(decoding: Value.self).map(\.v)
        guard values.count <= mergedDivisions else { return plan }
        // The range's strings all start with the digits (DivisionPrefix.range); the filter stays exact anyway.
        plan.division = .merge(values.filter { $0.hasPrefix(digits) })
        return plan
    }

    /// The column as a filter writes it: `+column` on SQLite keeps the planner off its index.
    func column(_ name: String, indexed: Bool) -> any SQLExpression {
        indexed || !sqlite ? SQLIdentifier(name) : SQLQueryString("+\(ident: name)")
    }
}

extension SQLQueryString {
    fileprivate mutating func appendInterpolation(upperBound: String?) {
        guard let upperBound else { return }
        appendInterpolation(unsafeRaw: " AND division < ")
        appendInterpolation(bind: upperBound)
    }
}
