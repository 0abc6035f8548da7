import App
import ArgumentParser
import Foundation

/// `gbshare`: the server and the administrator's command line.
@main
struct GBShareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gbshare",
        abstract: "GBShare 视频图像共享交换平台 — city video image sharing and exchange platform.",
        subcommands: [ServeCommand.self, MigrateCommand.self, UserCommand.self, DirectoryCommand.self, PlatformCommand.self, AuditCommand.self,
                      ConfigCommand.self, SimulateCommand.self]
    )
}

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the platform: database, sharing jobs, GB/T 28181 SIP and media, HTTP (SQLite by default, PostgreSQL with DATABASE_URL).")

    @OptionGroup var options: DataOptions

    func run() async throws {
        try await GBShareServer.run(config: options.load())
    }
}

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Create or update the database schema.")

    @OptionGroup var options: DataOptions

    func run() async throws {
        try await GBShareApplication.withApplication(config: options.load()) { _ in
            print("database is up to date")
        }
    }
}
