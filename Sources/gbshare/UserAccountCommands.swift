import App
import ArgumentParser
import Foundation
import Sharing

/// Account changes on the command line, for the administrator who cannot log in (the only admin account
/// locked, a lost password). Each is written to the audit log as the operating-system user (`cli:…`).
struct UserUnlockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "unlock", abstract: "Lift an account's lockout now.")

    @Argument(help: "User name.") var username: String
    @OptionGroup var options: DataOptions

    func run() async throws {
        try await GBShareApplication.withApplication(config: options.load()) { app in try await AccountRefusal.asMessage {
            try await app.authService.unlock(username: username)
            try await app.auditCommandLine(.userChanged, target: "user:\(username)", detail: "unlocked")
            print("unlocked \(username)")
        } }
    }
}

struct UserPasswordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "passwd", abstract: "Set a new password; read from stdin or a prompt. Ends the account's sessions.")

    @Argument(help: "User name.") var username: String
    @OptionGroup var options: DataOptions

    func run() async throws {
        let password = try PasswordInput.read(prompt: "New password for \(username): ")
        try await GBShareApplication.withApplication(config: options.load()) { app in try await AccountRefusal.asMessage {
            try await app.authService.resetPassword(username: username, to: password)
            try await app.auditCommandLine(.userChanged, target: "user:\(username)", detail: "password reset")
            print("password of \(username) set")
        } }
    }
}

struct UserSetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "set", abstract: "Change an account's role, department, division, name; disable or enable it.")

    @Argument(help: "User name.") var username: String
    @Option(name: .long, help: "Role: \(Role.accountRoles.map(\.rawValue).joined(separator: ", ")).") var role: String?
    @Option(name: .long, help: "Department code (Appendix 5); empty for none.") var department: String?
    @Option(name: .long, help: "Division scope, e.g. 441502; empty for the whole city.") var division: String?
    @Option(name: .long, help: "Display name.") var displayName: String?
    @Option(name: .long, help: "Terminal ranges the account may log in from, e.g. 10.12.0.0/16,10.13.1.7; empty: anywhere.") var terminals: String?
    @Flag(name: .long, help: "Disable the account (its sessions end).") var disable = false
    @Flag(name: .long, help: "Enable the account.") var enable = false
    @OptionGroup var options: DataOptions

    func run() async throws {
        guard !(disable && enable) else { throw ValidationError("give --disable or --enable, not both") }
        var change = AccountChange(displayName: displayName, departmentCode: department, divisionScope: division,
                                   active: disable ? false : (enable ? true : nil), allowedNetworks: terminals)
        if let role {
            guard let parsed = Role(rawValue: role) else { throw ValidationError("unknown role \(role)") }
            change.role = parsed
        }
        try await GBShareApplication.withApplication(config: options.load()) { app in try await AccountRefusal.asMessage {
            let (user, summary) = try await app.authService.updateAccount(username: username, change: change)
            try await app.auditCommandLine(.userChanged, target: "user:\(username)", detail: summary)
            print("\(user.username): \(summary)")
        } }
    }
}

/// The account service's refusals (weak password, no such user, last administrator) as command-line messages.
enum AccountRefusal {
    static func asMessage<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let failure as AuthService.Failure {
            throw ValidationError(failure.message.en)
        }
    }
}
