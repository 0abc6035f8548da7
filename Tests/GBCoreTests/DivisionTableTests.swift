import Testing
@testable import GBCore

@Suite struct DivisionTableTests {
    let table = DivisionTable.standard

    @Test func loadsEveryDivision() {
        #expect(table.count == 3429)
    }

    @Test func lookupAndChain() throws {
        let luhe = try #require(table.division(code: "441523"))
        #expect(luhe.name == "陆河县")
        #expect(luhe.level == .county)
        #expect(table.chain(code: "441523").map(\.code) == ["441523", "441500", "440000"])
        #expect(table.fullName(code: "441523") == "广东省汕尾市陆河县")
        #expect(table.fullName(code: "110101") == "北京市东城区")
        #expect(table.isWithin("441523", ancestor: "441500"))
        #expect(!table.isWithin("441523", ancestor: "441300"))
        #expect(table.division(code: "449523") == nil)
    }

    @Test func childrenAndSearch() {
        #expect(table.children(of: "441500").map(\.code) == ["441502", "441521", "441523", "441581"])
        #expect(table.search(name: "汕尾").first?.code == "441500")
    }

    @Test func centreDistance() throws {
        let shanwei = try #require(table.centre(code: "441500"))
        let luhe = try #require(table.centre(code: "441523"))
        let distance = shanwei.distance(to: luhe)
        #expect(distance > 50_000 && distance < 70_000)
        #expect(shanwei.isInsideChina)
        #expect(!GeoPoint(longitude: 0, latitude: 0).isInsideChina)
    }

    @Test func badTableLinesAreReported() {
        #expect(throws: DivisionTableError.self) { try DivisionTable(csv: "110000,北京市,planet,,1,2") }
    }
}
