import Testing
@testable import GBCore

@Suite struct DictionaryTests {
    @Test func departmentCodesAndLabels() {
        #expect(DepartmentCode.allCases.count == 33)
        #expect(DepartmentCode(code: "06") == .publicSecurity)
        #expect(DepartmentCode(code: "6") == .publicSecurity)   // Excel dropped the zero
        #expect(DepartmentCode(code: "33") == nil)
        #expect(DepartmentCode.dataBureau.label.zh == "政务服务数据管理部门")
    }

    @Test func everyDictionaryHasUniqueCodesAndLabels() {
        func check<D: DirectoryDictionary>(_: D.Type) {
            #expect(Set(D.allCases.map(\.code)).count == D.allCases.count)
            #expect(D.allCases.allSatisfy { !$0.label.zh.isEmpty && !$0.label.en.isEmpty })
        }
        check(PointClass.self); check(CameraType.self); check(NetworkStatus.self); check(InstallPlacement.self)
        check(DeviceStatus.self); check(CoordinateSystem.self); check(ShareAttribute.self); check(Permission.self)
        check(DepartmentCode.self); check(AccessNetwork.self); check(Bearing.self); check(Manufacturer.self)
        check(VideoCodecCode.self)
    }

    @Test func codeCounts() {
        #expect(Manufacturer.allCases.count == 18)
        #expect(AccessNetwork.allCases.count == 10)
        #expect(Bearing.allCases.count == 9)
        #expect(CameraType(code: "99") == .other)
        #expect(PointClass(code: "4") == nil)
    }

    @Test func permissionSets() {
        let parsed = PermissionSet.parse("1，2、4,7")
        #expect(parsed.set.description == "1,2,4")
        #expect(parsed.invalid == ["7"])
        #expect(PermissionSet.parse("").set.members.isEmpty)
    }

    @Test func coordinateSystemSpellings() {
        #expect(CoordinateSystem(written: "wgs-84") == .wgs84)
        #expect(CoordinateSystem(written: "大地2000") == .cgcs2000)
        #expect(CoordinateSystem(written: "GCJ02") == nil)
    }

    @Test func languagePreference() {
        #expect(Language(preference: nil) == .zh)
        #expect(Language(preference: "en-US,en;q=0.9") == .en)
        #expect(Language(preference: "zh-CN,zh;q=0.9,en;q=0.8") == .zh)
    }
}

@Suite struct GB18030Tests {
    // Byte vectors of gb28181.md 1.5.
    @Test(arguments: [("摄像机", "c9e3cff1bbfa"), ("大门", "b4f3c3c5"), ("一号门摄像机", "d2bbbac5c3c5c9e3cff1bbfa"), ("海康威视", "baa3bfb5cdfecad3")])
    func roundTrip(text: String, hex: String) throws {
        let bytes = try #require(GB18030.encode(text))
        #expect(bytes.map { String(format: "%02x", $0) }.joined() == hex)
        #expect(GB18030.decode(bytes) == text)
    }
}

@Suite struct TrimmingTests {
    @Test(arguments: [("  a b \t", "a b"), ("\u{3000}摄像机\u{3000}", "摄像机"), ("\u{FEFF}设备编码", "设备编码"), ("", ""), ("   ", ""), ("x", "x"), ("\r\n值\n", "值")])
    func trims(input: String, expected: String) {
        #expect(input.trimmedWhitespace == expected)
    }
}
