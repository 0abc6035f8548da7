import App
import ArgumentParser
import Foundation
import GBSimulator
import Media
import SIP

/// `gbshare simulate`: GB/T 28181 devices for demos, acceptance tests and load (README "Simulated devices").
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulated GB/T 28181 cameras, an NVR or a lower platform that register to a platform and stream a clip.")

    @Option(name: [.customLong("cameras"), .customLong("devices")], help: "Number of cameras, each with its own device ID and registration (default 1).")
    var devices: Int = 1
    @Option(name: .long, help: "One NVR with this many channels instead of cameras.")
    var nvr: Int?
    @Option(name: .long, help: "One lower platform with this many channels instead of cameras.")
    var platformChannels: Int?

    @Option(name: .long, help: "The platform's SIP address, HOST:PORT (default: this machine's gbshare settings' SIP port).")
    var platform: String?
    @Option(name: .long, help: "The platform's 20-digit ID (default: the settings' sipID).")
    var platformID: String?
    @Option(name: .long, help: "SIP domain (default: the settings' sipDomain, else the platform ID's first 10 digits).")
    var domain: String?
    @Option(name: .long, help: "Digest password (default: the settings' devicePassword, e.g. from data/gbshare.json or GBSHARE_DEVICE_PASSWORD).")
    var password: String?

    /// The same settings `serve` reads (data folder, config file, environment, flags): without --platform,
    /// --platform-id and --password the devices go to the platform those settings describe.
    @OptionGroup var settings: DataOptions
    @Option(name: .long, help: "Keepalive interval in seconds.")
    var keepalive: Int = 60
    @Option(name: .long, help: "Report an alarm (video, priority 1) of each device's first channel every N seconds.")
    var alarmEvery: Int?
    @Option(name: .long, help: "Registration expiry in seconds; devices re-register at half of it.")
    var expires: Int = 3600
    @Option(name: .long, help: "SIP transport: udp or tcp.")
    var transport: String = "udp"
    @Option(name: .long, help: "Address the devices bind and advertise.")
    var bind: String = "127.0.0.1"

    @Option(name: .long, help: "Serial (last six digits) of the first device ID.")
    var serial: Int = 1
    @Option(name: .long, help: "Six-digit division code of the device IDs and directory rows.")
    var division: String = "441502"
    @Option(name: .long, help: "Two-digit industry/department code of the device IDs and directory rows.")
    var department: String = "29"

    @Option(name: .long, help: "Codec of the built-in clip: h264 or h265.")
    var codec: String = "h264"
    @Option(name: .long, help: "Clip to send instead: Annex B .h264/.h265 or a .ps file.")
    var clip: String?

    @Flag(name: .long, help: "Print directory CSV rows (UTF-8 with BOM) filing the simulated cameras, then exit.")
    var printDirectory = false

    func run() async throws {
        let configuration = try fleetConfiguration()
        if printDirectory {
            try printRows(configuration)
            return
        }
        let program = try clip.map { try SimulatedClip.load(URL(fileURLWithPath: $0)) } ?? SimulatedClip.builtIn(configuration.codec)
        let fleet = try SimulatedFleet(configuration, clip: program) { SimulateOutput.line($0) }
        SimulateOutput.line("simulating \(fleet.layout.members.count) device(s), \(fleet.layout.channels.count) channel(s) "
                            + "towards \(configuration.platformHost):\(configuration.platformPort)")
        try await fleet.start()
        let signal = await StopSignal.next()
        SimulateOutput.line("signal \(signal): unregistering")
        await fleet.stop()
        SimulateOutput.line("summary: \(await fleet.currentSummary)")
    }

    func fleetConfiguration() throws -> SimulatedFleetConfiguration {
        var configuration = SimulatedFleetConfiguration()
        guard [nvr, platformChannels].compactMap({ $0 }).count <= 1 else {
            throw ValidationError("give at most one of --nvr and --platform-channels")
        }
        configuration.shape = if let nvr { .nvr(channels: nvr) } else if let platformChannels {
            .platform(channels: platformChannels)
        } else { .cameras(devices) }
        let server = try settings.load()
        let target = platform ?? "\(Self.reachable(server.sipHost)):\(server.sipPort)"
        guard let colon = target.lastIndex(of: ":"), let port = Int(target[target.index(after: colon)...]) else {
            throw ValidationError("--platform \(target): give HOST:PORT, e.g. 127.0.0.1:5060")
        }
        configuration.platformHost = String(target[..<colon])
        configuration.platformPort = port
        configuration.platformID = platformID ?? server.sipID
        configuration.domain = domain ?? server.sipDomain
        // No default password anywhere: the one the platform uses, or the one given here (printing rows needs none).
        if !printDirectory {
            guard let secret = password ?? server.devicePassword, !secret.isEmpty else {
                throw ValidationError("no device password: give --password, or set devicePassword for the platform "
                                      + "(scripts/serve writes one into data/gbshare.json; or GBSHARE_DEVICE_PASSWORD)")
            }
            configuration.password = secret
        }
        configuration.keepaliveSeconds = keepalive
        configuration.alarmEverySeconds = alarmEvery
        configuration.expires = expires
        guard let kind = SIPTransportKind(rawValue: transport.uppercased()) else {
            throw ValidationError("--transport \(transport): give udp or tcp")
        }
        configuration.transport = kind
        configuration.bindHost = bind
        configuration.serial = serial
        configuration.division = division
        configuration.department = department
        guard let media = ["h264": MediaCodec.h264, "h265": .h265][codec.lowercased()] else {
            throw ValidationError("--codec \(codec): give h264 or h265")
        }
        configuration.codec = media
        return configuration
    }

    /// A platform listening on every address is reached on loopback from here.
    static func reachable(_ host: String) -> String {
        host == "0.0.0.0" || host == "::" || host.isEmpty ? "127.0.0.1" : host
    }

    private func printRows(_ configuration: SimulatedFleetConfiguration) throws {
        // CSVTableWriter writes files; the rows go through one so they are byte for byte an export.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("gbshare-simulate-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: file) }
        try SimulatedDirectoryRows(configuration: configuration, layout: try SimulatedFleetLayout(configuration)).write(to: file)
        FileHandle.standardOutput.write(try Data(contentsOf: file))
    }
}
