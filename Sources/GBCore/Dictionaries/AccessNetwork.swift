/// 接入网络: the network the camera is attached to.
public enum AccessNetwork: String, DirectoryDictionary {
    case policeInformation = "1"
    case videoPrivate = "2"
    case trafficPrivate = "3"
    case internet = "4"
    case government = "5"
    case enterprisePrivate = "6"
    case privateLAN = "7"
    case hospitality = "8"
    case otherPolice = "9"
    case other = "99"

    public static let dictionaryName = LocalizedText(zh: "接入网络", en: "access network")

    public var label: LocalizedText {
        switch self {
        case .policeInformation: LocalizedText(zh: "公安信息网", en: "police information network")
        case .videoPrivate: LocalizedText(zh: "视频专网", en: "video private network")
        case .trafficPrivate: LocalizedText(zh: "交管专网", en: "traffic police network")
        case .internet: LocalizedText(zh: "互联网", en: "Internet")
        case .government: LocalizedText(zh: "政务网", en: "government network")
        case .enterprisePrivate: LocalizedText(zh: "企事业单位专网", en: "enterprise private network")
        case .privateLAN: LocalizedText(zh: "私有局域网", en: "private LAN")
        case .hospitality: LocalizedText(zh: "旅业/娱乐场所专网", en: "hotel/entertainment network")
        case .otherPolice: LocalizedText(zh: "其他公安业务专网", en: "other police network")
        case .other: LocalizedText(zh: "其他", en: "other")
        }
    }
}
