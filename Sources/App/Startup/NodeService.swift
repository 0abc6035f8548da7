import Logging
import ServiceLifecycle

/// A part of the node that `GBShareServer` starts in order and the service group stops in reverse.
///
/// `ServiceGroup` runs every service's `run()` at once, with no notion of "ready"; but media needs SIP
/// up to send INVITEs, and HTTP must not take requests before the database is migrated. So each part
/// starts in `start()`, called one after the other before the group runs, and `run()` only waits for
/// the group's graceful shutdown (SIGTERM, SIGINT, or another part ending) and then stops the part;
/// the group shuts services down one at a time, last first.
public protocol NodeService: Service {
    /// For the log: "database", "sharing jobs", "SIP", "media", "HTTP".
    var name: String { get }
    func start() async throws
    func stop() async
}

extension NodeService {
    public func run() async throws {
        // Cancellation (the group's last resort after its shutdown deadline) also ends the wait.
        try? await gracefulShutdown()
        await stop()
        Logger(label: "gbshare.server").info("stopped \(name)")
    }
}
