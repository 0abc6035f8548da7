import Foundation
import GBSimulator
import NIOCore
import NIOPosix
import Testing

/// SIPp playing the platform (the `test_platform_*` scenarios of /work/shared/peers/sipp, run as its
/// selftest.sh does): the simulated camera registers with digest (SIPp's `verifyauth`), answers
/// Catalog, DeviceInfo and DeviceStatus, and accepts an INVITE. sipp is required (`apt-get install -y
/// sip-tester`); a missing sipp fails the test.
@Suite(.serialized) struct SippPlatformTests {
    static let sipp = "/usr/bin/sipp"
    static let scenarios = "/work/shared/peers/sipp"
    static let keys = ["-key", "platform_id", "34020000002000000001", "-key", "domain", "3402000000"]

    struct Missing: Error, CustomStringConvertible {
        var description: String { "sipp is missing at \(SippPlatformTests.sipp): install it with `apt-get install -y sip-tester`" }
    }

    @Test(arguments: ["u1", "t1"])
    func sippPlatformRegistersAndQueriesASimulatedCamera(transport: String) async throws {
        guard FileManager.default.isExecutableFile(atPath: Self.sipp) else { throw Missing() }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("gbsim-sipp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        var configuration = SimulatedFleetConfiguration()
        configuration.platformPort = try await Self.freePort()
        configuration.transport = transport == "t1" ? .tcp : .udp
        configuration.keepaliveSeconds = 1
        let camera = try SimulatedFleetLayout(configuration).members[0].deviceID
        try "SEQUENTIAL\n\(camera);\(configuration.password)\n".write(to: work.appendingPathComponent("devices.csv"),
                                                                    atomically: true, encoding: .utf8)
        let platform = try run(in: work, ["-t", transport, "-sf", "\(Self.scenarios)/test_platform_uas.xml",
                                          "-i", "127.0.0.1", "-p", String(configuration.platformPort),
                                          "-inf", "devices.csv", "-infindex", "devices.csv", "0",
                                          "-key", "domain", "3402000000", "-nostdin", "-trace_logs"])
        defer { Self.end(platform) }
        try await Task.sleep(for: .milliseconds(500))
        let fleet = try SimulatedFleet(configuration, clip: try SimulatedClip.builtIn(.h264)) { _ in }
        try await fleet.start()
        let uasLog = { (try? Self.logs(in: work, prefix: "test_platform_uas_")) ?? "" }
        #expect(await SimulatorFixture.eventually { uasLog().contains("REGISTER digest check OK for \(camera)") }, "\(uasLog())")

        let device = try #require(await fleet.runningDevices.first)
        let devicePort = device.transport.localAddress.port ?? 0
        for command in ["Catalog", "DeviceInfo", "DeviceStatus"] {
            let query = try run(in: work, ["127.0.0.1:\(devicePort)", "-t", transport,
                                           "-sf", "\(Self.scenarios)/test_platform_query_uac.xml",
                                           "-i", "127.0.0.1", "-p", String(try await Self.freePort())] + Self.keys
                                + ["-key", "device_id", camera, "-key", "cmd", command, "-m", "1", "-nostdin", "-timeout", "15s"])
            query.waitUntilExit()
            #expect(query.terminationStatus == 0, "\(command) query")
            // The answer goes, on a new Call-ID, to the registrar (the UAS scenario logs it).
            #expect(await SimulatorFixture.eventually { uasLog().contains("MESSAGE CmdType=\(command)") }, "\(command): \(uasLog())")
        }
        let invite = try run(in: work, ["127.0.0.1:\(devicePort)", "-t", transport,
                                        "-sf", "\(Self.scenarios)/test_platform_invite_uac.xml",
                                        "-i", "127.0.0.1", "-p", String(try await Self.freePort())] + Self.keys
                             + ["-key", "channel_id", camera, "-key", "rtp_port", String(try await Self.freePort()),
                                "-key", "ssrc", "0100000001", "-key", "hold_ms", "1000", "-m", "1", "-nostdin", "-timeout", "15s"])
        invite.waitUntilExit()
        #expect(invite.terminationStatus == 0, "INVITE, ACK, BYE")
        await fleet.stop()
        #expect(await fleet.currentSummary.invites == 1)
    }

    private func run(in folder: URL, _ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.sipp)
        process.currentDirectoryURL = folder
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// SIGTERM, then SIGKILL: a UAS sipp with calls open does not always end on SIGTERM (selftest.sh does the same).
    static func end(_ process: Process) {
        process.terminate()
        for _ in 0..<10 where process.isRunning { usleep(100_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// sipp's `-trace_logs` files (`<scenario>_<pid>_logs.log`) starting with `prefix`, joined.
    static func logs(in folder: URL, prefix: String) throws -> String {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(prefix) && $0.hasSuffix("_logs.log") }
            .map { try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8) }.joined()
    }

    /// A port free on 127.0.0.1 (UDP and TCP) at the time of asking.
    static func freePort() async throws -> Int {
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close()
        return port
    }
}
