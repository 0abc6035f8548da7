import App
import ArgumentParser
import Directory
import Foundation
import GBCore

struct DirectoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "directory", abstract: "The resource directory (资源目录): check, import, export, duplicates, report.",
        subcommands: [DirectoryCheckCommand.self, DirectoryImportCommand.self, DirectoryExportCommand.self,
                      DirectoryDuplicatesCommand.self, DirectoryReportCommand.self])
}

/// Validates a file without a database: one finding per line, a summary on stderr. Exit 0 when
/// the file was read (whatever it contains), non-zero when it cannot be read.
struct DirectoryCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "Check a CSV or XLSX directory file: row,code,field,rule,severity,message.")

    @Argument(help: "CSV (UTF-8 or GB18030) or XLSX file; - reads standard input.")
    var file: String

    @Option(name: .long, help: "csv or json.")
    var format: String = "csv"

    @Option(name: .long, help: "Message language: zh or en.")
    var lang: String = "zh"

    @Option(name: .long, help: "XLSX sheet name (default: the first).")
    var sheet: String?

    func run() throws {
        let language = Language(preference: lang)
        let input = try DirectoryFileArgument(file)
        defer { input.discard() }
        let result: ImportResult
        do {
            result = try DirectoryImporter.check(url: input.url, sheet: sheet)
        } catch let error as TableReadError {
            throw CleanExit.failure(error.message.text(for: language))
        } catch let error as DirectoryFileError {
            throw CleanExit.failure(error.message.text(for: language))
        }
        let findings = result.findings.sorted { ($0.row, $0.rule.rawValue) < ($1.row, $1.rule.rawValue) }
        switch format {
        case "json":
            let rows = findings.map { finding -> [String: Any] in
                ["row": finding.row, "code": finding.code, "field": finding.field?.header.text(for: language) ?? "",
                 "rule": finding.rule.rawValue, "severity": finding.severity.rawValue, "message": finding.message.text(for: language)]
            }
            let data = try JSONSerialization.data(withJSONObject: rows, options: [.prettyPrinted, .sortedKeys])
            FileHandle.standardOutput.write(data)
            print()
        default:
            print("row,code,field,rule,severity,message")
            for finding in findings {
                print([String(finding.row), finding.code, finding.field?.header.text(for: language) ?? "", finding.rule.rawValue,
                       finding.severity.rawValue, finding.message.text(for: language)].map(CSVTableWriter.quote).joined(separator: ","))
            }
        }
        let summary = result.summary
        FileHandle.standardError.write(Data((
            "\(input.name): \(summary.rows) rows (\(summary.format), \(summary.layout)\(summary.charset.map { ", " + $0 } ?? "")), "
            + "\(summary.rowsWithErrors) with errors, \(summary.rowsWithWarnings) with warnings, \(findings.count) findings"
            + (summary.ignoredColumns.isEmpty ? "" : "; ignored columns: \(summary.ignoredColumns.joined(separator: ", "))") + "\n").utf8))
    }
}

struct DirectoryImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "Import a directory file in one transaction; prints the summary.")

    @Argument(help: "CSV (UTF-8 or GB18030) or XLSX file; - reads standard input.") var file: String
    @Option(name: .long, help: "XLSX sheet name.") var sheet: String?
    @OptionGroup var options: DataOptions

    func run() async throws {
        let input = try DirectoryFileArgument(file)
        defer { input.discard() }
        let url = input.url
        try await GBShareApplication.withApplication(config: options.load()) { app in
            let started = Date()
            let result = try await DirectoryImporter(database: app.db).apply(url: url, sheet: sheet, context: ChangeContext(actor: NSUserName(), source: "cli"))
            let s = result.summary
            try await app.auditCommandLine(.directoryImport, target: "file:\(input.name)",
                                           detail: "\(s.rows) rows, \(s.inserted) new, \(s.updated) updated")
            print("imported \(input.name): \(s.rows) rows, \(s.inserted) new, \(s.updated) updated, \(s.unchanged) unchanged; "
                  + "\(s.rowsWithErrors) rows with errors, \(s.rowsWithWarnings) with warnings; \(String(format: "%.2f", Date().timeIntervalSince(started))) s")
            for (rule, count) in s.findingsByRule.sorted(by: { $0.key < $1.key }) { print("  \(rule): \(count)") }
        }
    }
}

struct DirectoryExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Export the directory (Appendix 5 layout, Chinese headers).")

    @Option(name: .long, help: "csv or xlsx.") var format: String = "csv"
    @Flag(name: .long, help: "Add the Lu'an form's extra columns.") var extras = false
    @Argument(help: "Output file.") var output: String
    @OptionGroup var options: DataOptions

    func run() async throws {
        guard let chosen = DirectoryExporter.Format(rawValue: format) else { throw ValidationError("format is csv or xlsx") }
        try await GBShareApplication.withApplication(config: options.load()) { app in
            let count = try await DirectoryExporter(store: app.cameraStore).export(to: URL(fileURLWithPath: output), format: chosen,
                                                                                 layout: ExportLayout(includeExtras: extras))
            print("exported \(count) cameras to \(output)")
        }
    }
}

struct DirectoryDuplicatesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "duplicates", abstract: "Duplicate construction: group,code_a,code_b,distance_m.")

    @Option(name: .long, help: "Radius in metres.") var radius: Double = 30
    @Option(name: .long, help: "csv or text (with the plan).") var format: String = "csv"
    @OptionGroup var options: DataOptions

    func run() async throws {
        try await GBShareApplication.withApplication(config: options.load()) { app in
            let groups = try await app.cameraStore.duplicateGroups(radiusMetres: radius)
            if format == "csv" { print("group,code_a,code_b,distance_m") }
            for group in groups {
                for pair in group.pairs {
                    print("\(group.number),\(pair.codeA),\(pair.codeB),\(String(format: "%.1f", pair.distanceMetres))")
                }
                if format != "csv" {
                    for plan in group.plan { print("  \(plan.code) [\(plan.department)] \(plan.action.rawValue): \(plan.reason.zh)") }
                }
            }
        }
    }
}

struct DirectoryReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Rectification report (整改清单) per department and platform.")

    @Option(name: .long, help: "text or json.") var format: String = "text"
    @OptionGroup var options: DataOptions

    func run() async throws {
        try await GBShareApplication.withApplication(config: options.load()) { app in
            let report = try await app.cameraStore.rectificationReport()
            if format == "json" {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
                return
            }
            for (title, entries) in [("按部门 / by department", report.byDepartment), ("按平台 / by platform", report.byPlatform)] {
                print("== \(title)")
                print("单位,档案数,问题档案数,合规率,整改方向")
                for entry in entries {
                    print([entry.label, String(entry.records), String(entry.recordsWithErrors),
                           String(format: "%.1f%%", entry.complianceRate * 100), entry.direction.zh].map(CSVTableWriter.quote).joined(separator: ","))
                }
            }
        }
    }
}

struct PlatformCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "platform", abstract: "Video platforms.", subcommands: [PlatformImportCommand.self])
}

struct PlatformImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "Import the platform inventory form (CSV or XLSX).")

    @Argument var file: String
    @OptionGroup var options: DataOptions

    func run() async throws {
        try await GBShareApplication.withApplication(config: options.load()) { app in
            let outcome = try await PlatformStore(database: app.db).importFile(url: URL(fileURLWithPath: file))
            print("platforms: \(outcome.rows) rows, \(outcome.saved) saved, \(outcome.unchanged) unchanged")
            for problem in outcome.problems { print("  row \(problem.row): \(problem.message.zh)") }
        }
    }
}

/// Ends a command with a message on stderr and a non-zero status.
///
/// The result type is spelled out (`ExitCode`) on purpose. With `-> some Error`, Swift 6.3.1 crashes in
/// release builds (signal 11, "While emitting IR SIL function", in IRGen's ElementLayout::project) on any
/// function that throws the opaque value from a catch clause; `directory check` did, and no newcomer
/// could build the server. Reduced reproducer (`swiftc -O`):
///
///     struct Code: Error { var value: Int32 }
///     func failure(_ message: String) -> some Error { Code(value: 2) }
///     func check(_ path: String) throws -> Int { if path.isEmpty { throw Code(value: 1) }; return 1 }
///     func run(_ file: String) throws {
///         do { _ = try check(file) } catch let error { throw failure("\(error)") }
///     }
///
/// Debug builds compile it; `scripts/test` builds the release products so such a crash cannot land again.
enum CleanExit {
    static func failure(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        return ExitCode(2)
    }
}
