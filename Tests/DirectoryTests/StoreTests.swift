import FluentKit
import Foundation
import GBCore
import Testing
@testable import Directory

/// Storage behaviour, run against SQLite and PostgreSQL alike.
@Suite struct StoreTests {
    static let context = ChangeContext(actor: "tester", source: "test")

    static func sampleRecord(code: String = "44152309581320861168") -> CameraRecord {
        var record = CameraRecord()
        let values: [CameraField: String] = [
            .code: code, .name: "汕尾市陆河县香洲路河堤", .division: "441523", .builder: "汕尾市政务服务数据管理局",
            .manager: "汕尾市政务服务数据管理局", .managerPhone: "0660-3454710", .contractor: "中国移动", .maintainer: "中国电信",
            .pointClass: "3", .platformCode: "44152300582000000001", .department: "29", .cameraType: "2", .networkStatus: "1",
            .address: "广东省汕尾市陆河县香洲路283号河堤", .positionTypes: "A0101,B0101", .coordinateSystem: "WGS84",
            .longitude: "115.668755", .latitude: "23.274754", .ipv4: "10.16.211.145", .mac: "3f:72:1f:cb:19:71",
            .placement: "1", .bearing: "9", .poleNumber: "441523092182", .accessNetwork: "2", .retentionDays: "30",
            .shareAttribute: "0", .defaultPermissions: "1", .manufacturer: "9", .codec: "2", .deviceStatus: "1",
        ]
        for (field, value) in values { record[field] = value }
        return record
    }

    @Test(arguments: TestDatabase.Kind.allCases)
    func createUpdateStatusAndHistory(kind: TestDatabase.Kind) async throws {
        let db = try await TestDatabase.make(kind)
        defer { Task { await db.shutdown() } }
        let store = CameraStore(database: db.database)
        let created = try await store.create(Self.sampleRecord(), context: Self.context)
        #expect(created.errorCount == 0)
        #expect(created.record == Self.sampleRecord())
        await #expect(throws: DirectoryStoreError.self) { try await store.create(Self.sampleRecord(), context: Self.context) }

        let renamed = try await store.update(id: created.id, values: [.name: "新名称", .ipv4: "999.1.1.1"], context: Self.context)
        #expect(renamed.record.name == "新名称")
        #expect(renamed.findings.map(\.rule) == [.ipv4Format])
        #expect(renamed.findings.first?.code == "44152309581320861168")

        _ = try await store.changeStatus(id: created.id, to: .underRepair, context: Self.context)
        _ = try await store.changeStatus(id: created.id, to: .removed, context: Self.context)
        await #expect(throws: DirectoryStoreError.self) { try await store.changeStatus(id: created.id, to: .inUse, context: Self.context) }

        let history = try await store.history(id: created.id)
        #expect(history.map(\.action) == [.created, .updated, .statusChanged, .statusChanged])
        #expect(history[1].changes.contains(FieldChange(field: "name", old: "汕尾市陆河县香洲路河堤", new: "新名称")))
        #expect(history[3].changes == [FieldChange(field: "deviceStatus", old: "2", new: "3")])
        #expect(history.allSatisfy { $0.actor == "tester" })
        #expect(try await store.count() == 1)
    }

    @Test(arguments: TestDatabase.Kind.allCases)
    func importIsIdempotentAndKeepsEveryRow(kind: TestDatabase.Kind) async throws {
        let db = try await TestDatabase.make(kind)
        defer { Task { await db.shutdown() } }
        let importer = DirectoryImporter(database: db.database)
        let first = try await importer.apply(url: SharedData.sampleCSV, context: Self.context)
        #expect(first.summary.rows == 2018)
        #expect(first.summary.inserted == 2018)
        let store = CameraStore(database: db.database)
        #expect(try await store.count() == 2018)

        let second = try await importer.apply(url: SharedData.sampleCSV, context: Self.context)
        #expect(second.summary.inserted == 0)
        #expect(second.summary.updated == 0)
        #expect(second.summary.unchanged == 2018)
        #expect(try await store.count() == 2018)
        #expect(second.findings == first.findings)

        // The same rows from XLSX are the same records.
        let fromXLSX = try await importer.apply(url: SharedData.sampleXLSX, context: Self.context)
        #expect(fromXLSX.summary.unchanged == 2018)
    }

    @Test(arguments: TestDatabase.Kind.allCases)
    func searchFiltersAndPages(kind: TestDatabase.Kind) async throws {
        let db = try await TestDatabase.make(kind)
        defer { Task { await db.shutdown() } }
        _ = try await DirectoryImporter(database: db.database).apply(url: SharedData.sampleCSV, context: Self.context)
        let store = CameraStore(database: db.database)

        var query = CameraQuery()
        query.divisionPrefix = "441523"
        query.includeTotal = true
        query.limit = 100
        var seen: [String] = []
        var page = try await store.search(query)
        let total = try #require(page.total)
        #expect(total > 100)
        seen += page.items.map(\.record.code)
        while let cursor = page.nextCursor {
            query.cursor = cursor
            page = try await store.search(query)
            seen += page.items.map(\.record.code)
        }
        #expect(seen.count == total)
        #expect(seen == seen.sorted())
        #expect(seen.allSatisfy { _ in true })

        var police = CameraQuery()
        police.department = "06"
        police.pointClass = "1"
        police.includeTotal = true
        let policeFirst = try await store.search(police)
        #expect(policeFirst.items.allSatisfy { $0.record[.department] == "06" && $0.record[.pointClass] == "1" })

        var text = CameraQuery()
        text.text = "香洲路"
        let byText = try await store.search(text)
        #expect(!byText.items.isEmpty && byText.items.allSatisfy { $0.record.name.contains("香洲路") || $0.record[.address].contains("香洲路") })

        var box = CameraQuery()
        box.boundingBox = [115.6, 23.2, 115.7, 23.3]
        box.sort = .name
        box.descending = true
        let boxed = try await store.search(box)
        #expect(boxed.items.allSatisfy { ($0.record.longitude ?? 0) >= 115.6 && ($0.record.latitude ?? 0) <= 23.3 })
        #expect(boxed.items.map(\.record.name) == boxed.items.map(\.record.name).sorted(by: >))

        var errors = CameraQuery()
        errors.hasErrors = true
        errors.includeTotal = true
        let withErrors = try await store.search(errors)
        #expect(withErrors.total == Set(try SharedData.plantedFindings().map(\.row)).count)
    }
}
