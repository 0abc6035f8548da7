/// Digits 9-10 of a device code (GB/T 28181 Appendix D, table D.2). The lead documents of the
/// platform (Lu'an 001) insist these digits are "filled truthfully": they must name the camera's real
/// owner, which is why the directory compares them with the department field.
public struct IndustryCode: Hashable, Sendable, Comparable {
    public let value: Int

    public init(_ value: Int) { self.value = value }

    public static func < (lhs: IndustryCode, rhs: IndustryCode) -> Bool { lhs.value < rhs.value }

    public enum Group: String, Sendable, CaseIterable {
        case publicSecurity      // 00-03
        case traffic             // 04-07
        case cityManagement      // 08
        case healthEnvironment   // 09
        case inspectionCustoms   // 10
        case education           // 11
        case economicSection     // 40-59, GB/T 4754 sections A-T
        case reserved            // 12-39, 60-99
    }

    public var group: Group {
        switch value {
        case 0...3: .publicSecurity
        case 4...7: .traffic
        case 8: .cityManagement
        case 9: .healthEnvironment
        case 10: .inspectionCustoms
        case 11: .education
        case 40...59: .economicSection
        default: .reserved
        }
    }

    /// Reserved codes exist in the table but are not to be used by any device.
    public var isAssigned: Bool { group != .reserved }

    public var label: LocalizedText {
        switch value {
        case 0: LocalizedText(zh: "社会治安路面接入", en: "public-security road")
        case 1: LocalizedText(zh: "社会治安社区接入", en: "public-security community")
        case 2: LocalizedText(zh: "社会治安内部接入", en: "police internal")
        case 3: LocalizedText(zh: "社会治安其他接入", en: "other public security")
        case 4: LocalizedText(zh: "交通路面接入", en: "traffic road")
        case 5: LocalizedText(zh: "交通卡口接入", en: "traffic checkpoint")
        case 6: LocalizedText(zh: "交通内部接入", en: "traffic internal")
        case 7: LocalizedText(zh: "交通其他接入", en: "traffic other")
        case 8: LocalizedText(zh: "城市管理接入", en: "city management")
        case 9: LocalizedText(zh: "卫生环保接入", en: "health and environment")
        case 10: LocalizedText(zh: "商检海关接入", en: "inspection and customs")
        case 11: LocalizedText(zh: "教育部门接入", en: "education")
        case 40...59:
            LocalizedText(zh: "GB/T 4754门类\(Self.sectionLetter(value))", en: "GB/T 4754 section \(Self.sectionLetter(value))")
        default: LocalizedText(zh: "预留", en: "reserved")
        }
    }

    /// 40 is section A (agriculture) ... 59 is section T (international organisations).
    private static func sectionLetter(_ value: Int) -> String {
        String(UnicodeScalar(UInt8(ascii: "A") + UInt8(value - 40)))
    }
}

/// Digit 14 of a device code. The 2016 text and the 2022 text label the digits differently
/// (spec gb28181.md 1.1); the directory uses the 2016 labels of the city plan.
public struct NetworkIdentifier: Hashable, Sendable {
    public let digit: Int

    public init(digit: Int) { self.digit = digit }

    public enum Kind: String, Sendable {
        case monitoringPrivate      // 0-4
        case policeInformation      // 5
        case government             // 6
        case internet               // 7
        case socialResourceAccess   // 8
        case reserved               // 9
    }

    public var kind: Kind {
        switch digit {
        case 0...4: .monitoringPrivate
        case 5: .policeInformation
        case 6: .government
        case 7: .internet
        case 8: .socialResourceAccess
        default: .reserved
        }
    }

    public var label: LocalizedText {
        switch kind {
        case .monitoringPrivate: LocalizedText(zh: "监控报警专网", en: "monitoring/alarm private network")
        case .policeInformation: LocalizedText(zh: "公安信息网", en: "police information network")
        case .government: LocalizedText(zh: "政务网", en: "government network")
        case .internet: LocalizedText(zh: "互联网", en: "Internet")
        case .socialResourceAccess: LocalizedText(zh: "社会资源接入网", en: "social resource access network")
        case .reserved: LocalizedText(zh: "预留", en: "reserved")
        }
    }
}
