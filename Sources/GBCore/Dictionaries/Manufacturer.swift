/// 设备厂商.
public enum Manufacturer: String, DirectoryDictionary {
    case hikvision = "1"
    case dahua = "2"
    case tiandy = "3"
    case kedacom = "4"
    case axis = "5"
    case bosch = "6"
    case yaan = "7"
    case infinova = "8"
    case uniview = "9"
    case hisense = "10"
    case vimicro = "11"
    case mingjing = "12"
    case lenovo = "13"
    case zte = "14"
    case pci = "15"
    case huawei = "16"
    case gosuncn = "17"
    case other = "99"

    public static let dictionaryName = LocalizedText(zh: "设备厂商", en: "manufacturer")

    public var label: LocalizedText {
        switch self {
        case .hikvision: LocalizedText(zh: "海康威视", en: "Hikvision")
        case .dahua: LocalizedText(zh: "大华", en: "Dahua")
        case .tiandy: LocalizedText(zh: "天地伟业", en: "Tiandy")
        case .kedacom: LocalizedText(zh: "科达", en: "Kedacom")
        case .axis: LocalizedText(zh: "安讯士", en: "Axis")
        case .bosch: LocalizedText(zh: "博世", en: "Bosch")
        case .yaan: LocalizedText(zh: "亚安", en: "Yaan")
        case .infinova: LocalizedText(zh: "英飞拓", en: "Infinova")
        case .uniview: LocalizedText(zh: "宇视", en: "Uniview")
        case .hisense: LocalizedText(zh: "海信", en: "Hisense")
        case .vimicro: LocalizedText(zh: "中星电子", en: "Vimicro")
        case .mingjing: LocalizedText(zh: "明景", en: "Mingjing")
        case .lenovo: LocalizedText(zh: "联想", en: "Lenovo")
        case .zte: LocalizedText(zh: "中兴", en: "ZTE")
        case .pci: LocalizedText(zh: "佳都科技", en: "PCI")
        case .huawei: LocalizedText(zh: "华为", en: "Huawei")
        case .gosuncn: LocalizedText(zh: "高新兴", en: "Gosuncn")
        case .other: LocalizedText(zh: "其他", en: "other")
        }
    }
}
