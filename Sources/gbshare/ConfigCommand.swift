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

    @Option(help: "Print only this setting's effective value (empty when not set; secrets masked), for scripts.")
    var value: String?

    @OptionGroup var options: DataOptions

    func run() async throws {
        let report = ConfigReport(try options.loadWithSources())
        guard let value else { return print(report.text) }
        guard let line = report.lines.first(where: { $0.key == value }) else {
            throw ValidationError("no setting named \(value); `gbshare config show` lists them")
        }
        print(line.isSet ? line.value : "")
    }
}
