/// 摄像机所属部门/行业 (Appendix 5): the department or industry that owns a camera. Sharing works between these.
public enum DepartmentCode: String, DirectoryDictionary {
    case governmentOffice = "01"
    case developmentReform = "02"
    case education = "03"
    case scienceTechnology = "04"
    case industryIT = "05"
    case publicSecurity = "06"
    case civilAffairs = "07"
    case justice = "08"
    case finance = "09"
    case humanResources = "10"
    case naturalResources = "11"
    case ecologyEnvironment = "12"
    case housingConstruction = "13"
    case transport = "14"
    case water = "15"
    case agricultureRural = "16"
    case commerce = "17"
    case cultureTourism = "18"
    case health = "19"
    case veterans = "20"
    case emergency = "21"
    case audit = "22"
    case stateAssets = "23"
    case marketRegulation = "24"
    case statistics = "25"
    case medicalInsurance = "26"
    case financialWork = "27"
    case petitions = "28"
    case dataBureau = "29"
    case forestry = "30"
    case civilAirDefence = "31"
    case investment = "32"
    case other = "99"

    public static let dictionaryName = LocalizedText(zh: "摄像机所属部门/行业", en: "department")

    public var label: LocalizedText {
        switch self {
        case .governmentOffice: LocalizedText(zh: "政府办公室", en: "government office")
        case .developmentReform: LocalizedText(zh: "发展和改革部门", en: "development and reform")
        case .education: LocalizedText(zh: "教育部门", en: "education")
        case .scienceTechnology: LocalizedText(zh: "科学技术部门", en: "science and technology")
        case .industryIT: LocalizedText(zh: "工业和信息化部门", en: "industry and IT")
        case .publicSecurity: LocalizedText(zh: "公安部门", en: "public security")
        case .civilAffairs: LocalizedText(zh: "民政部门", en: "civil affairs")
        case .justice: LocalizedText(zh: "司法部门", en: "justice")
        case .finance: LocalizedText(zh: "财政部门", en: "finance")
        case .humanResources: LocalizedText(zh: "人力资源和社会保障部门", en: "human resources and social security")
        case .naturalResources: LocalizedText(zh: "自然资源部门", en: "natural resources")
        case .ecologyEnvironment: LocalizedText(zh: "生态环境部门", en: "ecology and environment")
        case .housingConstruction: LocalizedText(zh: "住房和城乡建设部门", en: "housing and construction")
        case .transport: LocalizedText(zh: "交通运输部门", en: "transport")
        case .water: LocalizedText(zh: "水务部门", en: "water")
        case .agricultureRural: LocalizedText(zh: "农业农村部门", en: "agriculture and rural affairs")
        case .commerce: LocalizedText(zh: "商务部门", en: "commerce")
        case .cultureTourism: LocalizedText(zh: "文化广电旅游体育部门", en: "culture, radio, tourism and sport")
        case .health: LocalizedText(zh: "卫生健康部门", en: "health")
        case .veterans: LocalizedText(zh: "退役军人事务部门", en: "veterans affairs")
        case .emergency: LocalizedText(zh: "应急管理部门", en: "emergency management")
        case .audit: LocalizedText(zh: "审计部门", en: "audit")
        case .stateAssets: LocalizedText(zh: "国有资产监督管理委员会", en: "state assets (SASAC)")
        case .marketRegulation: LocalizedText(zh: "市场监督管理部门", en: "market regulation")
        case .statistics: LocalizedText(zh: "统计部门", en: "statistics")
        case .medicalInsurance: LocalizedText(zh: "医疗保障部门", en: "medical insurance")
        case .financialWork: LocalizedText(zh: "金融工作部门", en: "financial work")
        case .petitions: LocalizedText(zh: "信访部门", en: "petitions")
        case .dataBureau: LocalizedText(zh: "政务服务数据管理部门", en: "government service and data")
        case .forestry: LocalizedText(zh: "林业部门", en: "forestry")
        case .civilAirDefence: LocalizedText(zh: "人民防空办公室", en: "civil air defence")
        case .investment: LocalizedText(zh: "投资促进部门", en: "investment promotion")
        case .other: LocalizedText(zh: "其他", en: "other")
        }
    }
}
