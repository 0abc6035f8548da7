import GBCore

/// The fields of a video platform's record (spec section 3; Lu'an inventory form 1; Shanwei
/// Appendix 4). Departments run these platforms; cameras name them in their platform-code field.
public enum PlatformField: String, CaseIterable, Sendable, Codable {
    case code, name, vendor, compliant, network, description, connected, buildDate, buildCost, yearlyCost
    case buildMode, cameraCount, directoryStatus, rectification, remark

    public var header: LocalizedText {
        switch self {
        case .code: LocalizedText(zh: "平台编码", en: "platform code")
        case .name: LocalizedText(zh: "名称", en: "name")
        case .vendor: LocalizedText(zh: "平台厂商", en: "vendor")
        case .compliant: LocalizedText(zh: "是否符合GB/T 28181", en: "GB/T 28181 compliant")
        case .network: LocalizedText(zh: "网络类型", en: "network")
        case .description: LocalizedText(zh: "平台描述", en: "description")
        case .connected: LocalizedText(zh: "是否已对接本级“雪亮平台”", en: "connected to the city platform")
        case .buildDate: LocalizedText(zh: "建设时间", en: "build date")
        case .buildCost: LocalizedText(zh: "建设费用（万元）", en: "build cost (10k CNY)")
        case .yearlyCost: LocalizedText(zh: "运维费（万元/年）", en: "yearly operations cost (10k CNY)")
        case .buildMode: LocalizedText(zh: "建设模式", en: "build mode")
        case .cameraCount: LocalizedText(zh: "摄像机数量", en: "camera count")
        case .directoryStatus: LocalizedText(zh: "目录编制情况", en: "directory status")
        case .rectification: LocalizedText(zh: "整改方向", en: "rectification direction")
        case .remark: LocalizedText(zh: "备注", en: "remark")
        }
    }

    public var aliases: [String] {
        switch self {
        case .name: ["平台名称", "系统名称"]
        case .vendor: ["厂商"]
        case .compliant: ["是否符合gb/t28181", "是否符合国标", "符合gb/t28181"]
        case .connected: ["是否已对接本级雪亮平台", "是否已对接", "是否对接"]
        case .buildCost: ["建设费用"]
        case .yearlyCost: ["运维费", "年运维费"]
        case .cameraCount: ["摄像头数量", "视频数量"]
        case .code: ["国标编码", "sip编码"]
        default: []
        }
    }

    /// Values the form allows, where it restricts them.
    public var allowedValues: [String]? {
        switch self {
        case .compliant, .connected: ["是", "否"]
        case .network: ["互联网", "部门专线", "公安视频专线", "电子政务外网", "行业专网", "单位内网"]
        case .buildMode: ["自建", "租赁"]
        case .directoryStatus: ["未编制", "部分符合", "符合"]
        default: nil
        }
    }
}

/// A platform as filed; values kept as written, findings reported beside them.
public struct PlatformRecord: Hashable, Sendable, Codable {
    public var values: [PlatformField: String]

    public init(values: [PlatformField: String] = [:]) {
        self.values = values.filter { !$0.value.isEmpty }
    }

    public subscript(field: PlatformField) -> String {
        get { values[field] ?? "" }
        set { values[field] = newValue.isEmpty ? nil : newValue }
    }

    /// Its SIP ID when filed, else its name: the Lu'an form has no code column.
    public var key: String { self[.code].isEmpty ? self[.name] : self[.code] }

    /// Problems with the record, as messages (platform rules are few: the code and the form's lists).
    public func problems() -> [LocalizedText] {
        var found: [LocalizedText] = []
        if self[.name].isEmpty { found.append(LocalizedText(zh: "平台名称为空", en: "the platform has no name")) }
        let code = self[.code]
        if !code.isEmpty {
            let parsed = try? DeviceCode(parsing: code)
            if parsed?.type != .signallingServer {
                found.append(LocalizedText(zh: "平台编码\(code)应为20位、类型码200的国标编码", en: "platform code \(code) must be a 20-digit code of type 200"))
            }
        }
        for field in PlatformField.allCases {
            let value = self[field]
            if let allowed = field.allowedValues, !value.isEmpty, !allowed.contains(value) {
                found.append(LocalizedText(zh: "“\(field.header.zh)”应为\(allowed.joined(separator: "/"))",
                                           en: "'\(field.header.en)' must be one of \(allowed.joined(separator: "/"))"))
            }
        }
        for field in [PlatformField.buildCost, .yearlyCost, .cameraCount] where !self[field].isEmpty && Double(self[field]) == nil {
            found.append(LocalizedText(zh: "“\(field.header.zh)”应为数字", en: "'\(field.header.en)' must be a number"))
        }
        return found
    }
}

extension PlatformRecord {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: DynamicKey.self)
        var values: [PlatformField: String] = [:]
        for key in container.allKeys {
            guard let field = PlatformField(rawValue: key.stringValue) else { continue }
            if let text = try? container.decode(String.self, forKey: key) {
                values[field] = text
            } else if let number = try? container.decode(Double.self, forKey: key) {
                values[field] = number == number.rounded() ? String(Int(number)) : String(number)
            }
        }
        self.init(values: values)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: DynamicKey.self)
        for field in PlatformField.allCases { try container.encode(self[field], forKey: DynamicKey(field.rawValue)) }
    }
}
