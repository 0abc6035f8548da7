import GBCore

/// The platform's roles (系统管理员, 政数局审核, 公安审核, 部门管理员, 部门操作员, 审计员, 系统账号). A role says
/// what kind of work a user does; the department and division scope on the principal say where (分权分域).
public enum Role: String, Codable, Sendable, CaseIterable {
    case systemAdmin = "system_admin"
    case dataBureauReviewer = "data_bureau_reviewer"
    case policeReviewer = "police_reviewer"
    case departmentAdmin = "department_admin"
    case departmentOperator = "department_operator"
    case auditor
    case systemAccount = "system_account"
    /// An upper platform (the province) acting through the cascade: never a login, it exists only as the
    /// principal of the requests that upper sends (CASCADE.md §2).
    case upperPlatform = "upper_platform"

    /// The roles an account can be given (an upper platform is configured under upper platforms, not as a user).
    public static var accountRoles: [Role] { allCases.filter { $0 != .upperPlatform } }

    public var label: LocalizedText {
        switch self {
        case .systemAdmin: LocalizedText(zh: "系统管理员", en: "system administrator")
        case .dataBureauReviewer: LocalizedText(zh: "政数局审核员", en: "data bureau reviewer")
        case .policeReviewer: LocalizedText(zh: "公安审核员", en: "police reviewer")
        case .departmentAdmin: LocalizedText(zh: "部门管理员", en: "department administrator")
        case .departmentOperator: LocalizedText(zh: "部门操作员", en: "department operator")
        case .auditor: LocalizedText(zh: "审计员", en: "auditor")
        case .systemAccount: LocalizedText(zh: "系统账号", en: "system account")
        case .upperPlatform: LocalizedText(zh: "上级平台", en: "upper platform")
        }
    }
}
