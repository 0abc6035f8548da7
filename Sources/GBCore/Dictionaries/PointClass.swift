/// 监控点位类型: how important a site is (class one: key public areas, mostly built by the police).
public enum PointClass: String, DirectoryDictionary {
    case classOne = "1"
    case classTwo = "2"
    case classThree = "3"
    case other = "9"

    public static let dictionaryName = LocalizedText(zh: "监控点位类型", en: "point class")

    public var label: LocalizedText {
        switch self {
        case .classOne: LocalizedText(zh: "一类视频", en: "class one")
        case .classTwo: LocalizedText(zh: "二类视频", en: "class two")
        case .classThree: LocalizedText(zh: "三类视频", en: "class three")
        case .other: LocalizedText(zh: "其他", en: "other")
        }
    }
}

/// 摄像机类型.
public enum CameraType: String, DirectoryDictionary {
    case ptzDome = "1"
    case fixedDome = "2"
    case fixedBullet = "3"
    case ptzBullet = "4"
    case checkpointBullet = "5"
    case other = "99"

    public static let dictionaryName = LocalizedText(zh: "摄像机类型", en: "camera type")

    public var label: LocalizedText {
        switch self {
        case .ptzDome: LocalizedText(zh: "可控球机", en: "PTZ dome")
        case .fixedDome: LocalizedText(zh: "固定球机", en: "fixed dome")
        case .fixedBullet: LocalizedText(zh: "固定枪机", en: "fixed bullet")
        case .ptzBullet: LocalizedText(zh: "云台枪机", en: "PTZ bullet")
        case .checkpointBullet: LocalizedText(zh: "卡口枪机", en: "checkpoint bullet")
        case .other: LocalizedText(zh: "其他", en: "other")
        }
    }

    /// Types whose pan/tilt can be driven, so PTZ is offered for them.
    public var hasPTZ: Bool { self == .ptzDome || self == .ptzBullet }
}

/// 联网状态: kept up to date by the platform from registration and keepalives, not by clerks.
public enum NetworkStatus: String, DirectoryDictionary {
    case online = "1"
    case offline = "2"

    public static let dictionaryName = LocalizedText(zh: "联网状态", en: "network status")

    public var label: LocalizedText {
        switch self {
        case .online: LocalizedText(zh: "在线", en: "online")
        case .offline: LocalizedText(zh: "离线", en: "offline")
        }
    }
}

/// 摄像机安装位置室内外.
public enum InstallPlacement: String, DirectoryDictionary {
    case outdoor = "1"
    case indoor = "2"

    public static let dictionaryName = LocalizedText(zh: "摄像机安装位置室内外", en: "indoor/outdoor")

    public var label: LocalizedText {
        switch self {
        case .outdoor: LocalizedText(zh: "室外", en: "outdoor")
        case .indoor: LocalizedText(zh: "室内", en: "indoor")
        }
    }
}

/// 设备状态: a camera is never deleted, it moves in use → under repair → removed.
public enum DeviceStatus: String, DirectoryDictionary {
    case inUse = "1"
    case underRepair = "2"
    case removed = "3"

    public static let dictionaryName = LocalizedText(zh: "设备状态", en: "device status")

    public var label: LocalizedText {
        switch self {
        case .inUse: LocalizedText(zh: "在用", en: "in use")
        case .underRepair: LocalizedText(zh: "维修", en: "under repair")
        case .removed: LocalizedText(zh: "拆除", en: "removed")
        }
    }
}

/// 经纬度类型.
public enum CoordinateSystem: String, DirectoryDictionary {
    case wgs84 = "WGS84"
    case cgcs2000 = "CGCS2000"

    public static let dictionaryName = LocalizedText(zh: "经纬度类型", en: "coordinate system")

    public var label: LocalizedText {
        switch self {
        case .wgs84: LocalizedText(zh: "WGS84", en: "WGS84")
        case .cgcs2000: LocalizedText(zh: "大地2000", en: "CGCS2000")
        }
    }

    /// Clerks write "大地2000", "CGCS 2000", "wgs-84": accept the spellings seen in forms.
    public init?(written: String) {
        let folded = written.uppercased().filter { !" -_".contains($0) }
        switch folded {
        case "WGS84": self = .wgs84
        case "CGCS2000", "大地2000", "2000", "国家大地2000": self = .cgcs2000
        default: return nil
        }
    }
}
