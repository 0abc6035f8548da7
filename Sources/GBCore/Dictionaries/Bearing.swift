/// 摄像机监控方位: which way a camera looks. Duplicate-construction checks compare it.
public enum Bearing: String, DirectoryDictionary {
    case westToEast = "1"
    case eastToWest = "2"
    case northToSouth = "3"
    case southToNorth = "4"
    case southwestToNortheast = "5"
    case northeastToSouthwest = "6"
    case northwestToSoutheast = "7"
    case southeastToNorthwest = "8"
    case other = "9"

    public static let dictionaryName = LocalizedText(zh: "摄像机监控方位", en: "bearing")

    public var label: LocalizedText {
        switch self {
        case .westToEast: LocalizedText(zh: "西向东（东）", en: "west to east")
        case .eastToWest: LocalizedText(zh: "东向西（西）", en: "east to west")
        case .northToSouth: LocalizedText(zh: "北向南（南）", en: "north to south")
        case .southToNorth: LocalizedText(zh: "南向北（北）", en: "south to north")
        case .southwestToNortheast: LocalizedText(zh: "西南到东北（东北）", en: "southwest to northeast")
        case .northeastToSouthwest: LocalizedText(zh: "东北到西南（西南）", en: "northeast to southwest")
        case .northwestToSoutheast: LocalizedText(zh: "西北到东南（东南）", en: "northwest to southeast")
        case .southeastToNorthwest: LocalizedText(zh: "东南到西北（西北）", en: "southeast to northwest")
        case .other: LocalizedText(zh: "其他", en: "other")
        }
    }

    /// "Other" says nothing about the direction, so it may face the same way as anything.
    public var isKnownDirection: Bool { self != .other }
}
