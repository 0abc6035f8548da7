import Directory
import Foundation
import Testing

/// `gbshare simulate` as a separate process: its directory rows pass the directory's own check, and its
/// cameras register to a real `gbshare serve` and stream video that ffprobe reads from live.mp4.
@Suite(.serialized) struct SimulateCommandTests {
    typealias E2E = SignallingEndToEndTests

    @Test(arguments: [["--devices", "40"], ["--nvr", "16", "--codec", "h265"], ["--platform-channels", "8", "--department", "06"]])
    func directoryRowsHaveNoFindings(shape: [String]) throws {
        // The bytes as printed (reading them as a String would drop the BOM).
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("simulated-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: file) }
        _ = FileManager.default.createFile(atPath: file.path, contents: nil)
        let process = Process()
        process.executableURL = CommandLineTests.binary
        process.arguments = ["simulate", "--print-directory", "--serial", "900"] + shape
        process.standardOutput = try FileHandle(forWritingTo: file)
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let bytes = try Data(contentsOf: file)
        #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]), "UTF-8 with BOM")
        let result = try DirectoryImporter.check(url: file)
        #expect(result.findings.isEmpty, "\(result.findings.prefix(5))")
        let rows = String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline).count - 1
        #expect(rows == Int(shape[1]))
    }

    /// The filed camera of the e2e server is 34020000001320000001: division 340200, department 06
    /// (industry 00), serial 1, which is the first ID `simulate` makes from those options.
    @Test(arguments: [("h264", "udp"), ("h265", "tcp-passive")])
    func simulatedCameraStreamsThroughServe(codec: String, rtpTransport: String) async throws {
        let server = try E2E.Server(keepaliveSeconds: 2, extraArguments: ["--media-host", "127.0.0.1", "--viewer-grace", "0",
                                                                          "--rtp-transport", rtpTransport])
        defer { server.stop() }
        try await server.start()
        let simulator = Process()
        simulator.executableURL = CommandLineTests.binary
        simulator.arguments = ["simulate", "--platform", "127.0.0.1:\(server.sip)", "--password", "12345678", "--division", "340200", "--department", "06",
                               "--keepalive", "1", "--codec", codec]
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("simulate-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        simulator.standardOutput = try FileHandle(forWritingTo: log)
        simulator.standardError = FileHandle.nullDevice
        try simulator.run()
        defer { simulator.terminate() }
        try await server.waitFor("the simulated camera online") {
            try await E2E.device(server, E2E.filedDevice)["online"] as? Bool == true
        }
        let viewer = try await server.viewer("duty", role: "department_operator", department: "29", division: "340200")
        let url = "http://127.0.0.1:\(server.http)/api/v1/cameras/\(E2E.filedDevice)/live.mp4"
        let probe = try LiveVideoEndToEndTests.probe(url, token: viewer, countSeconds: 2)
        #expect(probe.codec == (codec == "h265" ? "hevc" : "h264") && probe.width == 1280 && probe.height == 720, "\(probe)")
        #expect(probe.frames >= 25, "\(probe)")
        simulator.interrupt()
        simulator.waitUntilExit()
        let output = try String(contentsOf: log, encoding: .utf8)
        #expect(output.contains("\(E2E.filedDevice) registered"), "\(output)")
        #expect(output.contains("\(E2E.filedDevice) invite Play"), "\(output)")
        #expect(output.contains("summary: 1 device(s)"), "\(output)")
    }
}
