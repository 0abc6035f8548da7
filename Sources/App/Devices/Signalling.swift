import Directory
import Foundation
import GB28181
import GBCore
import Vapor

/// The GB/T 28181 platform service of a running node, reachable from routes through
/// `app.signalling`. `GBShareServer` starts it after the sharing jobs and stops it after media.
final class Signalling: @unchecked Sendable {
    // Mutated only in start/stop, which the server calls one after the other; routes only read
    // `service` after start. The lock makes that explicit.
    private let lock = NSLock()
    private var running: GBPlatformService?
    private(set) var access: DirectoryDeviceAccess?
    let config: GBShareConfig

    init(config: GBShareConfig) {
        self.config = config
    }

    var service: GBPlatformService? {
        lock.withLock { running }
    }

    func start(_ app: Application) async throws {
        let credentials = DeviceCredentials(database: app.db, key: try DeviceCredentials.loadKey(dataDirectory: config.dataDirectory))
        let access = DirectoryDeviceAccess(database: app.db, credentials: credentials)
        // No password of our own making: without a configured one, a device needs its own, and the
        // others are refused with the hint (GBShareServer warns at start-up with the same words).
        let configuration = GBPlatformConfiguration(
            platformID: config.sipID, domain: config.sipDomain, host: config.sipHost, port: config.sipPort,
            defaultPassword: config.devicePassword, missingPasswordHint: ConfigKey.devicePasswordHint,
            keepaliveInterval: .seconds(config.keepaliveIntervalSeconds), keepaliveMisses: config.keepaliveMisses)
        var recorder = DeviceEventRecorder(database: app.db, logger: app.logger) { [weak app] ended in
            guard let media = app?.liveMedia else { return }
            await media.source.sessionEnded(ended, hub: media.hub)
        }
        recorder.alarmStored = { [weak app] report in
            guard let app else { return }
            await app.upperLinks.forwardAlarm(report, sharing: app.sharing)
        }
        let subscriber = DeviceSubscriber(logger: Logger(label: "gbshare.signalling"), recorder: recorder) { [weak self] in self?.service }
        if config.subscribeOnRegister {
            recorder.onlineChanged = { transition in
                await subscriber.onlineChanged(deviceID: transition.deviceID, online: transition.online)
            }
        }
        await recorder.platformStarted(at: Date())
        let service = try await GBPlatformService.start(
            configuration: configuration, policy: access, sink: recorder,
            group: app.eventLoopGroup, logger: Logger(label: "gbshare.signalling"))
        lock.withLock {
            running = service
            self.access = access
        }
    }

    func stop() async {
        let service = lock.withLock { () -> GBPlatformService? in
            defer { running = nil }
            return running
        }
        await service?.stop()
    }
}

extension Application {
    private struct SignallingKey: StorageKey { typealias Value = Signalling }

    var signalling: Signalling? {
        get { storage[SignallingKey.self] }
        set { storage[SignallingKey.self] = newValue }
    }
}
