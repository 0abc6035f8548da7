import Foundation
import GBCore
import Sharing
import Vapor

/// The user behind a request, as every route sees it after authentication.
public struct AuthenticatedUser: Authenticatable, Content, Sendable, Equatable {
    public var id: UUID
    public var username: String
    public var displayName: String
    public var role: Role
    public var departmentCode: String
    public var divisionScope: String
    /// For the administrators' list: disabled accounts and running lockouts.
    public var active: Bool
    public var lockedUntil: Date?
    /// The terminals (CIDR ranges) the account may log in from; empty: anywhere.
    public var allowedNetworks: String
    /// What this user may do at all, decided by the authorizer (`Authorizer.abilities`), keyed by
    /// action (`edit_camera`, `review_share`, ...): sent with the login and `/auth/me` so the console
    /// shows only what the server would allow. Absent in the administrators' user list.
    public var abilities: [String: Bool]?
    /// The actions (`live`, `playback`, `download`) that need a stated purpose under this node's
    /// policy, sent beside the abilities.
    public var purposeRequiredFor: [String]?
    /// The purpose stated for this login's live views, if any: every live view of the login is
    /// audited with it until the user states another or logs out.
    public var viewPurpose: String?

    init(_ model: UserModel) throws {
        guard let id = model.id, let role = Role(rawValue: model.role) else { throw Abort(.internalServerError) }
        self.id = id
        self.username = model.username
        self.displayName = model.displayName
        self.role = role
        self.departmentCode = model.departmentCode
        self.divisionScope = model.divisionScope
        self.active = model.isActive
        self.lockedUntil = model.lockedUntil.flatMap { $0 > Date() ? $0 : nil }
        self.allowedNetworks = model.allowedNetworks ?? ""
    }

    /// The same user with its abilities filled in by the one authorizer.
    public func withAbilities(_ authorizer: Authorizer) -> AuthenticatedUser {
        var user = self
        user.abilities = Dictionary(uniqueKeysWithValues: authorizer.abilities(principal).map { ($0.key.rawValue, $0.value) })
        user.purposeRequiredFor = authorizer.policy.purposeRequiredFor.map(\.rawValue)
        return user
    }

    /// Who this user is to Sharing's permission check.
    public var principal: Principal {
        Principal(id: id, username: username, role: role, departmentCode: departmentCode, divisionScope: divisionScope)
    }
}

/// Password rules: long enough to resist guessing, never the user name. No default password exists
/// anywhere: the first administrator is made with `gbshare user add --admin`.
public enum PasswordPolicy {
    public static let minimumLength = 8

    public static func problem(password: String, username: String) -> LocalizedText? {
        if password.count < minimumLength {
            return LocalizedText(zh: "密码至少\(minimumLength)位", en: "a password needs at least \(minimumLength) characters")
        }
        if password.lowercased() == username.lowercased() {
            return LocalizedText(zh: "密码不能与用户名相同", en: "the password must differ from the user name")
        }
        let classes = [password.contains(where: \.isLetter), password.contains(where: \.isNumber),
                       password.contains(where: { !$0.isLetter && !$0.isNumber })].filter { $0 }.count
        if classes < 2 {
            return LocalizedText(zh: "密码须包含字母、数字、符号中的至少两类", en: "use at least two of letters, digits and symbols")
        }
        if CommonPasswords.contains(password) {
            return LocalizedText(zh: "该密码过于常见，容易被猜中，请换一个", en: "this password is among the most common ones and is guessed first; choose another")
        }
        return nil
    }
}
