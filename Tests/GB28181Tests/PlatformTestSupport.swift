import Foundation
import GB28181
import GBSimulator
import Logging
import NIOCore
import SIP
import Testing

/// IDs used by the platform tests (spec §1.2 shapes): platform 200, IPC 132, NVR 118, lower platform 200.
enum PlatformFixture {
    static let platformID = "34020000002000000001"
    static let ipc = "34020000001320000001"
    static let secondIPC = "34020000001320000002"
    static let nvr = "34020000001180000001"
    static let lowerPlatform = "34020000002000000002"
    static let unfiled = "34020000001329999999"
    static let password = "12345678"

    /// Short timers so keepalive and timeout tests run in well under a second each.
    static func configuration(
        keepalive: Duration = .seconds(60), misses: Int = 3, sweep: Duration? = nil, catalogOnRegister: Bool = false,
        idleTimeout: Duration = .seconds(2), minimumExpiry: Int = 1, queryTimeout: Duration = .seconds(3)
    ) -> GBPlatformConfiguration {
        GBPlatformConfiguration(
            platformID: platformID, host: "127.0.0.1", port: 0, defaultPassword: password, keepaliveInterval: keepalive,
            keepaliveMisses: misses, sweepInterval: sweep, minimumRegistrationExpiry: minimumExpiry,
            queryCatalogOnRegister: catalogOnRegister,
            catalogAssembly: AssemblyPolicy(idleTimeout: idleTimeout, overallTimeout: .seconds(30)),
            // Generous: on a loaded 2-core CI machine the overshoot pages of a SumNum that lies low
            // can arrive well after the production default of 300 ms.
            assemblyGrace: .seconds(1),
            queryTimeout: queryTimeout, sipTimers: SIPTimerConfiguration(t1: .milliseconds(100), t2: .milliseconds(400), t4: .milliseconds(500)))
    }

    static let policy = StaticDeviceAccessPolicy(devices: [
        ipc: .allowed(password: nil, charset: nil),
        secondIPC: .allowed(password: "other-secret", charset: .utf8),
        nvr: .allowed(password: nil, charset: nil),
        lowerPlatform: .allowed(password: "lower123", charset: nil),
    ])

    static func quietLogger() -> Logger {
        var logger = Logger(label: "gbshare.test.platform")
        logger.logLevel = .critical
        return logger
    }

    /// A started service and its recording sink; `stop()` at the end of each test.
    static func start(_ configuration: GBPlatformConfiguration = configuration()) async throws -> (GBPlatformService, RecordingSink) {
        let sink = RecordingSink()
        let service = try await GBPlatformService.start(configuration: configuration, policy: policy, sink: sink,
                                                        logger: quietLogger())
        return (service, sink)
    }

    static func device(_ id: String = ipc, service: GBPlatformService, transport: SIPTransportKind = .udp,
                       password: String = password, catalog: [CatalogItem] = [], perMessage: Int = 20,
                       customise: (inout SimulatedDeviceConfiguration) -> Void = { _ in }) async throws -> SimulatedGBDevice {
        var configuration = SimulatedDeviceConfiguration(
            deviceID: id, password: password, platformID: platformID, platformAddress: service.localAddress,
            transport: transport, catalog: catalog, catalogItemsPerMessage: perMessage)
        customise(&configuration)
        return try await SimulatedGBDevice.start(configuration, timers: SIPTimerConfiguration(
            t1: .milliseconds(100), t2: .milliseconds(400), t4: .milliseconds(500)))
    }
}

/// Records every event the service delivers, in order.
actor RecordingSink: DeviceEventSink {
    var registrations: [DeviceRegistration] = []
    var unregistrations: [(deviceID: String, reason: OnlineReason)] = []
    var transitions: [OnlineTransition] = []
    var refusals: [RegistrationRefusal] = []
    var keepalives: [KeepaliveReport] = []
    var progress: [CatalogProgressReport] = []
    var catalogs: [CatalogSyncResult] = []
    var changes: [CatalogChangeReport] = []
    var alarms: [AlarmReport] = []
    var positions: [MobilePositionReport] = []
    var mediaEnded: [MediaSessionEnded] = []

    func deviceRegistered(_ registration: DeviceRegistration) { registrations.append(registration) }
    func deviceUnregistered(deviceID: String, reason: OnlineReason, time: Date) { unregistrations.append((deviceID, reason)) }
    func deviceOnlineChanged(_ transition: OnlineTransition) { transitions.append(transition) }
    func registrationRefused(_ refusal: RegistrationRefusal) { refusals.append(refusal) }
    func keepaliveReceived(_ keepalive: KeepaliveReport) { keepalives.append(keepalive) }
    func catalogProgress(_ report: CatalogProgressReport) { progress.append(report) }
    func catalogReceived(_ result: CatalogSyncResult) { catalogs.append(result) }
    func catalogChanged(_ change: CatalogChangeReport) { changes.append(change) }
    func alarmReceived(_ alarm: AlarmReport) { alarms.append(alarm) }
    func mobilePositionReceived(_ position: MobilePositionReport) { positions.append(position) }
    func mediaSessionEnded(_ ended: MediaSessionEnded) { mediaEnded.append(ended) }

    func transitions(of deviceID: String) -> [(Bool, OnlineReason)] {
        transitions.filter { $0.deviceID == deviceID }.map { ($0.online, $0.reason) }
    }
}

/// Polls `condition` until it holds or `timeout` passes.
func eventually(timeout: Duration = .seconds(5), _ condition: () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return await condition()
}
