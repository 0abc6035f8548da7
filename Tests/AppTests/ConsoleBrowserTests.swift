import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif

/// The web console in a real browser: the `gbshare` binary built beside this test bundle serves a
/// fresh data folder with the sample directory, and the Python selenium suite (Tests/Browser) drives
/// headless Chromium against it. Screenshots land in test-output/console (or GBSHARE_TEST_OUTPUT).
/// A missing browser, driver or selenium fails the test with the package to install; nothing skips.
@Suite(.serialized)
struct ConsoleBrowserTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let sharedData = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data")
    static let python = "/usr/bin/python3"

    /// The suite's users: (key, username, password, role, department, division scope, display name); a nil role is an administrator.
    static let users: [(key: String, username: String, password: String, role: String?, department: String?, division: String?, displayName: String)] = [
        ("admin", "admin", "Admin#2026pass", nil, nil, nil, "平台管理员"),
        ("clerk", "health", "Health#2026pass", "department_operator", "19", "441500", "卫健局录入员"),
        ("reviewer", "reviewer", "Review#2026pass", "data_bureau_reviewer", nil, nil, "政数局审核员"),
        ("auditor", "auditor", "Audit#2026pass", "auditor", nil, nil, "审计员"),
        ("pwuser", "pwuser", "Change#2026pass", "department_operator", "06", nil, "改密测试"),
    ]

    @Test(.timeLimit(.minutes(30)))
    func consoleWorksInChromium() async throws {
        try Self.requireBrowserTools()
        let binary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("gbshare")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw ConsoleTestError("\(binary.path) is missing: build it beside the tests (swift build --build-tests builds every product)")
        }
        let sample = Self.sharedData.appendingPathComponent("directory-sample.csv")
        guard FileManager.default.fileExists(atPath: sample.path) else {
            throw ConsoleTestError("\(sample.path) is missing: ../shared must sit beside the repository")
        }

        let data = FileManager.default.temporaryDirectory.appendingPathComponent("gbshare-console-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: data) }
        let config = data.appendingPathComponent("config.json")
        // bcrypt's minimum cost keeps the many logins of the suite fast; production uses 12.
        try Data(#"{"bcryptCost": 4, "lockoutThreshold": 20}"#.utf8).write(to: config)
        let common = ["--data", data.path, "--config", config.path]

        for user in Self.users {
            var arguments = ["user", "add", user.username, "--display-name", user.displayName]
            arguments += user.role.map { ["--role", $0] } ?? ["--admin"]
            if let department = user.department { arguments += ["--department", department] }
            if let division = user.division { arguments += ["--division", division] }
            try await Self.run(binary.path, arguments + common, stdin: user.password + "\n")
        }
        try await Self.run(binary.path, ["directory", "import", sample.path] + common)

        let port = try Self.freePort()
        let log = data.appendingPathComponent("serve.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let server = Process()
        server.executableURL = binary
        // Its own SIP and RTP ports on loopback: the defaults (5060, 30000) may be taken by another server.
        server.arguments = ["serve", "--http-host", "127.0.0.1", "--http-port", String(port), "--sip-host", "127.0.0.1",
                            "--sip-port", String(try Self.freePort()), "--rtp-port", String(try Self.freePort())] + common
        let logHandle = try FileHandle(forWritingTo: log)
        server.standardOutput = logHandle
        server.standardError = logHandle
        try server.run()
        defer {
            if server.isRunning { server.terminate() }
            server.waitUntilExit()
        }
        let url = "http://127.0.0.1:\(port)"
        try await Self.waitUntilServing(url, server: server, log: log)

        let output = FileManager.default.temporaryDirectory.appendingPathComponent("gbshare-console-run-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: output) }
        var environment = ProcessInfo.processInfo.environment
        environment["GBSHARE_URL"] = url
        environment["GBSHARE_BIN"] = binary.path
        environment["GBSHARE_SHARED_DATA"] = Self.sharedData.path
        environment["GBSHARE_TEST_USERS"] = try Self.usersJSON()
        if environment["GBSHARE_TEST_OUTPUT"] == nil {
            environment["GBSHARE_TEST_OUTPUT"] = Self.packageRoot.appendingPathComponent("test-output/console").path
        }
        let script = Self.packageRoot.appendingPathComponent("Tests/Browser/run.py").path
        let status = try await Self.run(Self.python, [script], environment: environment, outputFile: output, check: false)
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        print(text)
        #expect(status == 0, "the browser suite failed:\n\(text.suffix(20_000))\n--- gbshare serve log ---\n\(Self.tail(log))")
    }

    // MARK: - Helpers

    static func requireBrowserTools() throws {
        var missing: [String] = []
        if !FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium") { missing.append("chromium (apt-get install chromium)") }
        if !FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver") { missing.append("chromedriver (apt-get install chromium-driver)") }
        if !FileManager.default.isExecutableFile(atPath: python) {
            missing.append("\(python) (apt-get install python3)")
        } else {
            let probe = Process()
            probe.executableURL = URL(fileURLWithPath: python)
            probe.arguments = ["-c", "import selenium"]
            probe.standardOutput = FileHandle.nullDevice
            probe.standardError = FileHandle.nullDevice
            try probe.run()
            probe.waitUntilExit()
            if probe.terminationStatus != 0 { missing.append("python3-selenium (apt-get install python3-selenium)") }
        }
        guard missing.isEmpty else {
            throw ConsoleTestError("the console's browser tests need: \(missing.joined(separator: ", ")); scripts/test installs them")
        }
    }

    static func usersJSON() throws -> String {
        var object: [String: [String: Any]] = [:]
        for user in users {
            object[user.key] = ["username": user.username, "password": user.password, "role": user.role ?? NSNull(),
                                "department": user.department ?? NSNull(), "division": user.division ?? NSNull(), "displayName": user.displayName]
        }
        return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    /// Runs a program to its end; throws with its output when `check` and it fails.
    @discardableResult
    static func run(_ path: String, _ arguments: [String], stdin: String? = nil, environment: [String: String]? = nil,
                    outputFile: URL? = nil, check: Bool = true) async throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let output = outputFile ?? FileManager.default.temporaryDirectory.appendingPathComponent("gbshare-console-cmd-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { if outputFile == nil { try? FileManager.default.removeItem(at: output) } }
        let handle = try FileHandle(forWritingTo: output)
        defer { try? handle.close() }
        process.standardOutput = handle
        process.standardError = handle
        let input = Pipe()
        process.standardInput = input
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { finished in continuation.resume(returning: finished.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
                return
            }
            if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
            try? input.fileHandleForWriting.close()
        }
        if check && status != 0 {
            throw ConsoleTestError("\(path) \(arguments.joined(separator: " ")) exited \(status):\n\((try? String(contentsOf: output, encoding: .utf8)) ?? "")")
        }
        return status
    }

    static func waitUntilServing(_ url: String, server: Process, log: URL) async throws {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            guard server.isRunning else { throw ConsoleTestError("gbshare serve exited:\n\(tail(log))") }
            if let probe = URL(string: url + "/vendor/status.json"),
               let (_, response) = try? await URLSession.shared.data(from: probe),
               (response as? HTTPURLResponse)?.statusCode == 200 {
                return
            }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        throw ConsoleTestError("gbshare serve did not answer on \(url) within 60 s:\n\(tail(log))")
    }

    /// A port free for both TCP and UDP now. The kernel names a TCP port; it is kept only when UDP can
    /// bind it too: the servers under test bind SIP and RTP on UDP and TCP alike, and a port a sipp still
    /// holds for media (UDP) once made a test's server refuse to start ("already in use").
    static func freePort() throws -> Int {
        for _ in 0..<50 {
            let port = try boundPort(type: Int32(SOCK_STREAM.rawValue), port: 0)
            if (try? boundPort(type: Int32(SOCK_DGRAM.rawValue), port: port)) != nil { return port }
        }
        throw ConsoleTestError("no port free for both TCP and UDP in 50 tries")
    }

    /// Binds a socket of `type` to 127.0.0.1:`port` (0: any), returns the port and closes it.
    private static func boundPort(type: Int32, port: Int) throws -> Int {
        let fd = socket(AF_INET, type, 0)
        guard fd >= 0 else { throw ConsoleTestError("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw ConsoleTestError("bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw ConsoleTestError("getsockname() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func tail(_ file: URL) -> String {
        String(((try? String(contentsOf: file, encoding: .utf8)) ?? "").suffix(4000))
    }
}

struct ConsoleTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
