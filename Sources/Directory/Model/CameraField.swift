import GBCore

/// Every field of a camera record: Appendix 5 of the Shanwei plan plus the extra columns of the Lu'an
/// inventory form. One table drives import header matching, export columns, validation messages and
/// the history diff, so a field is described once.
public enum CameraField: String, CaseIterable, Sendable, Codable {
    case code, name, division, grassrootsCode, builder, manager, managerPhone, contractor, maintainer
    case pointClass, platformCode, department, cameraType, networkStatus, address, positionTypes
    case coordinateSystem, longitude, latitude, ipv4, mac, placement, bearing, poleNumber, accessNetwork
    case retentionDays, shareAttribute, defaultPermissions, manufacturer, codec, deviceStatus
    // Lu'an form and plan extras.
    case brand, model, buildDate, leased, plannedIntegration, requestingDepartment, authorisedDepartments, remark
    case platformName, locality

    /// Hashing by case, not by the raw string: records are dictionaries keyed by field and a
    /// 100,000-row import hashes millions of keys (String hashing was a top cost under perf). A case
    /// of an enum without payloads is stored as one tag byte.
    public func hash(into hasher: inout Hasher) {
        withUnsafeBytes(of: self) { hasher.combine($0.first ?? 0) }
    }

    /// The Appendix 5 columns, in the order of the plan's table (the export layout).
    public static let appendix5: [CameraField] = Array(allCases.prefix(31))
    public static let extras: [CameraField] = Array(allCases.dropFirst(31))

    /// The header as Appendix 5 writes it (without the `*` mark).
    public var header: LocalizedText {
        switch self {
        case .code: LocalizedText(zh: "设备编码", en: "device code")
        case .name: LocalizedText(zh: "设备名称", en: "name")
        case .division: LocalizedText(zh: "行政区划", en: "admin division")
        case .grassrootsCode: LocalizedText(zh: "基层组织编码", en: "grass-roots unit code")
        case .builder: LocalizedText(zh: "建设单位", en: "builder")
        case .manager: LocalizedText(zh: "管理单位", en: "manager")
        case .managerPhone: LocalizedText(zh: "管理单位联系方式", en: "manager phone")
        case .contractor: LocalizedText(zh: "承建单位", en: "contractor")
        case .maintainer: LocalizedText(zh: "维护单位", en: "maintainer")
        case .pointClass: LocalizedText(zh: "监控点位类型", en: "point class")
        case .platformCode: LocalizedText(zh: "平台编码", en: "platform code")
        case .department: LocalizedText(zh: "摄像机所属部门/行业", en: "department")
        case .cameraType: LocalizedText(zh: "摄像机类型", en: "camera type")
        case .networkStatus: LocalizedText(zh: "联网状态", en: "network status")
        case .address: LocalizedText(zh: "安装地址", en: "install address")
        case .positionTypes: LocalizedText(zh: "摄像机位置类型", en: "position types")
        case .coordinateSystem: LocalizedText(zh: "经纬度类型", en: "coordinate system")
        case .longitude: LocalizedText(zh: "经度", en: "longitude")
        case .latitude: LocalizedText(zh: "纬度", en: "latitude")
        case .ipv4: LocalizedText(zh: "IPV4地址", en: "IPv4")
        case .mac: LocalizedText(zh: "MAC地址", en: "MAC")
        case .placement: LocalizedText(zh: "摄像机安装位置室内外", en: "indoor/outdoor")
        case .bearing: LocalizedText(zh: "摄像机监控方位", en: "bearing")
        case .poleNumber: LocalizedText(zh: "立杆编号", en: "pole number")
        case .accessNetwork: LocalizedText(zh: "接入网络", en: "access network")
        case .retentionDays: LocalizedText(zh: "录像保存天数", en: "retention days")
        case .shareAttribute: LocalizedText(zh: "共享属性", en: "share attribute")
        case .defaultPermissions: LocalizedText(zh: "默认权限", en: "default permissions")
        case .manufacturer: LocalizedText(zh: "设备厂商", en: "manufacturer")
        case .codec: LocalizedText(zh: "摄像机编码格式", en: "codec")
        case .deviceStatus: LocalizedText(zh: "设备状态", en: "device status")
        case .brand: LocalizedText(zh: "品牌", en: "brand")
        case .model: LocalizedText(zh: "型号", en: "model")
        case .buildDate: LocalizedText(zh: "建设时间", en: "build date")
        case .leased: LocalizedText(zh: "是否以租代建", en: "leased")
        case .plannedIntegration: LocalizedText(zh: "计划整合方式", en: "planned integration")
        case .requestingDepartment: LocalizedText(zh: "建设需求提出单位", en: "requesting department")
        case .authorisedDepartments: LocalizedText(zh: "授权共享单位", en: "authorised departments")
        case .remark: LocalizedText(zh: "备注", en: "remark")
        case .platformName: LocalizedText(zh: "管理平台名称", en: "platform name")
        case .locality: LocalizedText(zh: "所在市、县（区）、乡镇（街道）", en: "locality")
        }
    }

    /// Other names the same column carries in the forms cities really use (the Lu'an camera form,
    /// older templates) and in English exports. Compared after `HeaderName.normalise`.
    public var aliases: [String] {
        switch self {
        case .code: ["国标编码", "设备国标编码", "摄像机编码", "点位编码", "gbcode", "deviceid", "code"]
        case .name: ["摄像机名称", "点位名称", "监控点名称", "devicename"]
        case .division: ["行政区划代码", "行政区域", "区划代码", "civilcode", "admindivision"]
        case .department: ["所属部门/行业", "所属部门", "所属行业", "摄像机所属部门"]
        case .address: ["安装位置", "安装地点", "installaddress"]
        case .longitude: ["经度坐标", "lng", "lon"]
        case .latitude: ["纬度坐标", "lat"]
        case .ipv4: ["ip地址", "ip", "ipaddress"]
        case .mac: ["mac"]
        case .placement: ["室内外", "安装位置室内外", "indooroutdoor"]
        case .bearing: ["监控方位", "方位"]
        case .pointClass: ["点位类型", "点位类别", "监控点位类别"]
        case .networkStatus: ["在线状态", "设备联网状态"]
        case .deviceStatus: ["状态", "使用状态"]
        case .codec: ["编码格式", "视频编码格式"]
        case .retentionDays: ["存储天数", "录像存储天数", "保存天数"]
        case .buildDate: ["建设日期", "建设年月", "建成时间"]
        case .leased: ["以租代建"]
        case .plannedIntegration: ["整合方式", "计划整合", "保留/拆除/迁移"]
        case .requestingDepartment: ["需求提出单位"]
        case .authorisedDepartments: ["授权单位", "授权共享部门"]
        case .managerPhone: ["联系电话", "联系方式", "管理单位联系电话"]
        default: []
        }
    }

    /// Required fields (`*` in Appendix 5). Network status is required by the form but kept by the
    /// platform, so an empty value on import is not the clerk's fault.
    public var isRequired: Bool {
        switch self {
        case .grassrootsCode, .ipv4, .mac, .placement, .bearing, .poleNumber, .networkStatus: false
        case .brand, .model, .buildDate, .leased, .plannedIntegration, .requestingDepartment,
             .authorisedDepartments, .remark, .platformName, .locality: false
        default: true
        }
    }

    /// The maximum length Appendix 5 gives (`string(N)`), in characters.
    public var maxLength: Int? {
        switch self {
        case .code: 20
        case .name, .address: 100
        case .division: 6
        case .grassrootsCode: 10
        case .builder, .manager, .contractor, .maintainer: 256
        case .managerPhone, .defaultPermissions, .manufacturer: 20
        case .platformCode: 128
        case .department, .coordinateSystem: 30
        case .networkStatus: 1
        case .ipv4: 32
        case .mac: 48
        case .poleNumber: 12
        case .remark: 1000
        default: 256
        }
    }
}
