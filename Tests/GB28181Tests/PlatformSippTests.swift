import Foundation
import GB28181
import NIOCore
import NIOPosix
import SIP
import Testing

/// The real SIPp device scenarios of /work/shared/peers/sipp against the service: digest registration,
/// keepalives on the REGISTER's Call-ID with a reused branch, Catalog/DeviceInfo answered on new Call-IDs,
/// unregister. sipp is required: scripts/test installs it (`apt-get install sip-tester`); a missing sipp fails.
@Suite("Platform against sipp", .serialized)
struct PlatformSippTests {
    static let sipp = "/usr/bin/sipp"
    static let scenarios = "/work/shared/peers/sipp"

    /// A port free on 127.0.0.1 for UDP and TCP at the time of asking.
    static func freePort() async throws -> Int {
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close()
        return port
    }

    @Test("gb_device_register.xml + gb_device_ooc.xml register, keep alive, answer Catalog and DeviceInfo, unregister",
          arguments: ["u1", "t1"])
    func sippDevice(transport: String) async throws {
        guard FileManager.default.isExecutableFile(atPath: Self.sipp) else {
            Issue.record("sipp is missing at \(Self.sipp): install it with `apt-get install -y sip-tester` (scripts/test does)")
            return
        }
        let (service, sink) = try await PlatformFixture.start(PlatformFixture.configuration(catalogOnRegister: true))
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("gbp-sipp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let port = try await Self.freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.sipp)
        process.currentDirectoryURL = work
        process.arguments = [
            "127.0.0.1:\(service.localAddress.port ?? 0)", "-t", transport,
            "-sf", "\(Self.scenarios)/gb_device_register.xml", "-oocsf", "\(Self.scenarios)/gb_device_ooc.xml",
            "-i", "127.0.0.1", "-p", String(port), "-mi", "127.0.0.1", "-mp", String(port + 1),
            "-inf", "\(Self.scenarios)/devices.csv", "-key", "platform_id", PlatformFixture.platformID,
            "-key", "domain", "3402000000", "-key", "expires", "3600", "-key", "ka_ms", "250", "-key", "ka_count", "8",
            "-m", "1", "-nostdin", "-timeout", "20s",
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let finished = await eventually(timeout: .seconds(25)) { !process.isRunning }
        if !finished { process.terminate() }
        let log = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(finished && process.terminationStatus == 0, "sipp failed (\(process.terminationStatus)): \(log.suffix(1500))")

        let device = PlatformFixture.ipc
        #expect(await eventually { await sink.unregistrations.contains { $0.deviceID == device } })
        #expect(await sink.registrations.first?.deviceID == device)
        #expect(await sink.registrations.first?.transport == (transport == "t1" ? .tcp : .udp))
        #expect(await sink.keepalives.filter { $0.deviceID == device }.count == 8)
        let catalog = await sink.catalogs.first
        #expect(catalog?.completion == .complete)
        #expect(catalog?.items.map(\.deviceID) == ["34020000001310000001"])
        #expect(catalog?.items.first?.name == "SIPp-Camera-0000001")
        #expect(await sink.transitions(of: device).map(\.0) == [true, false])
        await service.stop()
    }
}
