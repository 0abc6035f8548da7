import Foundation
import GBCore
import Testing
@testable import Directory

/// Every rule with a passing and a failing example.
@Suite struct ValidationRuleTests {
    static let validator = CameraValidator()

    static func rules(_ change: (inout CameraRecord) -> Void) -> Set<String> {
        var record = StoreTests.sampleRecord()
        change(&record)
        return Set(validator.validate(record).map(\.rule.rawValue))
    }

    @Test func theCleanRecordPasses() {
        #expect(Self.validator.validate(StoreTests.sampleRecord()).filter { $0.severity == .error }.isEmpty)
    }

    static let failing: [(String, @Sendable (inout CameraRecord) -> Void)] = [
        ("code_length", { $0[.code] = "4415230958132086116" }),
        ("code_digits", { $0[.code] = "4415230958132086116X" }),
        ("code_division", { $0[.code] = "44952309581320861168" }),
        ("code_industry", { $0[.code] = "44152309771320861168" }),
        ("code_type", { $0[.code] = "44152309581330861168" }),
        ("code_type", { $0[.code] = "44152309581000861168" }),
        ("division_mismatch", { $0[.division] = "441502" }),
        ("division_unknown", { $0[.division] = "449999" }),
        ("required_missing", { $0[.builder] = "" }),
        ("enum_value", { $0[.cameraType] = "7" }),
        ("enum_value", { $0[.defaultPermissions] = "1,8" }),
        ("enum_value", { $0[.coordinateSystem] = "GCJ02" }),
        ("enum_value", { $0[.retentionDays] = "thirty" }),
        ("too_long", { $0[.name] = String(repeating: "名", count: 101) }),
        ("coord_precision", { $0[.longitude] = "115.66875" }),
        ("coord_sixth_zero", { $0[.latitude] = "23.274750" }),
        ("coord_not_number", { $0[.latitude] = "二十三" }),
        ("coord_zero", { $0[.longitude] = "0.000001"; $0[.latitude] = "0.000001"; $0[.longitude] = "0"; $0[.latitude] = "0" }),
        ("coord_swapped", { $0[.longitude] = "23.274754"; $0[.latitude] = "115.668755" }),
        ("coord_outside_china", { $0[.longitude] = "-3.703791"; $0[.latitude] = "40.416775" }),
        ("coord_outside_division", { $0[.longitude] = "116.400468"; $0[.latitude] = "39.859751" }),
        ("ipv4_format", { $0[.ipv4] = "300.1.1.1" }),
        ("ipv4_format", { $0[.ipv4] = "10.1.1" }),
        ("mac_format", { $0[.mac] = "f8-a4-5f-ff-2d-4f" }),
        ("pole_number", { $0[.poleNumber] = "12345" }),
        ("retention_short", { $0[.retentionDays] = "15" }),
        ("retention_short", { $0[.pointClass] = "1"; $0[.retentionDays] = "60" }),
        ("position_type_format", { $0[.positionTypes] = "A0101,街面" }),
        ("platform_code_format", { $0[.platformCode] = "44152300581320000001" }),
        ("industry_department", { $0[.code] = "44152309001320861168" }),
        ("network_access_mismatch", { $0[.accessNetwork] = "4"; $0[.code] = "44152309581320861168"; $0[.code] = "44152309581325861168" }),
        ("coord_far_from_division", { $0[.longitude] = "116.168755" }),
        ("pole_prefix_mismatch", { $0[.poleNumber] = "441523112182" }),
        ("not_shared_without_reason", { $0[.shareAttribute] = "2" }),
        ("checkpoint_name", { $0[.cameraType] = "5" }),
        ("build_date_format", { $0[.buildDate] = "2020年3月" }),
        ("retention_unusual", { $0[.retentionDays] = "9999" }),
    ]

    @Test(arguments: 0..<failing.count)
    func eachRuleFires(index: Int) {
        let (rule, change) = Self.failing[index]
        #expect(Self.rules(change).contains(rule), "\(rule) did not fire")
        #expect(!Self.rules { _ in }.contains(rule), "\(rule) fires on the clean record")
    }

    @Test func everyRuleHasAFailingExample() {
        let covered = Set(Self.failing.map(\.0)).union(["duplicate_code", "file_format"])
        #expect(covered == Set(DirectoryRule.allCases.map(\.rawValue)))
    }

    @Test func passingExamples() {
        #expect(!Self.rules { $0[.ipv4] = "0.0.0.0" }.contains("ipv4_format"))
        #expect(!Self.rules { $0[.mac] = "F8:A4:5F:FF:2D:4F" }.contains("mac_format"))
        #expect(!Self.rules { $0[.cameraType] = "5"; $0[.name] = "汕尾市陆河县香洲路口（西往东）车道1" }.contains("checkpoint_name"))
        #expect(!Self.rules { $0[.shareAttribute] = "2"; $0[.remark] = "涉密场所" }.contains("not_shared_without_reason"))
        #expect(!Self.rules { $0[.buildDate] = "2020.03" }.contains("build_date_format"))
        #expect(!Self.rules { $0[.pointClass] = "1"; $0[.retentionDays] = "90" }.contains("retention_short"))
        // A city-level code may file a camera in any of its counties.
        #expect(!Self.rules { $0[.code] = "44150009581320861168" }.contains("division_mismatch"))
        #expect(!Self.rules { $0[.department] = "6"; $0[.code] = "44152309001320861168" }.contains("enum_value"))
    }

    @Test func duplicateCodesAreReportedOnLaterRows() {
        var tracker = DuplicateCodeTracker()
        #expect(tracker.see("A", row: 1) == nil)
        #expect(tracker.see("B", row: 2) == nil)
        #expect(tracker.see("A", row: 7)?.rule == .duplicateCode)
        #expect(tracker.see("A", row: 7)?.message.zh.contains("第1行") == true)
        #expect(tracker.see("", row: 8) == nil)
    }

    @Test func messagesAreBilingualAndNameTheValue() {
        var record = StoreTests.sampleRecord()
        record[.ipv4] = "300.1.1.1"
        let finding = Self.validator.validate(record, row: 98).first { $0.rule == .ipv4Format }
        #expect(finding?.row == 98)
        #expect(finding?.message.zh.contains("300.1.1.1") == true)
        #expect(finding?.message.en.contains("300.1.1.1") == true)
    }
}
