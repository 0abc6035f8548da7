import Directory
import Foundation
import GB28181
import GBCore
import Vapor

/// Runs the GB/T 28181 platform service with the HTTP server: started after boot, stopped at
/// shutdown, reachable from routes through `app.signalling`.
final class Signalling: LifecycleHandler, @unchecked Sendable {
    // Mutated only in didBootAsync/shutdownAsync, which Vapor calls one after the other on startup and
    // shutdown; routes only read `service` after boot. The lock makes that explicit.
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

    func didBootAsync(_ app: Application) async throws {
        let credentials = DeviceCredentials(database: app.db, key: try DeviceCredentials.loadKey(dataDirectory: config.dataDirectory))
        let access = DirectoryDeviceAccess(database: app.db, credentials: credentials)
        let password = config.devicePassword ?? {
            app.logger.warning("no --device-password: only devices with their own password (PUT /api/v1/devices/{code}/password) can register")
            // Nothing a device could guess: 32 random bytes.
            return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        }()
        let configuration = GBPlatformConfiguration(
            platformID: config.sipID, domain: config.sipDomain, host: config.sipHost, port: config.sipPort,
            defaultPassword: password, keepaliveInterval: .seconds(config.keepaliveIntervalSeconds),
            keepaliveMisses: config.keepaliveMisses)
        var recorder = DeviceEventRecorder(database: app.db, logger: app.logger) { [weak app] ended in
            guard let media = app?.liveMedia else { return }
            await media.source.sessionEnded(ended, hub: media.hub)
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

    func shutdownAsync(_ app: Application) async {
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
