import Foundation
import GBCore

/// What each login and account failure tells the person, and what kind of failure it is.
extension AuthService.Failure: PublicError {
    public var kind: FailureKind {
        switch self {
        case .invalidCredentials, .locked, .disabled: .unauthenticated
        case .weakPassword, .invalidNetworks, .roleNotForAccounts: .invalid
        case .usernameTaken, .lastAdministrator: .conflict
        case .noSuchUser: .notFound
        case .notFromTerminal: .forbidden
        }
    }

    public var code: String {
        switch self {
        case .invalidCredentials: "invalid_credentials"
        case .locked: "account_locked"
        case .disabled: "account_disabled"
        case .weakPassword: "weak_password"
        case .usernameTaken: "username_taken"
        case .notFromTerminal: "not_from_terminal"
        case .invalidNetworks: "invalid_networks"
        case .noSuchUser: "no_such_user"
        case .lastAdministrator: "last_administrator"
        case .roleNotForAccounts: "role_not_for_accounts"
        }
    }

    public var message: LocalizedText {
        switch self {
        case .invalidCredentials:
            LocalizedText(zh: "用户名或密码错误", en: "wrong user name or password")
        case .locked(let until):
            LocalizedText(zh: "账号因多次登录失败已锁定，至\(Self.localTime(until))解锁",
                          en: "the account is locked after repeated failures until \(Self.localTime(until))")
        case .disabled:
            LocalizedText(zh: "账号已停用", en: "the account is disabled")
        case .weakPassword(let text):
            text
        case .usernameTaken(let name):
            LocalizedText(zh: "用户名\(name)已存在", en: "user name \(name) is taken")
        case .notFromTerminal(let address):
            LocalizedText(zh: "该账号只能从本单位登记的终端登录（本次来自\(address.isEmpty ? "未知地址" : address)）",
                          en: "this account may log in only from its unit's registered terminals (this login came from \(address.isEmpty ? "an unknown address" : address))")
        case .invalidNetworks(let text):
            LocalizedText(zh: "“\(text)”不是地址或地址段（如 10.12.0.0/16）", en: "\"\(text)\" is not an address or range (e.g. 10.12.0.0/16)")
        case .noSuchUser(let name):
            LocalizedText(zh: "用户\(name)不存在", en: "no user \(name)")
        case .lastAdministrator:
            LocalizedText(zh: "这是最后一个启用的系统管理员账号，不能停用或改为其他角色",
                          en: "this is the last active system administrator: it cannot be disabled or given another role")
        case .roleNotForAccounts(let role):
            LocalizedText(zh: "“\(role.label.zh)”不是账号角色：上级平台在“上级平台”页面配置",
                          en: "\(role.label.en) is not a role for accounts: upper platforms are configured on the upper platforms page")
        }
    }

    /// Lockout ends are told in the city's time.
    static func localTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        return formatter.string(from: date)
    }
}

extension AuthService.APIKeyFailure: PublicError {
    public var kind: FailureKind {
        switch self {
        case .noSuchUser, .noSuchKey: .notFound
        case .notASystemAccount: .invalid
        }
    }

    public var code: String {
        switch self {
        case .noSuchUser, .noSuchKey: "not_found"
        case .notASystemAccount: "not_system_account"
        }
    }

    public var message: LocalizedText {
        switch self {
        case .noSuchUser(let name): LocalizedText(zh: "找不到user \(name)", en: "user \(name) was not found")
        case .notASystemAccount(let name):
            LocalizedText(zh: "\(name)不是系统账号，不能持有API密钥", en: "\(name) is not a system account; only those hold API keys")
        case .noSuchKey: LocalizedText(zh: "找不到API key", en: "API key was not found")
        }
    }
}
