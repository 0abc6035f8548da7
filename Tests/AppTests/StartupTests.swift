import App
import Foundation
import Testing

/// `gbshare serve` as an operator meets it: start-up failures said in words with what to do (a real
/// socket taken, a real unwritable folder, a real PostgreSQL when GBSHARE_TEST_POSTGRES_URL is set),
/// an orderly start and stop, and administrative commands that start nothing.
@Suite(.serialized) struct StartupTests {
    static func dataFolder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("gbshare-startup-\(UUID().uuidString)").path
    }

    /// Loopback addresses and free ports for everything, so only the thing under test can fail.
    static func serveArguments(data: String) throws -> [String] {
        ["serve", "--data", data, "--http-host", "127.0.0.1", "--http-port", String(try ConsoleBrowserTests.freePort()),
         "--sip-host", "127.0.0.1", "--sip-port", String(try ConsoleBrowserTests.freePort()),
         "--rtp-port", String(try ConsoleBrowserTests.freePort())]
    }

    /// A port another program holds: which service, which port, and the flag that moves it.
    @Test(arguments: [("HTTP", "--http-port", false), ("SIP", "--sip-port", true), ("RTP (media)", "--rtp-port", true)])
    func portInUse(service: String, flag: String, udp: Bool) throws {
        let taken = try TakenPort(udp: udp)
        var arguments = try Self.serveArguments(data: Self.dataFolder())
        let index = try #require(arguments.firstIndex(of: flag))
        arguments[index + 1] = String(taken.port)
        let result = try CommandLineTests.run(arguments)
        #expect(result.status != 0)
        #expect(result.stderr.contains("\(service) port \(taken.port) on 127.0.0.1 is already in use"), "\(result.stderr)")
        #expect(result.stderr.contains("or choose another port with \(flag) (GBSHARE_"), "\(result.stderr)")
    }

    /// As root every folder is writable to access(2), so root's folder is made immutable instead.
    @Test func dataFolderNotWritable() throws {
        let folder = Self.dataFolder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        chmod(folder, 0o555)
        let immutable = geteuid() == 0 ? try Self.chattr("+i", folder) : false
        defer {
            if immutable { _ = try? Self.chattr("-i", folder) }
            chmod(folder, 0o755)
        }
        let data = geteuid() != 0 || immutable ? folder : "/sys"
        for command in [try Self.serveArguments(data: data), ["user", "count", "--data", data]] {
            let result = try CommandLineTests.run(command)
            #expect(result.status != 0)
            #expect(result.stderr.contains("data folder \(data) is not writable"), "\(result.stderr)")
            #expect(result.stderr.contains("--data (GBSHARE_DATA, or dataDirectory in gbshare.json)"), "\(result.stderr)")
        }
    }

    static func chattr(_ flag: String, _ path: String) throws -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/chattr")
        process.arguments = [flag, path]
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    @Test func malformedConfigFile() throws {
        let data = Self.dataFolder()
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        let file = data + "/gbshare.json"
        try "{\n  \"httpPort\": 8081,\n  \"sipPort\" 5061\n}\n".write(toFile: file, atomically: true, encoding: .utf8)
        let result = try CommandLineTests.run(try Self.serveArguments(data: data))
        #expect(result.status != 0)
        #expect(result.stderr.contains("config file \(file) is not valid JSON at line 3, column 13"), "\(result.stderr)")
        let missing = try CommandLineTests.run(["serve", "--config", data + "/missing.json"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("config file \(data)/missing.json cannot be read"), "\(missing.stderr)")
    }

    @Test func postgresRefusesTheConnection() throws {
        let port = try ConsoleBrowserTests.freePort()
        let result = try CommandLineTests.run(["migrate", "--data", Self.dataFolder(), "--database-url", "postgres://gbshare@127.0.0.1:\(port)/gbshare"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("cannot reach PostgreSQL at 127.0.0.1:\(port) (connection refused)"), "\(result.stderr)")
        #expect(result.stderr.contains("DATABASE_URL"), "\(result.stderr)")
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["GBSHARE_TEST_POSTGRES_URL"] != nil))
    func postgresDatabaseMissing() throws {
        let url = try #require(ProcessInfo.processInfo.environment["GBSHARE_TEST_POSTGRES_URL"])
        let name = "gbshare_missing_" + UUID().uuidString.prefix(8).lowercased()
        let missing = url.replacingOccurrences(of: "/postgres?", with: "/\(name)?")
        let host = try #require(URLComponents(string: missing).map { "\($0.host ?? ""):\($0.port ?? 5432)" })
        let result = try CommandLineTests.run(["serve", "--data", Self.dataFolder(), "--database-url", missing])
        #expect(result.status != 0)
        #expect(result.stderr.contains("database \(name) does not exist on \(host): create it with `createdb \(name)` or fix DATABASE_URL"),
                "\(result.stderr)")
        #expect(!result.stderr.contains("Generic description"))
    }

    /// Start in order, SIGTERM, stop in reverse, exit 0 within 10 s.
    @Test func startsInOrderAndStopsInReverseOnSIGTERM() async throws {
        let data = Self.dataFolder()
        let log = data + ".log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = CommandLineTests.binary
        process.arguments = try Self.serveArguments(data: data)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: log)
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        var text = ""
        for _ in 0..<300 where !text.contains("started HTTP") && process.isRunning {
            try await Task.sleep(for: .milliseconds(100))
            text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        }
        #expect(text.contains("started HTTP"), "\(text)")
        #expect(text.contains("no device password: devices without their own are refused registration; set a device password with --device-password"))
        let sent = Date()
        kill(process.processIdentifier, SIGTERM)
        while process.isRunning && Date().timeIntervalSince(sent) < 10 { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!process.isRunning, "still running 10 s after SIGTERM")
        guard !process.isRunning else { return }
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
        text = try String(contentsOfFile: log, encoding: .utf8)
        let order = ["started database", "started sharing jobs", "started SIP", "started media", "started HTTP",
                     "stopped HTTP", "stopped media", "stopped SIP", "stopped sharing jobs", "stopped database"]
        let positions = order.map { text.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil }, "\(text)")
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted(), "\(text)")
    }

    /// `migrate`, `user add`, `audit verify`, `directory import`: the database and nothing else. The
    /// sharing sweeps are not running, and the SIP, media and HTTP ports of the settings stay free.
    @Test func administrativeApplicationsStartNothing() async throws {
        var config = try AppTestSupport.config(.sqlite)
        config.sipHost = "127.0.0.1"
        config.httpHost = "127.0.0.1"
        config.sipPort = try ConsoleBrowserTests.freePort()
        config.rtpPort = try ConsoleBrowserTests.freePort()
        config.httpPort = try ConsoleBrowserTests.freePort()
        try await GBShareApplication.withApplication(config: config) { app in
            #expect(!app.sharing.jobsRunning)
            for (port, udp) in [(config.sipPort, true), (config.sipPort, false), (config.rtpPort, true), (config.httpPort, false)] {
                #expect((try? TakenPort(udp: udp, port: port)) != nil, "port \(port) was taken")
            }
        }
    }
}

/// A socket held open on 127.0.0.1 so that the server finds its port taken (port 0: any free one).
final class TakenPort {
    let fd: Int32
    let port: Int

    init(udp: Bool, port wanted: Int = 0) throws {
        let socketFD = socket(AF_INET, Int32(udp ? SOCK_DGRAM.rawValue : SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(wanted).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, length) == 0 && getsockname(socketFD, $0, &length) == 0 }
        }
        guard socketFD >= 0, bound, udp || listen(socketFD, 4) == 0 else {
            if socketFD >= 0 { close(socketFD) }
            throw TestSetupError("cannot take port \(wanted): errno \(errno)")
        }
        fd = socketFD
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(fd) }
}
