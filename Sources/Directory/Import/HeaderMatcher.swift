import GBCore

/// Header cells as clerks really write them: `设备编码*`, `摄像机所属\n部门/行业*`, `经度（WGS84）`,
/// full-width brackets and spaces. Matching compares a normal form, then the form without a
/// bracketed note.
public enum HeaderName {
    public static func normalise(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "*", "＊", " ", "\u{3000}", "\t", "\n", "\r", "\u{FEFF}", "\u{00A0}", "\"", "“", "”", "'", "‘", "’": continue
            case "（": result.append("(")
            case "）": result.append(")")
            case "／": result.append("/")
            default: result.append(contentsOf: character.lowercased())
            }
        }
        return result
    }

    /// `经度(wgs84)` → `经度`.
    public static func withoutNote(_ normalised: String) -> String {
        guard let open = normalised.firstIndex(of: "("), normalised.last == ")" else { return normalised }
        return String(normalised[..<open])
    }
}

/// Which form a file follows; each has its own columns and its own required set.
public enum ImportLayout: String, Sendable, Codable, CaseIterable {
    /// Appendix 5 of the Shanwei plan: the full directory.
    case appendix5
    /// The Lu'an inventory form 2, "platform's cameras": a lighter list made while taking stock.
    case luanCamera
    /// The Lu'an inventory form 1, "managed platforms".
    case luanPlatform

    public var label: LocalizedText {
        switch self {
        case .appendix5: LocalizedText(zh: "资源目录（附录五）", en: "resource directory (Appendix 5)")
        case .luanCamera: LocalizedText(zh: "平台接入摄像机清单", en: "platform camera inventory")
        case .luanPlatform: LocalizedText(zh: "监控管理平台清单", en: "managed platform inventory")
        }
    }

    /// The camera fields a row of this layout must fill in.
    public var requiredCameraFields: [CameraField] {
        switch self {
        case .appendix5: CameraField.allCases.filter(\.isRequired)
        case .luanCamera: [.code, .name, .longitude, .latitude]
        case .luanPlatform: []
        }
    }
}

/// The columns of a header row matched to camera fields.
public struct CameraColumnMap: Sendable {
    public let layout: ImportLayout
    /// Column index → field.
    public let fields: [Int: CameraField]
    /// Headers that named nothing we know (reported, their data is not stored).
    public let ignoredHeaders: [String]

    /// Lu'an form 2 headers that are not Appendix 5 fields.
    static let luanCameraHeaders: [String: CameraField] = [
        "20位编码": .code, "名称": .name, "管理平台名称": .platformName, "品牌": .brand, "型号": .model,
        "所在市、县(区)、乡镇(街道)": .locality, "所在市县(区)乡镇(街道)": .locality, "建设时间": .buildDate,
        "是否以租代建": .leased, "状态": .deviceStatus, "计划整合方式": .plannedIntegration, "备注": .remark,
    ]

    public init(header: [String]) throws(HeaderError) {
        var lookup: [String: CameraField] = [:]
        for field in CameraField.allCases {
            lookup[HeaderName.normalise(field.header.zh)] = field
            lookup[HeaderName.normalise(field.header.en)] = field
            lookup[HeaderName.normalise(field.rawValue)] = field
            for alias in field.aliases { lookup[HeaderName.normalise(alias)] = field }
        }
        for (text, field) in Self.luanCameraHeaders { lookup[HeaderName.normalise(text)] = field }
        var fields: [Int: CameraField] = [:]
        var ignored: [String] = []
        for (index, cell) in header.enumerated() {
            let name = HeaderName.normalise(cell)
            guard !name.isEmpty else { continue }
            if let field = lookup[name] ?? lookup[HeaderName.withoutNote(name)], !fields.values.contains(field) {
                fields[index] = field
            } else if name != "序号" && name != "no." {
                ignored.append(cell)
            }
        }
        let present = Set(fields.values)
        let normalisedHeaders = Set(header.map(HeaderName.normalise))
        if normalisedHeaders.contains("平台厂商") || (normalisedHeaders.contains("是否符合gb/t28181") && !present.contains(.code)) {
            throw .platformLayout
        }
        let layout: ImportLayout = present.contains(.locality) || present.contains(.platformName) && !present.contains(.builder)
            ? .luanCamera : .appendix5
        let missing = layout.requiredCameraFields.filter { !present.contains($0) }
        if !missing.isEmpty { throw .missingColumns(missing.map(\.header), layout: layout) }
        self.layout = layout
        self.fields = fields
        self.ignoredHeaders = ignored
    }

    public enum HeaderError: Error, Sendable, CustomStringConvertible {
        case missingColumns([LocalizedText], layout: ImportLayout)
        case platformLayout

        public var message: LocalizedText {
            switch self {
            case .missingColumns(let names, let layout):
                LocalizedText(zh: "按“\(layout.label.zh)”格式缺少必填列：\(names.map(\.zh).joined(separator: "、"))",
                              en: "as a \(layout.label.en), the file lacks required columns: \(names.map(\.en).joined(separator: ", "))")
            case .platformLayout:
                LocalizedText(zh: "这是平台清单，请在“平台”中导入", en: "this is a platform inventory: import it as platforms")
            }
        }

        public var description: String { message.en }
    }
}
