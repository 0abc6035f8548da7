import Foundation
import GBCore
import Testing
@testable import Directory

/// The Lu'an inventory forms (001, annex): the camera form and the platform form, as clerks fill them.
@Suite struct LuanFormTests {
    static let cameraForm = """
    序号,20位编码,名称,管理平台名称,品牌,型号,"所在市、 县（区）、 乡镇（街
    道）",经度,纬度,"建设
    时间",是否 以租 代建,状态,"计划
    整合
    方式",备注
    示例,"34012341001
    320175079",望潜交口东南角,旅游视频管理平台,XXX,XXX,六安市金安区,117.266573,31.870837,2020.03,否,在用,保留,
    1,34150211001320175080,金安区政府门口,政务视频平台,海康威视,DS-2CD,六安市金安区,117.266574,31.870838,2021.05,是,维修,迁移,
    """

    @Test func cameraFormIsReadWithItsOwnRequiredSet() throws {
        let url = SharedData.temporaryFile("luan-cameras.csv")
        try Self.cameraForm.write(to: url, atomically: true, encoding: .utf8)
        var file = try DirectoryFile.open(url: url)
        #expect(file.layout == .luanCamera)
        var rows: [ImportedRow] = []
        while let row = try file.next() { rows.append(row) }
        #expect(rows.count == 2)
        let example = rows[0].record
        #expect(example.code == "34012341001320175079")
        #expect(example[.locality] == "六安市金安区")
        #expect(example[.division] == "341502")
        #expect(example.deviceStatus == .inUse)
        #expect(example[.plannedIntegration] == "保留")
        #expect(example[.platformName] == "旅游视频管理平台")
        // The Lu'an form has no builder column, so its absence is not a finding; the code's parts are.
        #expect(!rows[0].findings.contains { $0.rule == .requiredMissing })
        #expect(rows[1].record.deviceStatus == .underRepair)
        #expect(rows[1].findings.filter { $0.severity == .error }.isEmpty, "\(rows[1].findings.map(\.message.en))")
    }

    @Test func platformFormImportsAndSkipsTheExampleRow() async throws {
        let form = #"""
        序号,名称,平台厂商,是否符合GB/T 28181,网络类型,平台描述,"是否已对接本级“雪亮平台""",建设时间,建设费用（万元）,运维费（万元/年）,备注
        示例,旅游视频管理平台,XXX,是,部门专线,管理4A级景区出入口视频,否,2020.03,100,10,
        1,城管视频平台,大华,是,电子政务外网,市容巡查,是,2019.06,80,8,
        2,水务监控平台,宇视,不确定,卫星,河道监控,否,2021.01,一百,5,
        """#
        let url = SharedData.temporaryFile("luan-platforms.csv")
        try form.write(to: url, atomically: true, encoding: .utf8)
        let db = try await TestDatabase.make(.sqlite)
        defer { Task { await db.shutdown() } }
        let store = PlatformStore(database: db.database)
        let outcome = try await store.importFile(url: url)
        #expect(outcome.rows == 2)
        #expect(outcome.saved == 2)
        #expect(outcome.problems.filter { $0.row == 3 }.count == 3)
        let platforms = try await store.all()
        #expect(platforms.map(\.record.key).sorted() == ["城管视频平台", "水务监控平台"])
        #expect(platforms.first { $0.record.key == "城管视频平台" }?.record[.connected] == "是")
        let again = try await store.importFile(url: url)
        #expect(again.unchanged == 2 && again.saved == 0)
    }

    @Test func placesInWordsResolveToDivisions() {
        let table = DivisionTable.standard
        #expect(table.resolve(place: "六安市金安区")?.code == "341502")
        #expect(table.resolve(place: "广东省汕尾市陆河县河口镇")?.code == "441523")
        #expect(table.resolve(place: "汕尾市")?.code == "441500")
        #expect(table.resolve(place: "火星") == nil)
    }
}
