import GB28181
import Logging

/// Subscribes to a device's catalog and alarm events when it comes online (spec §4), so catalog
/// changes (ADD/DEL/UPDATE/ON/OFF) and alarms arrive without a re-query. The platform service keeps
/// each subscription refreshed in its dialog; this only remembers which devices already have theirs,
/// so a REGISTER refresh does not subscribe again. A device that refuses SUBSCRIBE is logged and
/// still works through queries.
actor DeviceSubscriber {
    private var subscribed: Set<String> = []
    private let logger: Logger
    private let service: @Sendable () -> GBPlatformService?
    private let recorder: DeviceEventRecorder

    init(logger: Logger, recorder: DeviceEventRecorder, service: @escaping @Sendable () -> GBPlatformService?) {
        self.logger = logger
        self.recorder = recorder
        self.service = service
    }

    func onlineChanged(deviceID: String, online: Bool) {
        guard online else {
            subscribed.remove(deviceID)
            return
        }
        guard subscribed.insert(deviceID).inserted, let service = service() else { return }
        let logger = logger, recorder = recorder
        // Not awaited: the event delivery must not wait for a device's answer.
        Task {
            for kind in [SubscriptionKind.catalog, .alarm] {
                do {
                    let id = try await service.subscribe(kind, deviceID: deviceID)
                    await recorder.note(deviceID, kind: "subscribed", detail: ["event": "\(kind)", "subscription": id])
                } catch {
                    logger.info("device did not accept SUBSCRIBE", metadata: ["device": "\(deviceID)", "kind": "\(kind)", "error": "\(error)"])
                }
            }
        }
    }
}
