import App
import Foundation
import Testing

/// The settings' one home: the order default < file < environment < flags, unknown keys named,
/// secrets masked, and the same flags on every command.
@Suite struct ConfigTests {
    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gbshare-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func file(_ json: String, in folder: URL, name: String = "settings.json") throws -> String {
        let path = folder.appendingPathComponent(name).path
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func eachLayerOverridesTheOneBefore() throws {
        let folder = try Self.folder()
        let file = try Self.file(#"{"httpPort": 8001, "sipPort": 5001, "lockoutThreshold": 7, "sharing": {"maxGrantDays": 90}}"#, in: folder)
        let loaded = try ConfigLoader(environment: ["GBSHARE_CONFIG": file, "GBSHARE_HTTP_PORT": "8002", "GBSHARE_SIP_PORT": "5002"],
                                      flags: ["--http-port": "8003", "--data": folder.path]).load()
        #expect(loaded.config.httpPort == 8003)
        #expect(loaded.config.sipPort == 5002)
        #expect(loaded.config.lockoutThreshold == 7)
        #expect(loaded.config.sharing.maxGrantDays == 90)
        #expect(loaded.config.bcryptCost == GBShareConfig().bcryptCost)
        #expect(loaded.sources["httpPort"] == .flag("--http-port"))
        #expect(loaded.sources["sipPort"] == .environment("GBSHARE_SIP_PORT"))
        #expect(loaded.sources["lockoutThreshold"] == .file(file))
        #expect(loaded.sources["bcryptCost"] == nil)
        #expect(loaded.file == file)
    }

    @Test func theDataFoldersFileIsReadUnlessAnotherIsNamed() throws {
        let folder = try Self.folder()
        _ = try Self.file(#"{"httpPort": 8101}"#, in: folder, name: "gbshare.json")
        let other = try Self.file(#"{"httpPort": 8102}"#, in: folder)
        #expect(try ConfigLoader(environment: [:], flags: ["--data": folder.path]).load().config.httpPort == 8101)
        #expect(try ConfigLoader(environment: ["GBSHARE_DATA": folder.path]).load().config.httpPort == 8101)
        #expect(try ConfigLoader(environment: [:], flags: ["--data": folder.path, "--config": other]).load().config.httpPort == 8102)
        #expect(try ConfigLoader(environment: ["GBSHARE_CONFIG": other], flags: ["--data": folder.path]).load().config.httpPort == 8102)
        // No file anywhere: the defaults.
        let empty = try Self.folder()
        let loaded = try ConfigLoader(environment: [:], flags: ["--data": empty.path]).load()
        #expect(loaded.file == nil && loaded.config.httpPort == 8080)
    }

    @Test(arguments: [
        (#"{"httpPrt": 8081}"#, "httpPrt", "httpPort"),
        (#"{"sharing": {"maxGrantDay": 5}}"#, "sharing.maxGrantDay", nil),
        (#"{"auditSyslog": {"host": "10.0.0.9", "prot": 514}}"#, "auditSyslog.prot", nil),
    ] as [(String, String, String?)])
    func unknownKeysAreNamed(json: String, key: String, suggestion: String?) throws {
        let file = try Self.file(json, in: try Self.folder())
        #expect(throws: ConfigError.unknownKey(file: file, key: key, suggestion: suggestion)) {
            try ConfigLoader(environment: [:], flags: ["--config": file]).load()
        }
    }

    @Test func malformedAndUnreadableFilesSayWhereAndWhat() throws {
        let file = try Self.file("{\n  \"httpPort\": 8081,\n  \"sipPort\" 5061\n}\n", in: try Self.folder())
        do {
            _ = try ConfigLoader(environment: [:], flags: ["--config": file]).load()
            Issue.record("a malformed file was accepted")
        } catch {
            guard case let .malformed(path, line, _, _) = error else { Issue.record("\(error)"); return }
            #expect(path == file && line == 3)
            #expect(error.description.contains("\(file) is not valid JSON at line 3"))
        }
        do {
            _ = try ConfigLoader(environment: [:], flags: ["--config": "/nonexistent/gbshare.json"]).load()
            Issue.record("a missing file was accepted")
        } catch {
            #expect(error.description.hasPrefix("config file /nonexistent/gbshare.json cannot be read: "), "\(error)")
            #expect(error.description.lowercased().contains("no such file"), "\(error)")
        }
    }

    @Test func valuesOfTheWrongKindNameTheirSource() throws {
        #expect(throws: ConfigError.invalidValue(key: "httpPort", value: "eighty", source: "environment GBSHARE_HTTP_PORT", expected: "a whole number")) {
            try ConfigLoader(environment: ["GBSHARE_HTTP_PORT": "eighty"]).load()
        }
        #expect(throws: ConfigError.invalidValue(key: "sipPort", value: "70000", source: "flag --sip-port", expected: "a port from 0 to 65535 (0: any free port)")) {
            try ConfigLoader(environment: [:], flags: ["--sip-port": "70000"]).load()
        }
        let file = try Self.file(#"{"rtpPort": "30000"}"#, in: try Self.folder())
        #expect(throws: ConfigError.invalidValue(key: "rtpPort", value: #""30000""#, source: file, expected: "a whole number")) {
            try ConfigLoader(environment: [:], flags: ["--config": file]).load()
        }
    }

    @Test func showMasksSecrets() throws {
        let loaded = try ConfigLoader(environment: ["DATABASE_URL": "postgres://gb:s3cret@db.example:5432/gbshare"],
                                      flags: ["--device-password": "dev-s3cret", "--data": try Self.folder().path]).load()
        let report = ConfigReport(loaded)
        #expect(!report.text.contains("s3cret"))
        #expect(report.lines.first { $0.key == "databaseURL" } == .init(key: "databaseURL", value: "postgres://gb:****@db.example:5432/gbshare",
                                                                          source: "environment DATABASE_URL"))
        #expect(report.lines.first { $0.key == "devicePassword" }?.value == "********")
        #expect(report.lines.first { $0.key == "httpPort" } == .init(key: "httpPort", value: "8080", source: "default"))
        // scripts/serve asks `config show --value` whether a setting is set at all.
        let unset = report.lines.first { $0.key == "auditSyslog" }
        #expect(unset?.isSet == false && unset?.value == "(not set)")
    }

    /// Every command that opens the data takes every settings flag: a flag meant for `serve` never
    /// makes `user count` fail.
    @Test(arguments: [["migrate"], ["user", "count"], ["user", "list"], ["audit", "verify"], ["directory", "report"], ["config", "show"]])
    func everyCommandAcceptsEverySettingsFlag(command: [String]) throws {
        let data = try Self.folder().path
        let result = try CommandLineTests.run(command + Self.everyFlag(data: data))
        #expect(result.status == 0, "\(command): \(result.stderr)")
    }

    @Test func userCountTakesServesFlags() throws {
        let result = try CommandLineTests.run(["user", "count", "--data", try Self.folder().path, "--http-port", "8081"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "0\n")
    }

    @Test func configShowSaysWhereEachValueCameFrom() throws {
        let data = try Self.folder()
        _ = try Self.file(#"{"sipPort": 5070}"#, in: data, name: "gbshare.json")
        let result = try CommandLineTests.run(["config", "show", "--data", data.path, "--http-port", "8081",
                                               "--database-url", "postgres://gb:s3cret@127.0.0.1/gbshare"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        #expect(lines.contains("httpPort 8081 flag --http-port"))
        #expect(lines.contains("sipPort 5070 file \(data.path)/gbshare.json"))
        #expect(lines.contains("bcryptCost 12 default"))
        #expect(lines.contains("databaseURL postgres://gb:****@127.0.0.1/gbshare flag --database-url"))
        #expect(!result.stdout.contains("s3cret"))
    }

    /// What scripts/serve reads: one value, empty when unset, a secret still masked, a wrong name refused.
    @Test func configShowValuePrintsOneSetting() throws {
        let data = try Self.folder().path
        let port = try CommandLineTests.run(["config", "show", "--value", "httpPort", "--data", data, "--http-port", "8081"])
        #expect(port.status == 0 && port.stdout == "8081\n", "\(port.stderr)")
        let unset = try CommandLineTests.run(["config", "show", "--value", "devicePassword", "--data", data])
        #expect(unset.status == 0 && unset.stdout == "\n", "\(unset.stderr)")
        let secret = try CommandLineTests.run(["config", "show", "--value", "devicePassword", "--data", data, "--device-password", "s3cret-dev"])
        #expect(secret.stdout == "********\n")
        let wrong = try CommandLineTests.run(["config", "show", "--value", "devicePasword", "--data", data])
        #expect(wrong.status != 0 && wrong.stderr.contains("no setting named devicePasword"))
    }

    /// Each settings flag with a value that opens nothing new: the default where there is one, a
    /// harmless sample where the setting is unset by default (no database URL: that would leave SQLite).
    static func everyFlag(data: String) -> [String] {
        let samples = ["--data": data, "--sip-domain": "3402000000", "--device-password": "dev-secret", "--media-host": "127.0.0.1",
                       "--rtp-port-range": "30002-30500", "--console-dir": data, "--map-tile-url": "https://tiles.example/{z}/{x}/{y}.png",
                       "--map-attribution": "tiles"]
        let defaults = GBShareConfig()
        return ConfigKey.all.flatMap { key -> [String] in
            switch key.flag {
            case .option(let name)?:
                guard let value = samples[name] ?? (key.isSecret ? nil : key.text(defaults)) else { return [] }
                return [name, value]
            case .toggle(let name, _)?:
                return [name]
            case nil:
                return []
            }
        }
    }
}
