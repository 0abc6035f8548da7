import App
import ArgumentParser

/// `gbshare config show`: the effective settings and where each came from.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "config", abstract: "Show the effective settings.",
                                                    subcommands: [ConfigShowCommand.self])
}

struct ConfigShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print every setting, its value and where it came from (default < config file < environment < flags); secrets masked.")

    @OptionGroup var options: DataOptions

    func run() async throws {
        print(ConfigReport(try options.loadWithSources()).text)
    }
}
