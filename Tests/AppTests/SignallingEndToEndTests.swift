import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// The real `gbshare serve` against the external sipp device scenarios of ../shared/peers/sipp:
/// register with digest, keep alive, answer catalog and device-info queries, over UDP and TCP; a wrong
/// password and an unfiled code are refused; a device that goes silent goes offline.
@Suite(.serialized) struct SignallingEndToEndTests {
    static let sippFolder = AppTestSupport.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/peers/sipp")
    static let filedDevice = "34020000001320000001"

    /// A running server with the device filed in its directory.
    final class Server: @unchecked Sendable {
        // Touched by one test at a time (the suite is serialized).
        private(set) var process = Process()
        private(set) var http: Int
        private(set) var sip: Int
        let data: String
        var token = ""
        var arguments: [String] { process.arguments ?? [] }
        var logPath: String { data + ".log" }

        init(keepaliveSeconds: Int = 1, extraArguments: [String] = []) throws {
            // Ports the kernel says are free now (random numbers can fall on a connection's ephemeral port).
            http = try ConsoleBrowserTests.freePort()
            sip = try ConsoleBrowserTests.freePort()
            data = FileManager.default.temporaryDirectory.appendingPathComponent("gbshare-e2e-\(UUID().uuidString)").path
            // File the sipp device (a camera with its own code) through the CLI, as an administrator would.
            let sample = try String(contentsOf: AppTestSupport.sharedData.appendingPathComponent("directory-sample.csv"), encoding: .utf8)
            let lines = sample.split(whereSeparator: \.isNewline)
            let row = lines[1].replacingOccurrences(of: "44152309581320861168", with: SignallingEndToEndTests.filedDevice)
                .replacingOccurrences(of: ",441523,", with: ",340200,")
                .replacingOccurrences(of: "115.668755,23.274754", with: "118.376451,31.326319")  // in Wuhu (340200): a clean record
            let csv = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(UUID().uuidString).csv")
            try (lines[0] + "\n" + row + "\n").write(to: csv, atomically: true, encoding: .utf8)
            #expect(try CommandLineTests.run(["directory", "import", csv.path, "--data", data]).status == 0)
            #expect(try CommandLineTests.run(["user", "add", "admin", "--admin", "--data", data], stdin: "E2e#Passw0rd\n").status == 0)
            process.executableURL = CommandLineTests.binary
            process.arguments = ["serve", "--data", data, "--http-host", "127.0.0.1", "--http-port", String(http),
                                 "--sip-host", "127.0.0.1", "--sip-port", String(sip), "--device-password", "12345678",
                                 "--keepalive-interval", String(keepaliveSeconds), "--keepalive-misses", "2"]
                + (extraArguments.contains("--rtp-port") ? [] : ["--rtp-port", String(try ConsoleBrowserTests.freePort())]) + extraArguments
            process.standardOutput = FileHandle.nullDevice
            _ = FileManager.default.createFile(atPath: logPath, contents: nil)
            process.standardError = FileHandle(forWritingAtPath: logPath)
            try process.run()
        }

        func start() async throws {
            for attempt in 0..<100 {
                // A port taken between choosing it and binding it (another test's sipp, an ephemeral port):
                // the server says "already in use" and exits; it is started again on new ports.
                if !process.isRunning, attempt < 99, ((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "").contains("already in use") {
                    try relaunchOnNewPorts()
                }
                if let login = try? await request("POST", "/api/v1/auth/login", body: #"{"username":"admin","password":"E2e#Passw0rd"}"#),
                   let token = login["token"] as? String {
                    self.token = token
                    return
                }
                try await Task.sleep(for: .milliseconds(200))
            }
            let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            throw TestSetupError("gbshare serve did not come up on port \(http): \(log.suffix(2000))")
        }

        func request(_ method: String, _ path: String, body: String? = nil, token: String? = nil) async throws -> [String: Any] {
            let object = try await requestJSON(method, path, body: body, token: token)
            return object as? [String: Any] ?? [:]
        }

        func requestJSON(_ method: String, _ path: String, body: String? = nil, token: String? = nil) async throws -> Any {
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(http)\(path)")!)
            request.httpMethod = method
            let bearer = token ?? self.token
            if !bearer.isEmpty { request.setValue("Bearer \(bearer)", forHTTPHeaderField: "Authorization") }
            if let body {
                request.httpBody = Data(body.utf8)
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            }
            let (data, _) = try await URLSession.shared.data(for: request)
            return data.isEmpty ? [String: Any]() : try JSONSerialization.jsonObject(with: data)
        }

        /// A user created by the administrator and logged in: its token.
        func user(_ name: String, role: String, department: String = "", division: String = "") async throws -> String {
            let password = "E2e#Passw0rd"
            _ = try await request("POST", "/api/v1/users", body: """
                {"username":"\(name)","password":"\(password)","role":"\(role)","departmentCode":"\(department)","divisionScope":"\(division)"}
                """)
            let login = try await request("POST", "/api/v1/auth/login", body: #"{"username":"\#(name)","password":"\#(password)"}"#, token: "")
            guard let token = login["token"] as? String else { throw TestSetupError("login of \(name) failed: \(login)") }
            return token
        }

        /// A user who states the purpose of use for the login, as the console asks once before the
        /// first live view (the policy asks a purpose for live by default).
        func viewer(_ name: String, role: String, department: String = "", division: String = "",
                    purpose: String = "日常巡查") async throws -> String {
            let token = try await user(name, role: role, department: department, division: division)
            let stated = try await request("PUT", "/api/v1/auth/session/purpose", body: #"{"purpose":"\#(purpose)"}"#, token: token)
            guard stated["viewPurpose"] as? String == purpose else { throw TestSetupError("stating the purpose failed: \(stated)") }
            return token
        }

        /// Polls until `condition` holds, for up to `seconds`.
        func waitFor(_ what: String, seconds: Double = 15, _ condition: () async throws -> Bool) async throws {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if (try? await condition()) == true { return }
                try await Task.sleep(for: .milliseconds(200))
            }
            // What the server said last is the first thing a person reading a CI failure needs.
            let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            Issue.record("timed out waiting for \(what); the server's log ends: \(log.suffix(1500))")
        }

        func stop() {
            process.terminate()
            process.waitUntilExit()
        }

        /// Starts the server again with fresh HTTP, SIP and RTP ports (when one it was given was taken).
        private func relaunchOnNewPorts() throws {
            var arguments = process.arguments ?? []
            http = try ConsoleBrowserTests.freePort()
            sip = try ConsoleBrowserTests.freePort()
            for (flag, value) in [("--http-port", http), ("--sip-port", sip), ("--rtp-port", try ConsoleBrowserTests.freePort())] {
                if let index = arguments.firstIndex(of: flag), index + 1 < arguments.count { arguments[index + 1] = String(value) }
            }
            let next = Process()
            next.executableURL = process.executableURL
            next.arguments = arguments
            next.standardOutput = FileHandle.nullDevice
            try Data().write(to: URL(fileURLWithPath: logPath))
            next.standardError = FileHandle(forWritingAtPath: logPath)
            try next.run()
            process = next
        }

        /// Stops the server and starts it again on the same data, ports and arguments: a node restarted in
        /// place, as an operator's upgrade does. Its log goes on in the same file.
        func restart() async throws {
            stop()
            let next = Process()
            next.executableURL = process.executableURL
            next.arguments = process.arguments
            next.standardOutput = FileHandle.nullDevice
            let log = FileHandle(forWritingAtPath: logPath)
            log?.seekToEndOfFile()
            next.standardError = log
            try next.run()
            process = next
            try await start()
        }
    }

    /// A sipp device process (UDP: -t u1, TCP: -t t1).
    ///
    /// Its ports are ones the kernel called free a moment ago, which another process on a busy machine
    /// can take first: sipp then exits at once with its "cannot bind" status (254, or 255 for another
    /// fatal start-up error) and the device would never register. Such a start is retried on new ports,
    /// and a start that keeps failing says what sipp printed.
    static func sipp(server: Server, transport: String, devices: String, keepalives: Int, keepaliveMs: Int = 500,
                     outOfCall: String = "gb_device_ooc.xml", extraArguments: [String] = []) throws -> Process {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/sipp") else {
            throw TestSetupError("/usr/bin/sipp is missing: scripts/test installs Debian's sip-tester")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sipp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for file in ["gb_device_register.xml", outOfCall] {
            try FileManager.default.copyItem(at: sippFolder.appendingPathComponent(file), to: folder.appendingPathComponent(file))
        }
        try ("SEQUENTIAL\n" + devices + "\n").write(to: folder.appendingPathComponent("devices.csv"), atomically: true, encoding: .utf8)
        var lastError = ""
        for _ in 0..<3 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/sipp")
            process.currentDirectoryURL = folder
            let devicePort = try ConsoleBrowserTests.freePort()
            process.arguments = ["127.0.0.1:\(server.sip)", "-t", transport, "-sf", "gb_device_register.xml", "-oocsf", outOfCall,
                                 "-i", "127.0.0.1", "-p", String(devicePort), "-mi", "127.0.0.1", "-mp", String(try ConsoleBrowserTests.freePort()),
                                 "-inf", "devices.csv", "-key", "platform_id", "34020000002000000001", "-key", "domain", "3402000000",
                                 "-key", "expires", "3600", "-key", "ka_ms", String(keepaliveMs), "-key", "ka_count", String(keepalives),
                                 "-m", "1", "-nostdin", "-timeout", "60s"] + extraArguments
            let errors = folder.appendingPathComponent("sipp-stderr.txt")
            _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = try FileHandle(forWritingTo: errors)
            try process.run()
            Thread.sleep(forTimeInterval: 0.3)
            guard !process.isRunning, [254, 255].contains(process.terminationStatus) else { return process }
            lastError = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
        }
        throw TestSetupError("sipp did not start three times: \(lastError.suffix(600))")
    }

    static func device(_ server: Server, _ code: String) async throws -> [String: Any] {
        try await server.request("GET", "/api/v1/devices/\(code)")
    }

    @Test(arguments: ["u1", "t1"])
    func registerKeepAliveCatalogAndInfo(transport: String) async throws {
        let server = try Server()
        defer { server.stop() }
        try await server.start()
        let device = try Self.sipp(server: server, transport: transport, devices: "\(Self.filedDevice);12345678", keepalives: 40)
        defer { device.terminate() }
        try await server.waitFor("the device online") { try await Self.device(server, Self.filedDevice)["online"] as? Bool == true }
        #expect(try await Self.device(server, Self.filedDevice)["transport"] as? String == (transport == "t1" ? "tcp" : "udp"))
        // The catalog query after registration: sipp answers with one channel (digits 11-13 → 131).
        try await server.waitFor("the catalog") {
            (try await server.requestJSON("GET", "/api/v1/devices/\(Self.filedDevice)/channels") as? [[String: Any]])?.isEmpty == false
        }
        let channels = try await server.requestJSON("GET", "/api/v1/devices/\(Self.filedDevice)/channels") as? [[String: Any]] ?? []
        #expect(channels.first?["code"] as? String == "34020000001310000001")
        #expect(channels.first?["filed"] as? Bool == false)
        let discovered = try await server.requestJSON("GET", "/api/v1/devices/discovered") as? [[String: Any]] ?? []
        #expect(discovered.contains { $0["code"] as? String == "34020000001310000001" })
        // Both catalog trees are kept: sipp's channel hangs under its civil code and under its device.
        let tree = try await server.request("GET", "/api/v1/devices/\(Self.filedDevice)/tree")
        let treeText = String(describing: tree)
        #expect(treeText.contains("34020000001310000001") && tree["region"] != nil && tree["business"] != nil, "\(tree)")
        // ... and counts in the directory's rectification report.
        let report = try await server.request("GET", "/api/v1/directory/report")
        #expect((report["discoveredNotFiled"] as? [String: Any])?["count"] as? Int == 1, "\(report)")
        let info = try await server.request("GET", "/api/v1/devices/\(Self.filedDevice)/info")
        #expect((info["values"] as? [String: String])?.isEmpty == false, "\(info)")
        // Catalog and alarm subscriptions are taken when it comes online (sipp answers 200 to SUBSCRIBE).
        try await server.waitFor("the subscriptions") {
            let events = try await server.requestJSON("GET", "/api/v1/devices/\(Self.filedDevice)/events") as? [[String: Any]] ?? []
            return events.filter { $0["kind"] as? String == "subscribed" }.count == 2
        }
        // The charset of what we send it is set per device; a name we do not know is refused.
        let charset = try await server.request("PUT", "/api/v1/devices/\(Self.filedDevice)/charset", body: #"{"charset":"latin-1"}"#)
        #expect((charset["error"] as? [String: Any])?["code"] as? String == "bad_request", "\(charset)")
        let utf8 = try await server.request("PUT", "/api/v1/devices/\(Self.filedDevice)/charset", body: #"{"charset":"utf-8"}"#)
        #expect(utf8["error"] == nil, "\(utf8)")
        let afterCharset = try await server.request("GET", "/api/v1/devices/\(Self.filedDevice)/info")
        #expect((afterCharset["values"] as? [String: String])?["manufacturer"] == "SIPp", "\(afterCharset)")
        // The directory's network status follows the device.
        let camera = try await server.request("GET", "/api/v1/cameras/\(Self.filedDevice)")
        #expect((camera["record"] as? [String: String])?["networkStatus"] == "1")
        // A device that stops sending keepalives goes offline (interval 1 s × 2 misses).
        device.interrupt()
        kill(device.processIdentifier, SIGKILL)
        try await server.waitFor("the device offline", seconds: 10) {
            try await Self.device(server, Self.filedDevice)["online"] as? Bool == false
        }
        let events = try await server.requestJSON("GET", "/api/v1/devices/\(Self.filedDevice)/events") as? [[String: Any]] ?? []
        #expect(events.contains { $0["kind"] as? String == "offline" })
        let offlineCamera = try await server.request("GET", "/api/v1/cameras/\(Self.filedDevice)")
        #expect((offlineCamera["record"] as? [String: String])?["networkStatus"] == "2")
    }

    @Test func wrongPasswordAndUnfiledCodeAreRefused() async throws {
        let server = try Server()
        defer { server.stop() }
        try await server.start()
        let wrong = try Self.sipp(server: server, transport: "u1", devices: "\(Self.filedDevice);wrong-pass", keepalives: 0)
        let unfiled = try Self.sipp(server: server, transport: "u1", devices: "34020000001320000099;12345678", keepalives: 0)
        defer { wrong.terminate(); unfiled.terminate() }
        try await server.waitFor("both refusals") {
            let refused = try await server.requestJSON("GET", "/api/v1/devices/refused") as? [[String: Any]] ?? []
            return refused.contains { $0["code"] as? String == Self.filedDevice && $0["reason"] as? String == "wrong_password" }
                && refused.contains { $0["code"] as? String == "34020000001320000099" && $0["reason"] as? String == "unfiled" }
        }
        let listed = try await server.requestJSON("GET", "/api/v1/devices") as? [[String: Any]] ?? []
        #expect(!listed.contains { $0["code"] as? String == "34020000001320000099" })
    }
}
