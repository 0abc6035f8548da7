import GBCore

/// How much a finding matters. Neither blocks an import or a save (directory.md 4): an error keeps the
/// camera out of sharing and counts against the department in the rectification report.
public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
    case error
    case warning

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs == .error && rhs == .warning }
}

/// Every governance rule, with a stable id that reports, imports and the API use (the ids of
/// directory-sample.findings.csv), its severity and what a clerk should do about it.
public enum DirectoryRule: String, Sendable, Codable, CaseIterable {
    // The 20-digit code (GB/T 28181 Appendix D).
    case codeLength = "code_length"
    case codeDigits = "code_digits"
    case codeDivision = "code_division"
    case codeIndustry = "code_industry"
    case codeType = "code_type"
    case divisionMismatch = "division_mismatch"
    case duplicateCode = "duplicate_code"
    // Form of the values.
    case requiredMissing = "required_missing"
    case enumValue = "enum_value"
    case tooLong = "too_long"
    case divisionUnknown = "division_unknown"
    case coordPrecision = "coord_precision"
    case coordSixthZero = "coord_sixth_zero"
    case coordNotNumber = "coord_not_number"
    case coordZero = "coord_zero"
    case coordSwapped = "coord_swapped"
    case coordOutsideChina = "coord_outside_china"
    case coordOutsideDivision = "coord_outside_division"
    case ipv4Format = "ipv4_format"
    case macFormat = "mac_format"
    case poleNumber = "pole_number"
    case retentionShort = "retention_short"
    case positionTypeFormat = "position_type_format"
    case platformCodeFormat = "platform_code_format"
    // Plausible but worth a look.
    case industryDepartment = "industry_department"
    case networkAccessMismatch = "network_access_mismatch"
    case coordFarFromDivision = "coord_far_from_division"
    case polePrefixMismatch = "pole_prefix_mismatch"
    case notSharedWithoutReason = "not_shared_without_reason"
    case checkpointName = "checkpoint_name"
    case buildDateFormat = "build_date_format"
    case retentionUnusual = "retention_unusual"
    // The file itself.
    case fileFormat = "file_format"

    public var severity: Severity {
        switch self {
        case .industryDepartment, .networkAccessMismatch, .coordFarFromDivision, .polePrefixMismatch,
             .notSharedWithoutReason, .checkpointName, .buildDateFormat, .retentionUnusual:
            .warning
        default:
            .error
        }
    }

    /// What the rule asks for, in the words of the plan; the rectification direction in reports.
    public var rectification: LocalizedText {
        switch self {
        case .codeLength, .codeDigits:
            LocalizedText(zh: "设备编码应为20位数字（GB/T 28181附录D）", en: "device codes must be 20 digits (GB/T 28181 Appendix D)")
        case .codeDivision:
            LocalizedText(zh: "编码前6位须为省市县行政区划代码", en: "the first 6 digits must be the province/city/county code")
        case .codeIndustry:
            LocalizedText(zh: "编码第9-10位须按行业编码表如实填写", en: "digits 9-10 must be an assigned industry code naming the real owner")
        case .codeType:
            LocalizedText(zh: "摄像机编码第11-13位应为131、132或121", en: "a camera's type code (digits 11-13) must be 131, 132 or 121")
        case .divisionMismatch:
            LocalizedText(zh: "行政区划须与编码前6位一致", en: "the admin division must agree with digits 1-6 of the code")
        case .duplicateCode:
            LocalizedText(zh: "一机一码，设备编码不得重复", en: "one device, one code: codes must not repeat")
        case .requiredMissing:
            LocalizedText(zh: "补齐必填项", en: "fill in the required fields")
        case .enumValue:
            LocalizedText(zh: "按附录五字典填写代码值", en: "use the code values of the Appendix 5 dictionaries")
        case .tooLong:
            LocalizedText(zh: "字段长度不得超过附录五规定", en: "keep values within the Appendix 5 lengths")
        case .divisionUnknown:
            LocalizedText(zh: "行政区划须为GB/T 2260六位代码", en: "the admin division must be a 6-digit GB/T 2260 code")
        case .coordPrecision, .coordSixthZero:
            LocalizedText(zh: "经纬度至少保留6位小数且第6位不为0", en: "coordinates need 6 decimals with a non-zero 6th decimal")
        case .coordNotNumber, .coordZero, .coordSwapped, .coordOutsideChina, .coordOutsideDivision:
            LocalizedText(zh: "核实并重新采集点位经纬度", en: "survey the camera's coordinates again")
        case .ipv4Format:
            LocalizedText(zh: "IPv4地址应为点分十进制", en: "IPv4 addresses are dotted decimal")
        case .macFormat:
            LocalizedText(zh: "MAC地址应为xx:xx:xx:xx:xx:xx格式", en: "MAC addresses are xx:xx:xx:xx:xx:xx")
        case .poleNumber:
            LocalizedText(zh: "立杆编号为12位：8位行政区划编码+4位序号", en: "pole numbers are 12 digits: 8-digit division code + 4-digit sequence")
        case .retentionShort:
            LocalizedText(zh: "录像保存不少于30天，一类点不少于90天", en: "keep recordings at least 30 days, 90 for class-one sites")
        case .positionTypeFormat:
            LocalizedText(zh: "位置类型按采集区域字典填写，如A0101,B0101", en: "position types are dictionary codes such as A0101,B0101")
        case .platformCodeFormat:
            LocalizedText(zh: "平台编码应为20位国标编码", en: "the platform code is a 20-digit GB/T 28181 code")
        case .industryDepartment:
            LocalizedText(zh: "核实行业编码是否反映真实权属", en: "check that the industry digits name the real owner")
        case .networkAccessMismatch:
            LocalizedText(zh: "核实编码第14位网络标识与接入网络", en: "check digit 14 against the access network")
        case .coordFarFromDivision:
            LocalizedText(zh: "核实点位是否在所属行政区划内", en: "check that the point lies in its division")
        case .polePrefixMismatch:
            LocalizedText(zh: "核实立杆编号与设备编码的中心编码", en: "check the pole number against the code's centre")
        case .notSharedWithoutReason:
            LocalizedText(zh: "不共享的点位应在备注中说明原因", en: "state in the remark why a camera is not shared")
        case .checkpointName:
            LocalizedText(zh: "卡口按“市+区县+地点+（方向）+车道号/全景球机”命名", en: "name checkpoints city+county+place+(direction)+lane N / panorama dome")
        case .buildDateFormat:
            LocalizedText(zh: "建设时间按YYYY.MM填写", en: "write build dates as YYYY.MM")
        case .retentionUnusual:
            LocalizedText(zh: "核实录像保存天数", en: "check the retention period")
        case .fileFormat:
            LocalizedText(zh: "修正文件中的格式问题后重新导入", en: "fix the file's format problem and import again")
        }
    }
}

/// One problem with one record: which row, which field, which rule, the value, and what to do.
public struct Finding: Hashable, Sendable, Codable {
    /// Data row number in the file (header = 0); 0 for a record that did not come from a file.
    public var row: Int
    public var code: String
    public var field: CameraField?
    public var rule: DirectoryRule
    public var severity: Severity
    public var value: String
    public var message: LocalizedText

    public init(row: Int = 0, code: String, field: CameraField?, rule: DirectoryRule, value: String = "", message: LocalizedText) {
        self.row = row
        self.code = code
        self.field = field
        self.rule = rule
        self.severity = rule.severity
        self.value = value
        self.message = message
    }
}
