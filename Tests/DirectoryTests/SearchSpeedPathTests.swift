import FluentKit
import Foundation
import GBCore
import Testing
@testable import Directory

/// The faster search paths (issue 2) return exactly what the plain filters mean: every page of a
/// search, followed by its cursor, against the same filter applied to all records in Swift.
@Suite struct SearchSpeedPathTests {
    static let context = ChangeContext(actor: "tester", source: "test")

    /// Every camera of the search, page by page, in the order the pages give them.
    static func allPages(_ store: CameraStore, _ query: CameraQuery) async throws -> [StoredCamera] {
        var query = query
        var seen: [StoredCamera] = []
        var page = try await store.search(query)
        seen += page.items
        while let cursor = page.nextCursor {
            query.cursor = cursor
            page = try await store.search(query)
            seen += page.items
        }
        return seen
    }

    static func everything(_ store: CameraStore) async throws -> [StoredCamera] {
        var query = CameraQuery()
        query.limit = CameraQuery.maxLimit
        return try await allPages(store, query)
    }

    /// ASCII-only case folding, as SQLite's LIKE; the sample's names and addresses have no letters.
    static func contains(_ camera: StoredCamera, _ term: String) -> Bool {
        [camera.record.name, camera.record[.address], camera.record.code].contains { $0.contains(term) }
    }

    @Test(arguments: ["00", "", "0000", "abc"])
    func emptyPrefixHasNoRange(prefix: String) {
        #expect(DivisionPrefix.range(DivisionPrefix.normalise(prefix)) == nil)
    }

    @Test(arguments: [("44", "44", "45"), ("4415", "4415", "4416"), ("441502", "441502", "441503"), ("4419", "4419", "442"),
                      ("4499", "4499", "45"), ("9", "9", nil), ("99", "99", nil), ("1999", "1999", "2")] as [(String, String, String?)])
    func divisionRangeCarries(digits: String, lower: String, upper: String?) {
        let range = DivisionPrefix.range(digits)
        #expect(range?.lower == lower)
        #expect(range?.upper == upper)
    }

    @Test func trigramQueryQuotesEveryTrigramOnce() {
        #expect(CameraText.trigramQuery("河堤") == nil)
        #expect(CameraText.trigramQuery("香洲路") == "\"香洲路\"")
        #expect(CameraText.trigramQuery("a\"bc") == "\"a\"\"b\" AND \"\"\"bc\"")
        #expect(CameraText.trigramQuery("aaaa") == "\"aaa\"")
    }

    @Test(arguments: TestDatabase.Kind.allCases)
    func divisionPrefixesMatchTheirLikeMeaning(kind: TestDatabase.Kind) async throws {
        let db = try await TestDatabase.make(kind)
        defer { Task { await db.shutdown() } }
        // Three copies of the sample with fresh codes: past `SearchPlan.denseMatches`, so a whole-city
        // prefix takes the merged path, one county the sorted one.
        let file = try Self.tripledSample()
        _ = try await DirectoryImporter(database: db.database).apply(url: file, context: Self.context)
        let store = CameraStore(database: db.database)
        let all = try await Self.everything(store)
        #expect(all.count == 3 * 2018)
        #expect(all.count >= SearchPlan.denseMatches)
        for prefix in ["44", "4415", "441500", "441502", "4415021", "441523", "34", "9", "00", "4"] {
            for (department, limit, sort) in [(nil, 300, .code), ("06", 7, .code), (nil, 250, .name)] as [(String?, Int, CameraQuery.Sort)] {
                var query = CameraQuery()
                query.divisionPrefix = prefix
                query.department = department
                query.limit = limit
                query.sort = sort
                query.includeTotal = true
                let digits = DivisionPrefix.normalise(prefix)
                let ordered = sort == .code ? all : all.sorted { ($0.record.name, $0.id) < ($1.record.name, $1.id) }
                let expected = ordered.filter { $0.record[.division].hasPrefix(digits) && (department == nil || $0.record[.department] == department) }
                let got = try await Self.allPages(store, query)
                #expect(got.map(\.id) == expected.map(\.id), "prefix \(prefix), department \(department ?? "-"), sort \(sort)")
                #expect(try await store.search(query).total == expected.count)
            }
        }
    }

    /// The sample three times over, digits 15-20 of each code renumbered so every code is new.
    static func tripledSample() throws -> URL {
        let lines = try String(contentsOf: SharedData.sampleCSV, encoding: .utf8).split(whereSeparator: \.isNewline).map(String.init)
        var out = lines[0] + "\n"
        for copy in 0..<3 {
            for (index, line) in lines.dropFirst().enumerated() {
                let code = line.prefix { $0 != "," }
                guard code.count == 20 else { out += line + "\n"; continue }
                out += code.prefix(14) + String(format: "%06d", copy * 100_000 + index) + line.dropFirst(20) + "\n"
            }
        }
        let url = SharedData.temporaryFile("tripled.csv")
        try out.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test(arguments: TestDatabase.Kind.allCases)
    func textSearchFindsSubstringsOfAnyLength(kind: TestDatabase.Kind) async throws {
        let db = try await TestDatabase.make(kind)
        defer { Task { await db.shutdown() } }
        _ = try await DirectoryImporter(database: db.database).apply(url: SharedData.sampleCSV, context: Self.context)
        let store = CameraStore(database: db.database)
        let all = try await Self.everything(store)
        let someCode = all[37].record.code
        // Rare and common (汕尾市 is in every name: more candidates than the trigram path takes),
        // two-character and one-character Chinese terms, a code fragment, nothing, and LIKE's
        // wildcards, which the search strips.
        for term in ["香洲路", "汕尾市", "河堤", "堤", "陆河县香洲路", String(someCode.dropFirst(5).prefix(9)), "不存在的地址", "香%洲_路", " 河堤 "] {
            var query = CameraQuery()
            query.text = term
            query.limit = 400
            query.includeTotal = true
            let stripped = term.trimmedWhitespace.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "")
            let expected = all.filter { Self.contains($0, stripped) }
            let got = try await Self.allPages(store, query)
            #expect(got.map(\.id) == expected.map(\.id), "term \(term)")
            #expect(try await store.search(query).total == expected.count, "term \(term)")
        }
    }

    @Test(arguments: TestDatabase.Kind.allCases)
    func textIndexFollowsEdits(kind: TestDatabase.Kind) async throws {
        let db = try await TestDatabase.make(kind)
        defer { Task { await db.shutdown() } }
        let store = CameraStore(database: db.database)
        let created = try await store.create(StoreTests.sampleRecord(), context: Self.context)
        var query = CameraQuery()
        query.text = "香洲路河堤"
        #expect(try await store.search(query).items.map(\.id) == [created.id])
        _ = try await store.update(id: created.id, values: [.name: "汕尾市陆河县人民广场", .address: "广东省汕尾市陆河县人民广场1号"],
                                   context: Self.context)
        #expect(try await store.search(query).items.isEmpty)
        query.text = "人民广场"
        #expect(try await store.search(query).items.map(\.id) == [created.id])
    }

    @Test(arguments: TestDatabase.Kind.allCases)
    func cameraTypeAndSortedPagesMatchTheFullList(kind: TestDatabase.Kind) async throws {
        let db = try await TestDatabase.make(kind)
        defer { Task { await db.shutdown() } }
        _ = try await DirectoryImporter(database: db.database).apply(url: SharedData.sampleCSV, context: Self.context)
        let store = CameraStore(database: db.database)
        let all = try await Self.everything(store)
        var byType = CameraQuery()
        byType.cameraType = "1"
        byType.limit = 33
        let typed = try await Self.allPages(store, byType)
        #expect(!typed.isEmpty)
        #expect(typed.map(\.id) == all.filter { $0.record[.cameraType] == "1" }.map(\.id))

        // Deep keyset pages in every sort equal one long page of the same sort.
        for sort in CameraQuery.Sort.allCases {
            for descending in [false, true] {
                var query = CameraQuery()
                query.sort = sort
                query.descending = descending
                query.boundingBox = [115.0, 22.0, 116.5, 24.0]
                query.limit = CameraQuery.maxLimit
                let whole = try await store.search(query).items.map(\.id)
                query.limit = 97
                let paged = try await Self.allPages(store, query).map(\.id)
                #expect(!whole.isEmpty)
                #expect(Array(paged.prefix(whole.count)) == whole, "sort \(sort) descending \(descending)")
                if whole.count < CameraQuery.maxLimit { #expect(paged.count == whole.count) }
            }
        }
    }

    /// 004 on a directory that already holds cameras: the text index is built from them.
    @Test(arguments: TestDatabase.Kind.allCases)
    func searchIndexesMigrateAFilledDirectory(kind: TestDatabase.Kind) async throws {
        let before = DirectoryMigrations.all.filter { !($0 is AddSearchIndexes) }
        let db = try await TestDatabase.make(kind, migrations: before)
        defer { Task { await db.shutdown() } }
        _ = try await DirectoryImporter(database: db.database).apply(url: SharedData.sampleCSV, context: Self.context)
        try await AddSearchIndexes().prepare(on: db.database)
        let store = CameraStore(database: db.database)
        var query = CameraQuery()
        query.text = "陆河县香洲路"
        query.includeTotal = true
        let found = try await store.search(query)
        #expect((found.total ?? 0) > 0)
        #expect(found.items.allSatisfy { Self.contains($0, "陆河县香洲路") })
        // And a second import after it still matches rows to the stored cameras.
        let again = try await DirectoryImporter(database: db.database).apply(url: SharedData.sampleCSV, context: Self.context)
        #expect(again.summary.unchanged == 2018)
        try await AddSearchIndexes().revert(on: db.database)
    }
}
