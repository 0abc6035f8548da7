/// Digits 11-13 of a device code (GB/T 28181 Appendix D, table D.3): what kind of thing the code
/// names. Signalling uses it to tell devices that own channels from channels, platforms and the
/// catalog's tree nodes; the directory uses it to check that a camera record names a camera.
public struct DeviceTypeCode: Hashable, Sendable, Comparable {
    public let value: Int

    public init(_ value: Int) { self.value = value }

    public static func < (lhs: DeviceTypeCode, rhs: DeviceTypeCode) -> Bool { lhs.value < rhs.value }

    public static let dvr = DeviceTypeCode(111)
    public static let encoder = DeviceTypeCode(113)
    public static let nvr = DeviceTypeCode(118)
    public static let videoCheckpoint = DeviceTypeCode(121)
    public static let hvr = DeviceTypeCode(130)
    public static let camera = DeviceTypeCode(131)
    public static let ipc = DeviceTypeCode(132)
    public static let alarmInput = DeviceTypeCode(134)
    public static let alarmOutput = DeviceTypeCode(135)
    public static let signallingServer = DeviceTypeCode(200)
    public static let businessGroup = DeviceTypeCode(215)
    public static let virtualOrganisation = DeviceTypeCode(216)

    public enum Category: String, Sendable, CaseIterable {
        case frontEndMainDevice   // 111-130: DVR, NVR, encoder, checkpoint, ...
        case peripheral           // 131-199: cameras, IPCs, alarm I/O, voice
        case platform             // 200-299 except 215/216
        case businessGroup        // 215
        case virtualOrganisation  // 216
        case centreUser           // 300-399
        case terminalUser         // 400-499
        case applicationPlatform  // 500-599
        case extended             // 600-999
        case invalid              // below 111
    }

    public var category: Category {
        switch value {
        case 111...130: .frontEndMainDevice
        case 131...199: .peripheral
        case 215: .businessGroup
        case 216: .virtualOrganisation
        case 200...299: .platform
        case 300...399: .centreUser
        case 400...499: .terminalUser
        case 500...599: .applicationPlatform
        case 600...999: .extended
        default: .invalid
        }
    }

    /// A code a camera record may carry: a camera, an IPC, or a checkpoint unit (directory.md 1).
    public var isCameraRecordType: Bool {
        self == .camera || self == .ipc || self == .videoCheckpoint
    }

    /// Codes that may register with the platform as a device owning channels, or as a lower platform.
    public var mayRegister: Bool {
        category == .frontEndMainDevice || isCameraRecordType || self == .signallingServer
    }

    public var label: LocalizedText {
        if let known = Self.labels[value] { return known }
        return switch category {
        case .frontEndMainDevice: LocalizedText(zh: "扩展的前端主设备", en: "extended front-end main device")
        case .peripheral: LocalizedText(zh: "扩展的前端外围设备", en: "extended front-end peripheral")
        case .platform: LocalizedText(zh: "扩展的平台设备", en: "extended platform device")
        case .centreUser: LocalizedText(zh: "中心用户", en: "centre user")
        case .terminalUser: LocalizedText(zh: "终端用户", en: "terminal user")
        case .applicationPlatform: LocalizedText(zh: "扩展的平台应用", en: "extended application platform")
        case .extended: LocalizedText(zh: "扩展类型", en: "extended type")
        case .businessGroup, .virtualOrganisation, .invalid: LocalizedText(zh: "无效类型", en: "invalid type")
        }
    }

    private static let labels: [Int: LocalizedText] = [
        111: LocalizedText(zh: "DVR", en: "DVR"),
        112: LocalizedText(zh: "视频服务器", en: "video server"),
        113: LocalizedText(zh: "编码器", en: "encoder"),
        114: LocalizedText(zh: "解码器", en: "decoder"),
        115: LocalizedText(zh: "视频切换矩阵", en: "video matrix"),
        116: LocalizedText(zh: "音频切换矩阵", en: "audio matrix"),
        117: LocalizedText(zh: "报警控制器", en: "alarm controller"),
        118: LocalizedText(zh: "网络视频录像机（NVR）", en: "NVR"),
        120: LocalizedText(zh: "在线视频图像信息采集系统", en: "online video image collection system"),
        121: LocalizedText(zh: "视频卡口", en: "video checkpoint"),
        130: LocalizedText(zh: "混合硬盘录像机（HVR）", en: "HVR"),
        131: LocalizedText(zh: "摄像机", en: "camera"),
        132: LocalizedText(zh: "网络摄像机（IPC）", en: "IP camera"),
        133: LocalizedText(zh: "显示器", en: "display"),
        134: LocalizedText(zh: "报警输入设备", en: "alarm input"),
        135: LocalizedText(zh: "报警输出设备", en: "alarm output"),
        136: LocalizedText(zh: "语音输入设备", en: "voice input"),
        137: LocalizedText(zh: "语音输出设备", en: "voice output"),
        138: LocalizedText(zh: "移动传输设备", en: "mobile transmission device"),
        139: LocalizedText(zh: "其他外围设备", en: "other peripheral"),
        200: LocalizedText(zh: "中心信令控制服务器", en: "SIP signalling server"),
        201: LocalizedText(zh: "Web应用服务器", en: "web server"),
        202: LocalizedText(zh: "媒体分发服务器", en: "media distribution server"),
        203: LocalizedText(zh: "代理服务器", en: "proxy server"),
        204: LocalizedText(zh: "安全服务器", en: "security server"),
        205: LocalizedText(zh: "报警服务器", en: "alarm server"),
        206: LocalizedText(zh: "数据库服务器", en: "database server"),
        207: LocalizedText(zh: "GIS服务器", en: "GIS server"),
        208: LocalizedText(zh: "管理服务器", en: "management server"),
        209: LocalizedText(zh: "接入网关", en: "access gateway"),
        210: LocalizedText(zh: "媒体存储服务器", en: "media storage server"),
        211: LocalizedText(zh: "信令安全路由网关", en: "signalling security gateway"),
        215: LocalizedText(zh: "业务分组", en: "business group"),
        216: LocalizedText(zh: "虚拟组织", en: "virtual organisation"),
        300: LocalizedText(zh: "中心用户", en: "centre user"),
        400: LocalizedText(zh: "终端用户", en: "terminal user"),
        500: LocalizedText(zh: "视频图像综合应用平台", en: "integrated application platform"),
        501: LocalizedText(zh: "视频图像运维管理平台", en: "operations platform"),
        502: LocalizedText(zh: "视频图像分析系统", en: "video analysis system"),
        503: LocalizedText(zh: "视频图像信息数据库", en: "video image database"),
        505: LocalizedText(zh: "视频图像分析设备", en: "video analysis device"),
    ]
}
