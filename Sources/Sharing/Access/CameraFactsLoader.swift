import Directory
import FluentKit
import Foundation
import GBCore
import SQLKit

/// Reads what decisions need about cameras straight from the directory's `cameras` table, many at
/// a time (a request can name thousands).
public struct CameraFactsLoader: Sendable {
    public let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    struct Row: Decodable {
        let id: Int
        let code: String
        let fields: String
        let error_count: Int
    }

    /// Facts by code. A code filed twice answers with the record filed first, as the directory does.
    public func facts(codes: [String]) async throws -> [String: CameraFacts] {
        var result: [String: CameraFacts] = [:]
        let sql = try database.sqlDatabase()
        for chunk in Array(Set(codes)).chunks(of: 500) {
            let rows = try await sql.select().columns("id", "code", "fields", "error_count").from("cameras")
                .where("code", .in, Array(chunk)).orderBy("id").all(decoding: Row.self)
            for row in rows where result[row.code] == nil {
                result[row.code] = Self.facts(row)
            }
        }
        return result
    }

    public func facts(code: String) async throws -> CameraFacts? {
        try await facts(codes: [code])[code]
    }

    /// Every camera, for the benchmark's and a cache's warm start.
    public func all() async throws -> [CameraFacts] {
        try await database.sqlDatabase().select().columns("id", "code", "fields", "error_count").from("cameras").orderBy("id")
            .all(decoding: Row.self).map(Self.facts)
    }

    static func facts(_ row: Row) -> CameraFacts {
        recordAndFacts(row).facts
    }

    /// The stored record and its facts (one place decides what "shareable" means), first filing of
    /// each code only, for readers that need both (an upper platform's virtual catalog).
    public func recordsWithFacts() async throws -> [(record: CameraRecord, facts: CameraFacts)] {
        var seen = Set<String>()
        return try await database.sqlDatabase().select().columns("id", "code", "fields", "error_count").from("cameras").orderBy("id")
            .all(decoding: Row.self).filter { seen.insert($0.code).inserted }.map(Self.recordAndFacts)
    }

    static func recordAndFacts(_ row: Row) -> (record: CameraRecord, facts: CameraFacts) {
        let record = (try? JSONDecoder().decode(CameraRecord.self, from: Data(row.fields.utf8))) ?? CameraRecord(values: [.code: row.code])
        let shareable = row.error_count == 0 && record.deviceStatus != .removed
        return (record, CameraFacts(record: record, shareable: shareable))
    }

    /// The codes a directory query names now (capped: a request for more cameras than this is
    /// refused rather than silently cut).
    public func resolve(_ selection: SelectionQuery, cap: Int) async throws -> [String] {
        var query = selection.cameraQuery
        query.limit = CameraQuery.maxLimit
        var codes: [String] = []
        let store = CameraStore(database: database)
        while true {
            let page = try await store.search(query)
            codes += page.items.map(\.record.code).filter { !$0.isEmpty }
            guard codes.count <= cap else { throw ShareRequestError.tooManyCameras(cap) }
            guard let next = page.nextCursor else { break }
            query.cursor = next
        }
        return Array(NSOrderedSet(array: codes).array.compactMap { $0 as? String })
    }
}

/// A directory query that names cameras for a request: "all class-one cameras in 441502".
public struct SelectionQuery: Sendable, Codable, Hashable {
    public var divisionPrefix: String?
    /// The owning department's code.
    public var department: String?
    public var pointClass: String?
    public var shareAttribute: String?
    public var text: String?

    public init(divisionPrefix: String? = nil, department: String? = nil, pointClass: String? = nil,
                shareAttribute: String? = nil, text: String? = nil) {
        self.divisionPrefix = divisionPrefix
        self.department = department
        self.pointClass = pointClass
        self.shareAttribute = shareAttribute
        self.text = text
    }

    var cameraQuery: CameraQuery {
        var query = CameraQuery()
        query.divisionPrefix = divisionPrefix
        query.department = department
        query.pointClass = pointClass
        query.shareAttribute = shareAttribute
        query.text = text
        return query
    }

    public var isEmpty: Bool {
        [divisionPrefix, department, pointClass, shareAttribute, text].allSatisfy { ($0 ?? "").isEmpty }
    }
}
