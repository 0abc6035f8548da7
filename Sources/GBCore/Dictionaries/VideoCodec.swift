/// 摄像机编码格式: the codec the directory says a camera sends (the device's real one is measured by Media).
public enum VideoCodecCode: String, DirectoryDictionary {
    case mpeg4 = "1"
    case h264 = "2"
    case svac = "3"
    case h265 = "4"
    case other = "5"

    public static let dictionaryName = LocalizedText(zh: "摄像机编码格式", en: "codec")

    public var label: LocalizedText {
        switch self {
        case .mpeg4: LocalizedText(zh: "MPEG-4", en: "MPEG-4")
        case .h264: LocalizedText(zh: "H.264", en: "H.264")
        case .svac: LocalizedText(zh: "SVAC", en: "SVAC")
        case .h265: LocalizedText(zh: "H.265", en: "H.265")
        case .other: LocalizedText(zh: "其他", en: "other")
        }
    }
}
