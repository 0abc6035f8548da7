import Foundation
import Testing

/// The `gbshare` executable as scripts and people use it: a separate process, its output and
/// exit status, its memory.
@Suite struct CommandLineTests {
    /// The `gbshare` built beside this test bundle (swift test builds every product).
    static var binary: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("gbshare")
    }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
        /// Peak resident memory of the child, in KiB.
        var maxResidentKiB: Int
    }

    /// Runs the binary with posix_spawn and reaps it with wait4 ourselves: Foundation's Process
    /// reaps children on its own thread, which would hide the child's exit status and peak memory.
    static func run(_ arguments: [String], stdin: String? = nil) throws -> Run {
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw TestSetupError("\(binary.path) is missing: run `swift build` (scripts/test does)")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gbshare-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let inPath = folder.appendingPathComponent("stdin").path
        let outPath = folder.appendingPathComponent("stdout").path
        let errPath = folder.appendingPathComponent("stderr").path
        try (stdin ?? "").write(toFile: inPath, atomically: true, encoding: .utf8)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ([binary.path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, binary.path, &actions, nil, argv, environ)
        guard spawned == 0 else { throw TestSetupError("posix_spawn failed: \(spawned)") }
        var status: Int32 = 0
        var usage = rusage()
        guard wait4(pid, &status, 0, &usage) == pid else { throw TestSetupError("wait4 failed: \(errno)") }
        let exitStatus: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Run(status: exitStatus, stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                   stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "", maxResidentKiB: Int(usage.ru_maxrss))
    }

    @Test func checkPrintsOneFindingPerLine() throws {
        let sample = AppTestSupport.sharedData.appendingPathComponent("directory-sample.csv").path
        let result = try Self.run(["directory", "check", sample])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first == "row,code,field,rule,severity,message")
        #expect(lines.contains { $0.hasPrefix("14,44152134001320363856,经度,coord_outside_division,error,") })
        #expect(result.stderr.contains("2018 rows"))
        let english = try Self.run(["directory", "check", sample, "--format", "json", "--lang", "en"])
        #expect(english.status == 0)
        #expect(english.stdout.contains("\"rule\" : \"ipv4_format\""))
    }

    @Test func unreadableFilesExitNonZeroWithAReason() throws {
        let missing = try Self.run(["directory", "check", "/nonexistent/file.csv"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("无法读取"))
        let narrow = FileManager.default.temporaryDirectory.appendingPathComponent("narrow-\(UUID().uuidString).csv")
        try "设备编码\n1\n".write(to: narrow, atomically: true, encoding: .utf8)
        let refused = try Self.run(["directory", "check", narrow.path, "--lang", "en"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("lacks required columns"))
    }

    @Test func checkStreamsABigFileInBoundedMemory() throws {
        let sample = try String(contentsOf: AppTestSupport.sharedData.appendingPathComponent("directory-sample.csv"), encoding: .utf8)
        let lines = sample.split(whereSeparator: \.isNewline)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("big-\(UUID().uuidString).csv")
        #expect(FileManager.default.createFile(atPath: url.path, contents: nil))
        let handle = try FileHandle(forWritingTo: url)
        try handle.write(contentsOf: Data((lines[0] + "\n").utf8))
        // 100,900 rows (~31 MB), codes made unique so the file is not one big duplicate report.
        for block in 0..<50 {
            var text = ""
            for (index, line) in lines.dropFirst().enumerated() {
                let code = line.prefix { $0 != "," }
                text += code.count == 20 ? code.prefix(14) + String(format: "%06d", block * 2018 + index) + line.dropFirst(20) : line
                text += "\n"
            }
            try handle.write(contentsOf: Data(text.utf8))
        }
        try handle.close()
        defer { try? FileManager.default.removeItem(at: url) }
        let result = try Self.run(["directory", "check", url.path])
        #expect(result.status == 0)
        #expect(result.stderr.contains("100900 rows"))
        // The findings are kept (every one is printed), the rows are not: far below the file's size
        // plus what 200,000 parsed rows would cost.
        #expect(result.maxResidentKiB > 0)
        // Rows are streamed; findings (about 8 % of rows have some) are all kept for printing, so the
        // bound is the runtime plus the findings, far below what 100,900 parsed rows would need.
        #expect(result.maxResidentKiB < 192 * 1024, "peak memory \(result.maxResidentKiB / 1024) MiB")
    }

    @Test func firstAdministratorFromStdinAndNoDefaultPassword() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("gbshare-cli-\(UUID().uuidString)").path
        #expect(try Self.run(["user", "count", "--data", data]).stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        let weak = try Self.run(["user", "add", "root", "--admin", "--data", data], stdin: "short\n")
        #expect(weak.status != 0)
        let added = try Self.run(["user", "add", "root", "--admin", "--data", data], stdin: "Str0ng#Passw0rd\n")
        #expect(added.status == 0, "\(added.stderr)")
        #expect(try Self.run(["user", "list", "--data", data]).stdout.contains("root\tsystem_admin"))
    }
}

/// Issue 11 item 11: nobody but the account running GBShare reads the data folder.
@Suite struct PrivateFilesTests {
    @Test("the data folder is 0700 and what GBShare writes in it is 0600, even when the folder existed with looser rights")
    func dataFolderIsPrivate() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("gbshare-private-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        defer { try? FileManager.default.removeItem(atPath: data) }
        let added = try CommandLineTests.run(["user", "add", "root", "--admin", "--data", data], stdin: "Str0ng#Passw0rd\n")
        #expect(added.status == 0, "\(added.stderr)")
        func mode(_ path: String) throws -> Int {
            try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        }
        #expect(try mode(data) == 0o700)
        // The first administrator's creation is on record (it once was the one change with no entry).
        let verified = try CommandLineTests.run(["audit", "verify", "--data", data])
        #expect(verified.status == 0 && verified.stdout.contains("intact: 1 entries"), "\(verified.stdout)\(verified.stderr)")
        let files = try FileManager.default.subpathsOfDirectory(atPath: data)
        #expect(!files.isEmpty)
        for file in files {
            let permissions = try mode(data + "/" + file)
            #expect(permissions & 0o077 == 0, "\(file) is readable by others: \(String(permissions, radix: 8))")
        }
    }
}

/// Issue 11 item 12 on the command line: the administrator who cannot log in is not stuck.
@Suite struct AccountCommandTests {
    @Test("user passwd, set --disable/--role, unlock; the last administrator stays; every change in the audit log")
    func accountChanges() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("gbshare-accounts-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: data) }
        func run(_ arguments: [String], stdin: String? = nil) throws -> CommandLineTests.Run {
            try CommandLineTests.run(arguments + ["--data", data], stdin: stdin)
        }
        #expect(try run(["user", "add", "root", "--admin"], stdin: "Str0ng#Passw0rd\n").status == 0)
        #expect(try run(["user", "add", "clerk", "--role", "department_operator", "--department", "19"], stdin: "Clerk#2026pass\n").status == 0)
        let demote = try run(["user", "set", "root", "--role", "auditor"])
        #expect(demote.status != 0 && demote.stderr.contains("last active system administrator"), "\(demote.stderr)")
        #expect(try run(["user", "passwd", "clerk"], stdin: "password1\n").stderr.contains("common"))
        #expect(try run(["user", "passwd", "clerk"], stdin: "New#Clerk2026\n").status == 0)
        let moved = try run(["user", "set", "clerk", "--department", "06", "--disable"])
        #expect(moved.status == 0 && moved.stdout.contains("department=19→06") && moved.stdout.contains("active=true→false"), "\(moved.stdout)")
        #expect(try run(["user", "unlock", "clerk"]).status == 0)
        #expect(try run(["user", "unlock", "nobody"]).stderr.contains("no user nobody"))
        let verified = try run(["audit", "verify"])
        #expect(verified.status == 0 && verified.stdout.contains("intact: 5 entries"), "\(verified.stdout)")
    }
}
