import Directory
import GBCore
import Vapor

/// Every permission decision of the directory and user administration, in one place, with the
/// reason. (The sharing issue extends this to cameras of other departments, grants and media.)
public enum AccessPolicy {
    public enum Action: String, Sendable {
        case readDirectory
        case editCamera
        case importDirectory
        case managePlatforms
        case manageUsers
    }

    public struct Decision: Sendable {
        public var allowed: Bool
        public var reason: LocalizedText
    }

    public static func decide(_ user: AuthenticatedUser, _ action: Action, camera: CameraRecord? = nil) -> Decision {
        switch (user.role, action) {
        case (_, .readDirectory):
            return allow("登录用户可查询资源目录", "any logged-in user may search the directory")
        case (.systemAdmin, _):
            return allow("系统管理员", "system administrator")
        case (.departmentAdmin, .editCamera), (.departmentOperator, .editCamera), (.departmentAdmin, .importDirectory), (.departmentOperator, .importDirectory):
            guard let camera else { return allow("部门用户可登记本部门摄像机", "department users file their own cameras") }
            guard !user.departmentCode.isEmpty, camera[.department] == user.departmentCode || DepartmentCode(code: camera[.department]) == DepartmentCode(code: user.departmentCode) else {
                return deny("只能编辑本部门（\(user.departmentCode)）的摄像机", "only cameras of your own department (\(user.departmentCode)) may be edited")
            }
            if !user.divisionScope.isEmpty, !camera[.division].hasPrefix(DivisionPrefix.normalise(user.divisionScope)) {
                return deny("摄像机不在您的管辖区划\(user.divisionScope)内", "the camera is outside your division scope \(user.divisionScope)")
            }
            return allow("本部门摄像机", "a camera of your own department")
        case (.dataBureauReviewer, .managePlatforms), (.departmentAdmin, .managePlatforms):
            return allow("可登记平台", "may file platforms")
        default:
            return deny("您的角色（\(user.role.label.zh)）不能执行此操作", "your role (\(user.role.label.en)) may not do this")
        }
    }

    public static func require(_ user: AuthenticatedUser, _ action: Action, camera: CameraRecord? = nil) throws {
        let decision = decide(user, action, camera: camera)
        guard decision.allowed else { throw APIError(.forbidden, "forbidden", decision.reason) }
    }

    private static func allow(_ zh: String, _ en: String) -> Decision { Decision(allowed: true, reason: LocalizedText(zh: zh, en: en)) }
    private static func deny(_ zh: String, _ en: String) -> Decision { Decision(allowed: false, reason: LocalizedText(zh: zh, en: en)) }
}
