import Testing
@testable import GBCore

@Suite struct DeviceCodeTests {
    @Test func partsOfAPlatformID() throws {
        let code = try DeviceCode(parsing: "34020000002000000001")
        #expect(code.centre == "34020000")
        #expect(code.provinceDigits == "34")
        #expect(code.cityDigits == "02")
        #expect(code.countyDigits == "00")
        #expect(code.baseUnitDigits == "00")
        #expect(code.divisionCode == "340200")
        #expect(code.industry == IndustryCode(0))
        #expect(code.type == .signallingServer)
        #expect(code.type.category == .platform)
        #expect(code.network.digit == 0)
        #expect(code.sequence == "000001")
        #expect(code.sipDomain == "3402000000")
    }

    @Test func partsOfACamera() throws {
        let code = try DeviceCode(parsing: " 44152309581320861168 ")
        #expect(code.rawValue == "44152309581320861168")
        #expect(code.divisionCode == "441523")
        #expect(code.baseUnitDigits == "09")
        #expect(code.industry.value == 58)
        #expect(code.industry.group == .economicSection)
        #expect(code.type == .ipc)
        #expect(code.type.isCameraRecordType)
        #expect(code.network.kind == .monitoringPrivate)
        #expect(code.problems(divisions: .standard).isEmpty)
    }

    @Test(arguments: [
        ("4415025109131089923", DeviceCodeError.wrongLength(actual: 19)),
        ("441502510913108992312", DeviceCodeError.wrongLength(actual: 21)),
        ("", DeviceCodeError.wrongLength(actual: 0)),
        ("4415025109131089923X", DeviceCodeError.nonDigit(position: 20, character: "X", length: 20)),
        ("44一5025109131089923", DeviceCodeError.nonDigit(position: 3, character: "一", length: 19)),
    ])
    func malformedShapes(text: String, expected: DeviceCodeError) {
        #expect(throws: expected) { try DeviceCode(parsing: text) }
    }

    @Test func errorMessagesSayWhatToFix() {
        let error = DeviceCodeError.wrongLength(actual: 19)
        #expect(error.message.zh.contains("20位"))
        #expect(error.message.en.contains("19"))
    }

    @Test(arguments: [
        ("44952342111326004103", DeviceCodeProblem.unknownDivision("449523")),
        ("44158118771328124142", DeviceCodeProblem.unassignedIndustry(77)),
        ("44158118041008124142", DeviceCodeProblem.invalidType(100)),
    ])
    func problemsInParts(text: String, expected: DeviceCodeProblem) throws {
        let code = try DeviceCode(parsing: text)
        #expect(code.problems(divisions: .standard) == [expected])
    }

    @Test(arguments: [
        (111, DeviceTypeCode.Category.frontEndMainDevice), (118, .frontEndMainDevice), (121, .frontEndMainDevice),
        (130, .frontEndMainDevice), (131, .peripheral), (132, .peripheral), (199, .peripheral),
        (200, .platform), (215, .businessGroup), (216, .virtualOrganisation), (299, .platform),
        (300, .centreUser), (401, .terminalUser), (502, .applicationPlatform), (700, .extended), (110, .invalid), (0, .invalid),
    ])
    func typeCategories(value: Int, expected: DeviceTypeCode.Category) {
        #expect(DeviceTypeCode(value).category == expected)
    }

    @Test func cameraRecordTypes() {
        #expect(DeviceTypeCode(131).isCameraRecordType)
        #expect(DeviceTypeCode(132).isCameraRecordType)
        #expect(DeviceTypeCode(121).isCameraRecordType)
        #expect(!DeviceTypeCode(133).isCameraRecordType)
        #expect(!DeviceTypeCode(130).isCameraRecordType)
        #expect(DeviceTypeCode(118).mayRegister)
        #expect(!DeviceTypeCode(215).mayRegister)
    }

    @Test(arguments: [(0, IndustryCode.Group.publicSecurity), (5, .traffic), (8, .cityManagement), (11, .education),
                      (12, .reserved), (39, .reserved), (40, .economicSection), (59, .economicSection), (60, .reserved)])
    func industryGroups(value: Int, expected: IndustryCode.Group) {
        #expect(IndustryCode(value).group == expected)
    }

    @Test func industryLabels() {
        #expect(IndustryCode(40).label.en == "GB/T 4754 section A")
        #expect(IndustryCode(59).label.en == "GB/T 4754 section T")
        #expect(IndustryCode(11).label.zh == "教育部门接入")
    }

    @Test func codableRoundTrip() throws {
        let code = try DeviceCode(parsing: "34020000001320000001")
        let data = try JSONEncoder().encode([code])
        #expect(String(decoding: data, as: UTF8.self) == #"["34020000001320000001"]"#)
        #expect(try JSONDecoder().decode([DeviceCode].self, from: data) == [code])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([DeviceCode].self, from: Data(#"["123"]"#.utf8)) }
    }
}

import Foundation
