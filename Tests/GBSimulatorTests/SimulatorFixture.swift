import Foundation
import GB28181
import GBSimulator
import Logging
import Media
import NIOCore
import NIOPosix

/// The real platform service in-process, with every simulated device allowed (the fixture's password:
/// the platform has no default one).
enum SimulatorFixture {
    static let platformID = "34020000002000000001"
    static let password = "sim-fixture-Pass1"

    static func platform() async throws -> GBPlatformService {
        var logger = Logger(label: "gbshare.test.simulator")
        logger.logLevel = .critical
        let configuration = GBPlatformConfiguration(platformID: platformID, port: 0, defaultPassword: password,
                                                    minimumRegistrationExpiry: 1, queryCatalogOnRegister: false,
                                                    queryTimeout: .seconds(5))
        return try await GBPlatformService.start(configuration: configuration, policy: StaticDeviceAccessPolicy(allowUnlisted: true),
                                                 sink: NoDeviceEvents(), logger: logger)
    }

    /// A fleet registered to `service`, its lines collected in `lines`.
    static func fleet(_ shape: SimulatedFleetConfiguration.Shape, service: GBPlatformService, codec: MediaCodec = .h264,
                      lines: LineLog = LineLog()) async throws -> SimulatedFleet {
        var configuration = SimulatedFleetConfiguration()
        configuration.shape = shape
        configuration.platformPort = service.localAddress.port ?? 0
        configuration.password = password
        configuration.codec = codec
        let fleet = try SimulatedFleet(configuration, clip: try SimulatedClip.builtIn(codec)) { line in
            Task { await lines.append(line) }
        }
        try await fleet.start()
        return fleet
    }

    static func online(_ ids: [String], _ service: GBPlatformService) async -> Bool {
        for id in ids where await service.device(id)?.online != true { return false }
        return true
    }

    /// Polls `condition` until it holds or `timeout` passes.
    static func eventually(timeout: Duration = .seconds(10), _ condition: () async -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return await condition()
    }
}

/// The lines a fleet reported, in arrival order.
actor LineLog {
    private(set) var lines: [String] = []
    func append(_ line: String) { lines.append(line) }
    func contains(_ part: String) -> Bool { lines.contains { $0.contains(part) } }
}

/// An event sink that keeps nothing (the tests ask the service itself).
struct NoDeviceEvents: DeviceEventSink {}

/// Runs Debian's ffprobe on a file and returns the first video stream's codec, width and decoded frames.
/// Tests that need it fail, never skip, without it (`apt-get install -y ffmpeg`).
enum ExternalDecoder {
    struct Probe: Equatable { var codec: String, width: Int, frames: Int }

    struct Failure: Error, CustomStringConvertible { let description: String }

    static func probe(_ url: URL) throws -> Probe {
        let tool = "/usr/bin/ffprobe"
        guard FileManager.default.isExecutableFile(atPath: tool) else {
            throw Failure(description: "\(tool) is missing: install it with `apt-get install -y ffmpeg`")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["-v", "error", "-count_frames", "-select_streams", "v:0",
                             "-show_entries", "stream=codec_name,width,nb_read_frames", "-of", "csv=p=0", url.path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let fields = text.split(whereSeparator: \.isNewline).first?.split(separator: ",").map(String.init) ?? []
        guard fields.count == 3 else { throw Failure(description: "ffprobe printed \(text.debugDescription) for \(url.path)") }
        return Probe(codec: fields[0], width: Int(fields[1]) ?? 0, frames: Int(fields[2]) ?? 0)
    }
}
