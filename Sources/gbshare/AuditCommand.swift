import App
import ArgumentParser
import Foundation
import Sharing

/// `gbshare audit verify|export|anchor`: the audit log from the command line.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "Verify, export or anchor the audit log.",
                                                    subcommands: [AuditVerifyCommand.self, AuditExportCommand.self, AuditAnchorCommand.self])
}

/// Walks the hash chain and the anchors; names the first entry that was edited, deleted or
/// reordered, or a cut tail. Exit status 2 when the log was tampered with.
struct AuditVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "verify", abstract: "Check the audit log's hash chain and anchors.")

    @OptionGroup var options: DataOptions

    @Flag(name: .long, help: "Print the result as JSON.")
    var json = false

    func run() async throws {
        let result = try await GBShareApplication.withApplication(config: options.load()) { app in
            try await AuditVerifier(database: app.db, anchors: app.sharing.anchors).verify()
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        } else if let broken = result.firstBreak {
            print("BROKEN at entry \(broken.seq) (\(broken.kind.rawValue)): \(broken.message.zh)\n  \(broken.message.en)")
            print("\(result.checked) entries intact before it; \(result.anchorsChecked) anchors matched")
        } else {
            print("intact: \(result.checked) entries, head \(result.headSeq) \(result.headHash), \(result.anchorsChecked) anchors matched"
                  + (result.unreadableAnchors > 0 ? ", \(result.unreadableAnchors) unreadable anchor lines" : ""))
        }
        if !result.intact { throw ExitCode(2) }
    }
}

struct AuditExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Write audit entries as CSV (UTF-8 with BOM).")

    @OptionGroup var options: DataOptions

    @Option(name: .long, help: "Output file (default: standard output).")
    var out: String?

    @Option(name: .long, help: "Only this user.") var actor: String?
    @Option(name: .long, help: "Only this camera code.") var camera: String?
    @Option(name: .long, help: "An action, or a family ending in '.' (e.g. media.).") var action: String?
    @Option(name: .long, help: "From (ISO 8601).") var from: String?
    @Option(name: .long, help: "To (ISO 8601).") var to: String?

    func run() async throws {
        var query = AuditQuery()
        query.actor = actor
        query.camera = camera
        query.action = action
        query.from = try from.map(Self.date)
        query.to = try to.map(Self.date)
        let handle: FileHandle
        if let out {
            guard FileManager.default.createFile(atPath: out, contents: nil) else { throw ValidationError("cannot create \(out)") }
            guard let file = FileHandle(forWritingAtPath: out) else { throw ValidationError("cannot write \(out)") }
            handle = file
        } else {
            handle = FileHandle.standardOutput
        }
        let rows = try await GBShareApplication.withApplication(config: options.load()) { app in
            var rows = 0
            handle.write(Data((AuditCSV.bom + AuditCSV.headerLine).utf8))
            try await AuditReader(database: app.db).forEach(query) { entries in
                rows += entries.count
                handle.write(Data(entries.map(AuditCSV.row).joined().utf8))
            }
            return rows
        }
        if out != nil {
            try handle.close()
            FileHandle.standardError.write(Data("\(rows) entries written\n".utf8))
        }
    }

    static func date(_ text: String) throws -> Date {
        guard let date = ISO8601DateFormatter().date(from: text) else { throw ValidationError("\(text) is not an ISO 8601 time") }
        return date
    }
}

/// Writes the chain head to the anchor file now (cron can call this besides the server's own anchors).
struct AuditAnchorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "anchor", abstract: "Write the audit chain head to the anchor file.")

    @OptionGroup var options: DataOptions

    func run() async throws {
        let config = try options.load()
        try await GBShareApplication.withApplication(config: config) { app in
            await app.sharing.audit.anchorHead()
        }
        print("anchored in \(config.auditAnchorPath)")
    }
}
