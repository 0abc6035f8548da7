import App
import ArgumentParser
import Foundation

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage users.",
        subcommands: [UserAddCommand.self, UserListCommand.self, UserCountCommand.self, UserUnlockCommand.self, UserPasswordCommand.self,
                      UserSetCommand.self])
}

/// There is no default password anywhere: the first administrator is made here, with a password
/// typed at a prompt or piped on standard input.
struct UserAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Create a user; the password is read from stdin or a prompt.")

    @Argument(help: "User name.")
    var username: String

    @Flag(name: .long, help: "Make a system administrator.")
    var admin = false

    @Option(name: .long, help: "Role: \(Role.accountRoles.map(\.rawValue).joined(separator: ", ")).")
    var role: String?

    @Option(name: .long, help: "Department code (Appendix 5, 01-32 or 99).")
    var department: String?

    @Option(name: .long, help: "Division scope, e.g. 441502 (empty: the whole city).")
    var division: String?

    @Option(name: .long, help: "Display name.")
    var displayName: String?

    @OptionGroup var options: DataOptions

    func run() async throws {
        let chosenRole: Role
        if admin {
            chosenRole = .systemAdmin
        } else if let role {
            guard let parsed = Role(rawValue: role) else { throw ValidationError("unknown role \(role)") }
            chosenRole = parsed
        } else {
            throw ValidationError("give --admin or --role")
        }
        let password = try PasswordInput.read(prompt: "Password for \(username): ")
        try await GBShareApplication.withApplication(config: options.load()) { app in try await AccountRefusal.asMessage {
            let user = try await app.authService.createUser(username: username, displayName: displayName ?? username, password: password,
                                                            role: chosenRole, departmentCode: department ?? "", divisionScope: division ?? "")
            try await app.auditCommandLine(.userCreated, target: "user:\(user.username)",
                                           detail: "role=\(user.role.rawValue) department=\(user.departmentCode) division=\(user.divisionScope)")
            print("created \(user.role.rawValue) \(user.username)")
        } }
    }
}

/// Reads a password without echo from a terminal, or one line from a pipe.
enum PasswordInput {
    static func read(prompt: String) throws -> String {
        if isatty(STDIN_FILENO) != 0 {
            guard let typed = getpass(prompt) else { throw ValidationError("no password given") }
            let first = String(cString: typed)
            guard let again = getpass("Again: "), String(cString: again) == first else { throw ValidationError("the passwords differ") }
            return first
        }
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            throw ValidationError("pipe the password on standard input, e.g. echo \"$PW\" | gbshare user add NAME --admin")
        }
        return line
    }
}

struct UserListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List users.")

    @OptionGroup var options: DataOptions

    func run() async throws {
        try await GBShareApplication.withApplication(config: options.load()) { app in
            for user in try await app.authService.users() {
                print("\(user.username)\t\(user.role.rawValue)\t\(user.departmentCode)\t\(user.divisionScope)\t\(user.displayName)")
            }
        }
    }
}

/// How many users exist: `scripts/serve` asks for the first administrator when this is 0.
struct UserCountCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "count", abstract: "Print the number of users.")

    @OptionGroup var options: DataOptions

    func run() async throws {
        try await GBShareApplication.withApplication(config: options.load()) { app in
            print(try await app.authService.users().count)
        }
    }
}
