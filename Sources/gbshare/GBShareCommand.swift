import App
import ArgumentParser
import Foundation

/// `gbshare`: the server and the administrator's command line.
@main
struct GBShareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gbshare",
        abstract: "GBShare 视频图像共享交换平台 — city video image sharing and exchange platform.",
        subcommands: [ServeCommand.self, MigrateCommand.self, UserCommand.self, DirectoryCommand.self, PlatformCommand.self, AuditCommand.self]
    )
}

/// Options every command that touches the database shares.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: "Data folder holding gbshare.sqlite (default ./data).")
    var data: String?

    @Option(name: .long, help: "JSON config file (keys as in GBShareConfig).")
    var config: String?

    func load() throws -> GBShareConfig {
        var config = try GBShareConfig.load(file: config)
        if let data { config.dataDirectory = data }
        return config
    }
}

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the platform (HTTP API; SQLite by default, PostgreSQL with DATABASE_URL).")

    @OptionGroup var options: DataOptions

    @Option(name: .long, help: "HTTP port (default 8080).")
    var httpPort: Int?

    @Option(name: .long, help: "HTTP listen address (default 0.0.0.0).")
    var httpHost: String?

    func run() async throws {
        var config = try options.load()
        if let httpPort { config.httpPort = httpPort }
        if let httpHost { config.httpHost = httpHost }
        try await GBShareApplication.serve(config: config)
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
