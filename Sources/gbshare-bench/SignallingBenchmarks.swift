import App
import ArgumentParser
import Foundation
import GB28181
import GBSimulator
import Logging
import NIOCore
import SIP

// GB/T 28181 signalling benchmarks. The server runs in this process with an in-memory directory and a counting
// sink; the devices run in a child process (`gbshare-bench sip-load` / `catalog-peer`, or sipp), so the CPU and
// memory reported are the server's alone. Loopback only.

/// `gbshare-bench sip-register --devices 100000`: digest registration burst, then keepalives at `--interval`.
struct SIPRegisterBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sip-register", abstract: "Register N devices with digest and keep them alive (server in-process).")

    enum Load: String, ExpressibleByArgument { case swift, sipp }

    @Option(help: "Devices to register.") var devices = 100_000
    @Option(help: "Keepalive interval, seconds (GB default 60).") var interval = 60
    @Option(help: "Seconds the load runs (default: until every device sent two keepalives).") var duration: Int?
    @Option(help: "Registrations started per second by the load generator.") var rate = 4000
    @Option(help: "UDP sockets the devices share.") var sockets = 8
    @Option(help: "Load generator: swift (gbshare-bench sip-load) or sipp (cross-check).") var load: Load = .swift
    @Option(help: "Folder with gb_device_register.xml (sipp mode).") var sippScenarios = "/work/shared/peers/sipp"

    func run() async throws {
        let platformID = "34020000002000000001"
        let load = RegistrationLoadConfiguration(serverPort: 0, devices: devices)
        var filed: [String: DeviceAccess] = [:]
        filed.reserveCapacity(devices)
        for number in 1...devices { filed[load.deviceID(number)] = .allowed(password: nil, charset: nil) }
        let sink = CountingSink()
        let service = try await GBPlatformService.start(
            configuration: GBPlatformConfiguration(platformID: platformID, host: "127.0.0.1", port: 0, defaultPassword: "12345678",
                                                   keepaliveInterval: .seconds(interval), queryCatalogOnRegister: false),
            policy: StaticDeviceAccessPolicy(devices: filed), sink: sink, logger: benchLogger())
        let port = service.localAddress.port ?? 0
        let seconds = duration ?? (devices / max(1, rate) + 2 * interval + 5)
        let (cpu0, rss0, started) = (ProcessResourceUsage.cpuSeconds(), ProcessResourceUsage.residentMebibytes().current, Date())
        print("server on 127.0.0.1:\(port), \(devices) filed devices, load \(self.load.rawValue) for \(seconds) s")
        let child: ChildProcess
        switch self.load {
        case .swift:
            child = try ChildProcess.ownExecutable([
                "sip-load", "--server-port", "\(port)", "--devices", "\(devices)", "--interval", "\(interval)",
                "--duration", "\(seconds)", "--rate", "\(rate)", "--sockets", "\(sockets)"])
        case .sipp:
            child = try sipp(port: port, load: load, seconds: seconds)
        }
        var registrationDone: Date?
        var keepalivesAtRegistration = 0
        var onlineAtLoadEnd = 0
        while child.isRunning {
            try await Task.sleep(for: .seconds(5))
            let counters = await service.counters
            // Sampled while the load still sends: afterwards the devices fall silent and go offline as they should.
            if Date().timeIntervalSince(started) <= Double(seconds) { onlineAtLoadEnd = await service.onlineCount }
            if registrationDone == nil && counters.registrations >= devices {
                registrationDone = Date()
                keepalivesAtRegistration = counters.keepalives
            }
            let cpu = (ProcessResourceUsage.cpuSeconds() - cpu0) / Date().timeIntervalSince(started) * 100
            print(String(format: "  %5.0f s: registered %d, online %d, keepalives %d, server CPU %.0f%%, RSS %.0f MiB",
                         Date().timeIntervalSince(started), counters.registrations, await service.registeredCount,
                         counters.keepalives, cpu, ProcessResourceUsage.residentMebibytes().current))
        }
        let wall = Date().timeIntervalSince(started)
        let counters = await service.counters
        let memory = ProcessResourceUsage.residentMebibytes()
        let cpu = ProcessResourceUsage.cpuSeconds() - cpu0
        await service.stop()
        print("""
            == sip-register (\(self.load.rawValue)): \(devices) devices, keepalive every \(interval) s, \(Int(wall)) s
            server: registrations \(counters.registrations), challenges \(counters.challenges), refusals \(counters.refusals), \
            keepalives handled \(counters.keepalives) (\(String(format: "%.0f", Double(counters.keepalives - keepalivesAtRegistration) / max(1, Date().timeIntervalSince(registrationDone ?? started))))/s after the burst), \
            online when the load stopped \(onlineAtLoadEnd)/\(devices), offline transitions \(counters.offlineTransitions)
            server CPU \(String(format: "%.1f", cpu)) s = \(String(format: "%.0f", cpu / wall * 100))% of one core; \
            RSS \(String(format: "%.0f", memory.current)) MiB (peak \(String(format: "%.0f", memory.peak)), \
            \(String(format: "%.2f", (memory.peak - rss0) * 1024 / Double(devices))) KiB per device over the start)
            """)
        let output = await child.output
        print(self.load == .sipp ? Self.sippSummary(output) : output)
    }

    /// sipp redraws its screens all along; the last message table and call counters are what matter.
    static func sippSummary(_ output: String) -> String {
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        let table = lines.lastIndex { $0.contains("Messages  Retrans") }.map { Array(lines[$0...].prefix(16)) } ?? []
        let counters = ["Call Rate", "Successful call", "Failed call"].compactMap { key in lines.last { $0.contains(key) } }
        return "sipp:\n" + (table + counters).joined(separator: "\n")
    }

    /// sipp cross-check: N devices from a generated devices.csv, each registers, sends keepalives and unregisters.
    private func sipp(port: Int, load: RegistrationLoadConfiguration, seconds: Int) throws -> ChildProcess {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("gbshare-sipp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let csv = "SEQUENTIAL\n" + (1...devices).map { "\(load.deviceID($0));12345678" }.joined(separator: "\n") + "\n"
        try csv.write(to: work.appendingPathComponent("devices.csv"), atomically: true, encoding: .utf8)
        let keepalives = max(1, (seconds - devices / max(1, rate)) / max(1, interval))
        return try ChildProcess(executable: "/usr/bin/sipp", directory: work, arguments: [
            "127.0.0.1:\(port)", "-sf", "\(sippScenarios)/gb_device_register.xml", "-inf", "devices.csv",
            "-i", "127.0.0.1", "-p", "0", "-key", "platform_id", load.platformID, "-key", "domain", load.domain,
            "-key", "expires", "3600", "-key", "ka_ms", "\(interval * 1000)", "-key", "ka_count", "\(keepalives)",
            "-m", "\(devices)", "-l", "\(devices)", "-r", "\(rate)", "-nostdin", "-timeout", "\(seconds + 60)s",
        ])
    }
}

/// `gbshare-bench catalog --items 100000`: one lower platform answers a catalog of N items.
struct CatalogBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog", abstract: "One lower platform answers an N-item catalog; time until the sink has it all.")

    @Option(help: "Catalog items.") var items = 100_000
    @Option(help: "Items per Response MESSAGE.") var perMessage = 50
    @Option(help: "udp or tcp") var transport = "udp"

    func run() async throws {
        let lower = "34020000002000000002"
        let sink = CountingSink()
        let service = try await GBPlatformService.start(
            configuration: GBPlatformConfiguration(platformID: "34020000002000000001", host: "127.0.0.1", port: 0,
                                                   defaultPassword: "12345678", queryCatalogOnRegister: false),
            policy: StaticDeviceAccessPolicy(devices: [lower: .allowed(password: nil, charset: nil)]), sink: sink,
            logger: benchLogger())
        let peer = try ChildProcess.ownExecutable([
            "catalog-peer", "--server-port", "\(service.localAddress.port ?? 0)", "--items", "\(items)",
            "--per-message", "\(perMessage)", "--transport", transport])
        let deadline = Date().addingTimeInterval(60)
        while await service.device(lower) == nil, Date() < deadline, peer.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        let (cpu0, started) = (ProcessResourceUsage.cpuSeconds(), ContinuousClock.now)
        let result = try await service.refreshCatalog(lower)
        let delivered = await sink.waitForCatalog()
        let elapsed = started.duration(to: delivered)
        let cpu = ProcessResourceUsage.cpuSeconds() - cpu0
        let treeStart = ContinuousClock.now
        let trees = result.trees
        let treeTime = treeStart.duration(to: .now)
        peer.terminate()
        await service.stop()
        // Stored as `gbshare serve` stores it: the device_channels rows in a real SQLite file.
        var config = GBShareConfig()
        config.dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("gbshare-bench-catalog-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: config.dataDirectory) }
        let storeStart = ContinuousClock.now
        try await GBShareApplication.withApplication(config: config) { app in try await app.storeCatalog(result) }
        let stored = storeStart.duration(to: .now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("""
            == catalog: \(result.items.count)/\(items) items in \(result.fragments) MESSAGEs over \(transport), \
            completion \(result.completion), delivered to the sink in \(String(format: "%.2f", seconds)) s \
            (\(String(format: "%.0f", Double(result.items.count) / max(seconds, 0.001))) items/s)
            server CPU \(String(format: "%.1f", cpu)) s, RSS peak \(String(format: "%.0f", ProcessResourceUsage.residentMebibytes().peak)) MiB; \
            trees built in \(treeTime) (region roots \(trees.region.roots.count), business roots \(trees.business.roots.count))
            stored in SQLite (device_channels, filed check against the directory) in \(stored); \
            query to stored: \(String(format: "%.2f", seconds + Double(stored.components.seconds) + Double(stored.components.attoseconds) / 1e18)) s (goal < 20 s)
            """)
    }
}

/// Hidden: the device side of `sip-register`, in its own process. Prints the report as JSON.
struct SIPLoadGenerator: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sip-load", shouldDisplay: false)

    @Option var serverPort: Int
    @Option var devices = 100_000
    @Option var interval = 60
    @Option var duration = 180
    @Option var rate = 4000
    @Option var sockets = 8

    func run() async throws {
        let report = try await RegistrationLoadGenerator.run(RegistrationLoadConfiguration(
            serverPort: serverPort, devices: devices, keepaliveSeconds: Double(interval), durationSeconds: Double(duration),
            registrationRate: rate, sockets: sockets))
        print(String(format: """
            load: registered %d (failures %d) in %.1f s = %.0f regs/s; REGISTER p50 %.2f ms p99 %.2f ms
            load: keepalives sent %d, answered %d, LOST %d, retransmissions %d; keepalive p50 %.2f ms p99 %.2f ms p99.9 %.2f ms; generator CPU %.1f s
            """, report.registered, report.registrationFailures, report.registrationSeconds,
            Double(report.registered) / max(report.registrationSeconds, 0.001), report.registerP50Milliseconds,
            report.registerP99Milliseconds, report.keepalivesSent, report.keepalivesAnswered, report.keepalivesLost,
            report.retransmissions, report.keepaliveP50Milliseconds, report.keepaliveP99Milliseconds,
            report.keepaliveP999Milliseconds, report.generatorCPUSeconds))
    }
}

/// Hidden: the lower platform of `catalog`, in its own process: registers, answers, exits when killed.
struct CatalogPeer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "catalog-peer", shouldDisplay: false)

    @Option var serverPort: Int
    @Option var items = 100_000
    @Option var perMessage = 50
    @Option var transport = "udp"

    func run() async throws {
        var catalog = [CatalogItem(deviceID: "34", name: "省"), CatalogItem(deviceID: "3402", name: "市"),
                       CatalogItem(deviceID: "340200", name: "区"),
                       CatalogItem(deviceID: "34020000002150000001", name: "公安", parentID: "34020000002000000002")]
        for index in 1...100 {
            catalog.append(CatalogItem(deviceID: "3402000000216" + String(format: "%07d", index), name: "派出所\(index)",
                                       parentID: "34020000002150000001", businessGroupID: "34020000002150000001"))
        }
        for index in 1...max(1, items - catalog.count) {
            catalog.append(CatalogItem(
                deviceID: "3402000000131" + String(format: "%07d", index), name: "一号门摄像机\(index)", manufacturer: "Hikvision",
                model: "DS-2CD3T46", owner: "Owner", civilCode: "340200", address: "Address", parental: 0,
                parentID: "3402000000216" + String(format: "%07d", index % 100 + 1), registerWay: 1, secrecy: 0, status: .on,
                longitude: 117.2272, latitude: 31.8206, info: CatalogItemInfo(ptzType: 1)))
        }
        let device = try await SimulatedGBDevice.start(SimulatedDeviceConfiguration(
            deviceID: "34020000002000000002", platformID: "34020000002000000001",
            platformAddress: try SocketAddress(ipAddress: "127.0.0.1", port: serverPort),
            transport: transport == "tcp" ? .tcp : .udp, catalog: catalog, catalogItemsPerMessage: perMessage))
        guard try await device.register().isSuccess else { throw ValidationError("catalog-peer: registration refused") }
        try await Task.sleep(for: .seconds(600))
        await device.stop()
    }
}

/// Counts what the service delivers; the catalog benchmark waits on the catalog event.
actor CountingSink: DeviceEventSink {
    private var catalogAt: ContinuousClock.Instant?

    func catalogReceived(_ result: CatalogSyncResult) { catalogAt = .now }

    func waitForCatalog() async -> ContinuousClock.Instant {
        while catalogAt == nil { try? await Task.sleep(for: .milliseconds(5)) }
        return catalogAt ?? .now
    }
}

/// A child process whose stdout is collected (the load generators report on stdout).
final class ChildProcess: Sendable {
    private let process: Process
    private let collected: Task<String, Never>

    init(executable: String, directory: URL? = nil, arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        self.process = process
        collected = Task.detached { String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) }
    }

    /// This executable again (`/proc/self/exe`), with a hidden subcommand.
    static func ownExecutable(_ arguments: [String]) throws -> ChildProcess {
        let path = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return try ChildProcess(executable: path, arguments: arguments)
    }

    var isRunning: Bool { process.isRunning }
    var output: String { get async { await collected.value } }
    func terminate() { process.terminate() }
}

func benchLogger() -> Logger {
    var logger = Logger(label: "gbshare.bench.signalling")
    logger.logLevel = .warning
    return logger
}
