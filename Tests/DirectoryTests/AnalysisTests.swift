import Foundation
import GBCore
import Testing
@testable import Directory

@Suite struct AnalysisTests {
    @Test(arguments: TestDatabase.Kind.allCases)
    func plantedDuplicatesAreGrouped(kind: TestDatabase.Kind) async throws {
        let db = try await TestDatabase.make(kind)
        defer { Task { await db.shutdown() } }
        _ = try await DirectoryImporter(database: db.database).apply(url: SharedData.sampleCSV, context: StoreTests.context)
        let groups = try await CameraStore(database: db.database).duplicateGroups(radiusMetres: 30)
        let grouped = groups.map { Set($0.pairs.flatMap { [$0.codeA, $0.codeB] }) }
        for (a, b) in try SharedData.plantedDuplicates() {
            #expect(grouped.contains { $0.contains(a) && $0.contains(b) }, "\(a) and \(b) are not in one group")
        }
        for group in groups {
            #expect(group.plan.filter { $0.action == .keep }.count == 1)
            #expect(group.pairs.allSatisfy { $0.distanceMetres <= 30 })
        }
    }

    @Test func gridFindsWhatAllPairsFinds() {
        var generator = SystemRandomNumberGenerator()
        let cameras = (0..<2000).map { index in
            DuplicateCandidate(id: index, code: String(format: "%020d", index), name: "", department: index % 3 == 0 ? "06" : "19",
                               bearing: Bearing(code: String(Int.random(in: 1...9, using: &generator))),
                               point: GeoPoint(longitude: 115.3 + Double.random(in: 0..<0.01, using: &generator),
                                               latitude: 22.8 + Double.random(in: 0..<0.01, using: &generator)),
                               errorCount: 0, pointClass: nil)
        }
        let finder = DuplicateFinder(radiusMetres: 30)
        let found = Set(finder.groups(cameras).flatMap(\.pairs).map { "\($0.codeA)-\($0.codeB)" })
        var expected: Set<String> = []
        for a in cameras.indices {
            for b in cameras.indices where a < b {
                if cameras[a].point.distance(to: cameras[b].point) <= 30, DuplicateFinder.faceSameWay(cameras[a].bearing, cameras[b].bearing) {
                    expected.insert("\(cameras[a].code)-\(cameras[b].code)")
                }
            }
        }
        #expect(found == expected)
        #expect(!expected.isEmpty)
    }

    @Test func plansKeepTheBetterRecord() {
        let point = GeoPoint(longitude: 115.3, latitude: 22.8)
        let members = [
            DuplicateCandidate(id: 1, code: "A", name: "", department: "19", bearing: nil, point: point, errorCount: 2, pointClass: .classTwo),
            DuplicateCandidate(id: 2, code: "B", name: "", department: "06", bearing: nil, point: point, errorCount: 0, pointClass: .classOne),
            DuplicateCandidate(id: 3, code: "C", name: "", department: "06", bearing: nil, point: point, errorCount: 0, pointClass: .classTwo),
        ]
        let plan = DuplicateFinder.plan(members)
        #expect(plan.map(\.code) == ["B", "C", "A"])
        #expect(plan.map(\.action) == [.keep, .remove, .relocate])
    }

    @Test(arguments: TestDatabase.Kind.allCases)
    func statisticsAndReportAgreeWithTheFile(kind: TestDatabase.Kind) async throws {
        let db = try await TestDatabase.make(kind)
        defer { Task { await db.shutdown() } }
        let result = try await DirectoryImporter(database: db.database).apply(url: SharedData.sampleCSV, context: StoreTests.context)
        let store = CameraStore(database: db.database)
        let statistics = try await store.statistics()
        #expect(statistics.total.filed + statistics.total.removed == 2018)
        #expect(statistics.byDepartment.map(\.filed).reduce(0, +) == statistics.total.filed)
        #expect(statistics.byCounty.map(\.filed).reduce(0, +) == statistics.total.filed)
        #expect(statistics.byCity.map(\.key) == ["441500"])
        #expect(statistics.total.withErrors == result.summary.rowsWithErrors)
        let police = try #require(statistics.byDepartment.first { $0.key == "06" })
        #expect(police.label == "公安部门")
        #expect(police.classOne > 0)

        let report = try await store.rectificationReport()
        #expect(report.byDepartment.map(\.recordsWithErrors).reduce(0, +) == result.summary.rowsWithErrors)
        let worst = try #require(report.byDepartment.first)
        #expect(worst.complianceRate < 1)
        #expect(!worst.direction.zh.isEmpty)
        let codeDivision = report.byDepartment.flatMap(\.rules).filter { $0.rule == "code_division" }.map(\.records).reduce(0, +)
        #expect(codeDivision == 10)
    }
}
