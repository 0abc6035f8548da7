/// The 20-digit code of GB/T 28181 Appendix D: `CCCCCCCC II TTT N SSSSSS`, centre (division + base
/// unit), industry, type, network, sequence. The code belongs to a device for life (Lu'an guidance
/// 6.1.2): it never changes when a camera moves across networks, so it is the key of every record.
public struct DeviceCode: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Exactly 20 ASCII digits.
    public let rawValue: String
    private let ascii: [UInt8]

    public static let length = 20

    /// Checks the shape only (20 ASCII digits). Whether the parts are real (division exists,
    /// industry assigned, type valid) is `problems(divisions:)`, because a record with a wrong part
    /// is still kept and reported, never refused.
    public init(parsing text: String) throws(DeviceCodeError) {
        let trimmed = text.trimmedWhitespace
        if trimmed.utf8.contains(where: { $0 < UInt8(ascii: "0") || $0 > UInt8(ascii: "9") }) {
            for (offset, character) in trimmed.enumerated() where !("0"..."9").contains(character) {
                throw .nonDigit(position: offset + 1, character: String(character), length: trimmed.count)
            }
        }
        guard trimmed.utf8.count == Self.length else {
            throw .wrongLength(actual: trimmed.utf8.count)
        }
        self.rawValue = trimmed
        self.ascii = Array(trimmed.utf8)
    }

    public var description: String { rawValue }

    public static func < (lhs: DeviceCode, rhs: DeviceCode) -> Bool { lhs.rawValue < rhs.rawValue }

    public static func == (lhs: DeviceCode, rhs: DeviceCode) -> Bool { lhs.rawValue == rhs.rawValue }

    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }

    private func part(_ range: Range<Int>) -> String {
        String(decoding: ascii[range], as: UTF8.self)
    }

    private func number(_ range: Range<Int>) -> Int {
        ascii[range].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }

    /// Digits 1-8: the monitoring centre the device belongs to.
    public var centre: String { part(0..<8) }
    public var provinceDigits: String { part(0..<2) }
    public var cityDigits: String { part(2..<4) }
    public var countyDigits: String { part(4..<6) }
    /// Digits 7-8: the base access unit (township, street, police station), `00` when none.
    public var baseUnitDigits: String { part(6..<8) }
    /// Digits 1-6 as a GB/T 2260 division code (province, city or county, zero-padded).
    public var divisionCode: String { part(0..<6) }
    public var industry: IndustryCode { IndustryCode(number(8..<10)) }
    public var type: DeviceTypeCode { DeviceTypeCode(number(10..<13)) }
    public var network: NetworkIdentifier { NetworkIdentifier(digit: number(13..<14)) }
    public var sequence: String { part(14..<20) }
    /// The SIP domain convention: the first 10 digits (centre + industry) of a platform's ID.
    public var sipDomain: String { part(0..<10) }

    /// What is wrong with the parts of a well-shaped code, in the order a clerk should fix them.
    public func problems(divisions: DivisionTable) -> [DeviceCodeProblem] {
        var found: [DeviceCodeProblem] = []
        if divisions.division(code: divisionCode) == nil {
            found.append(.unknownDivision(divisionCode))
        }
        if !industry.isAssigned {
            found.append(.unassignedIndustry(industry.value))
        }
        if type.category == .invalid {
            found.append(.invalidType(type.value))
        }
        return found
    }
}

extension DeviceCode: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message.en))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// Why a text is not a 20-digit code at all.
public enum DeviceCodeError: Error, Hashable, Sendable, CustomStringConvertible {
    case wrongLength(actual: Int)
    case nonDigit(position: Int, character: String, length: Int)

    public var message: LocalizedText {
        switch self {
        case .wrongLength(let actual):
            LocalizedText(zh: "设备编码应为20位数字，实际为\(actual)位",
                          en: "a device code has 20 digits; this one has \(actual)")
        case .nonDigit(let position, let character, _):
            LocalizedText(zh: "设备编码第\(position)位“\(character)”不是数字，编码只能由20位数字组成",
                          en: "character \(position) of the device code is '\(character)', not a digit; a code is 20 digits")
        }
    }

    public var description: String { message.en }
}

/// A part of a well-shaped code that the standard's tables do not allow.
public enum DeviceCodeProblem: Hashable, Sendable, CustomStringConvertible {
    case unknownDivision(String)
    case unassignedIndustry(Int)
    case invalidType(Int)

    public var message: LocalizedText {
        switch self {
        case .unknownDivision(let code):
            LocalizedText(zh: "编码前6位\(code)不是GB/T 2260行政区划代码，前6位应为省市县行政区划代码",
                          en: "digits 1-6 (\(code)) are not a GB/T 2260 division; they must be the province/city/county code")
        case .unassignedIndustry(let value):
            LocalizedText(zh: "编码第9-10位行业编码\(String(format: "%02d", value))未在GB/T 28181行业编码表中分配",
                          en: "industry code \(String(format: "%02d", value)) (digits 9-10) is not assigned in the GB/T 28181 table")
        case .invalidType(let value):
            LocalizedText(zh: "编码第11-13位类型编码\(String(format: "%03d", value))不是有效的设备类型",
                          en: "type code \(String(format: "%03d", value)) (digits 11-13) is not a valid device type")
        }
    }

    public var description: String { message.en }
}

import Foundation
