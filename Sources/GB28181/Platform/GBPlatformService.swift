import Foundation
import Logging
import NIOCore
import NIOPosix
import SIP

/// The GB/T 28181 platform side towards devices and lower platforms: registrar with digest (spec §2),
/// keepalive and online tracking, catalog sync (§3.6), queries and control (§3.3-§3.7), subscriptions (§4).
///
/// One actor owns all per-device state (a dictionary keyed by device ID); SIP work that needs no state
/// (parsing bodies, checking digests, building requests) runs in the per-request tasks outside it.
/// App talks to it through `DeviceAccessPolicy` (who may register) and `DeviceEventSink` (what happened).
public actor GBPlatformService {
    public nonisolated let configuration: GBPlatformConfiguration
    public nonisolated let transport: SIPTransport
    public nonisolated let layer: SIPTransactionLayer
    nonisolated let policy: any DeviceAccessPolicy
    nonisolated let digest: DigestServer
    nonisolated let logger: Logger
    nonisolated let events: AsyncStream<DeviceEvent>.Continuation
    nonisolated let requests: OutgoingRequestFactory

    var devices: [String: DeviceSession] = [:]
    var pending = PendingResponses()
    var subscriptions: [String: DeviceSubscription] = [:]
    /// Catalog assemblies finished recently, so late fragments are not taken for a new unsolicited catalog.
    /// Cleared by the sweeper.
    var recentlyFinished: [ResponseKey: (deviceID: String, at: ContinuousClock.Instant)] = [:]
    var tally = PlatformCounters()
    /// INVITEs in flight and established media sessions (MediaSessions.swift).
    var media = MediaSessionTable()
    /// Upper platforms we are linked to, by their SIP ID (Upper/GBPlatformService+Uppers.swift).
    var uppers: [String: UpperLink] = [:]
    private var lastSN = 0
    private var sweeper: Task<Void, Never>?
    private var delivery: Task<Void, Never>?
    var stopped = false

    private init(configuration: GBPlatformConfiguration, transport: SIPTransport, layer: SIPTransactionLayer,
                 policy: any DeviceAccessPolicy, events: AsyncStream<DeviceEvent>.Continuation, logger: Logger) {
        self.configuration = configuration
        self.transport = transport
        self.layer = layer
        self.policy = policy
        self.events = events
        self.logger = logger
        self.digest = DigestServer(realm: configuration.domain)
        let port = transport.localAddress.port ?? configuration.port
        self.requests = OutgoingRequestFactory(configuration: configuration, port: port)
        // SN starts at a random point so a restarted platform does not reuse recent SNs a device may still answer.
        self.lastSN = Int.random(in: 1...1_000_000)
    }

    /// Binds UDP and TCP on host:port and starts answering. Events go to `sink` in order.
    public static func start(
        configuration: GBPlatformConfiguration, policy: any DeviceAccessPolicy, sink: any DeviceEventSink,
        group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "gbshare.gb28181.platform")
    ) async throws -> GBPlatformService {
        try configuration.validate()
        let transport = try await SIPTransport.bind(host: configuration.host, port: configuration.port, group: group, logger: logger)
        let layer = SIPTransactionLayer(transport: transport, timers: configuration.sipTimers, logger: logger)
        let (stream, continuation) = AsyncStream.makeStream(of: DeviceEvent.self)
        let service = GBPlatformService(configuration: configuration, transport: transport, layer: layer,
                                        policy: policy, events: continuation, logger: logger)
        await service.begin(stream: stream, sink: sink)
        await layer.start { [weak service] transaction in
            await service?.handle(transaction)
        }
        logger.info("GB/T 28181 platform listening", metadata: [
            "id": "\(configuration.platformID)", "domain": "\(configuration.domain)", "address": "\(transport.localAddress)",
        ])
        return service
    }

    private func begin(stream: AsyncStream<DeviceEvent>, sink: any DeviceEventSink) {
        // Detached: the delivery loop must not run on (and compete for) this actor's executor.
        delivery = Task.detached {
            for await event in stream { await event.deliver(to: sink) }
        }
        let interval = configuration.sweepInterval
        sweeper = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard let self, !Task.isCancelled else { return }
                await self.sweep()
            }
        }
    }

    /// Stops answering, fails pending queries, closes the sockets and waits until the sink got every event.
    public func stop() async {
        guard !stopped else { return }
        stopped = true
        sweeper?.cancel()
        await stopUpperLinks()
        for subscription in subscriptions.values { subscription.refresh?.cancel() }
        subscriptions.removeAll()
        abandonPending()
        await endAllMediaSessions()
        await layer.stop()
        await transport.close()
        events.finish()
        await delivery?.value
    }

    /// The address the service is bound to (UDP and TCP share the port).
    public nonisolated var localAddress: SocketAddress { transport.localAddress }

    // MARK: - State queries

    public func device(_ deviceID: String) -> DeviceSnapshot? {
        devices[deviceID].map { DeviceSnapshot(deviceID: deviceID, session: $0, now: .now) }
    }

    public var registeredCount: Int { devices.count }

    /// O(n): for metrics and tests, not for per-request use.
    public var onlineCount: Int { devices.values.reduce(0) { $0 + ($1.online ? 1 : 0) } }

    public var allDevices: [DeviceSnapshot] {
        let now = ContinuousClock.now
        return devices.map { DeviceSnapshot(deviceID: $0.key, session: $0.value, now: now) }
    }

    /// Changes a device's outgoing charset (the directory record was edited, spec §1.5).
    public func setCharset(_ charset: OutgoingCharset, for deviceID: String) {
        devices[deviceID]?.charset = charset
    }

    /// Ends a device's registration now (its record was removed or barred): offline and unregistered events;
    /// its next keepalive gets 404 and its next REGISTER asks the policy again.
    public func revokeRegistration(_ deviceID: String) {
        unregister(deviceID, reason: .unregistered)
    }

    // MARK: - Internals shared by the extensions

    func emit(_ event: DeviceEvent) { events.yield(event) }

    func nextSN() -> Int {
        lastSN = lastSN >= 0x7FFF_FFFF ? 1 : lastSN + 1
        return lastSN
    }

    func count(_ change: (inout PlatformCounters) -> Void) { change(&tally) }

    public var counters: PlatformCounters { tally }

    /// Where and how to send to a registered device.
    func endpoint(_ deviceID: String) throws(GBPlatformError) -> DeviceEndpoint {
        guard !stopped else { throw .stopped }
        guard let session = devices[deviceID] else { throw .deviceNotRegistered(deviceID) }
        return DeviceEndpoint(deviceID: deviceID, address: session.address, transport: session.transport, charset: session.charset)
    }

    /// Online transition with its event; no event when the state does not change.
    func setOnline(_ deviceID: String, _ online: Bool, reason: OnlineReason) {
        guard var session = devices[deviceID], session.online != online else { return }
        session.online = online
        devices[deviceID] = session
        if online { tally.onlineTransitions += 1 } else { tally.offlineTransitions += 1 }
        if !online { endMediaSessions(of: deviceID, reason: reason) }
        logger.info("device \(online ? "online" : "offline")", metadata: ["device": "\(deviceID)", "reason": "\(reason)"])
        emit(.onlineChanged(OnlineTransition(deviceID: deviceID, online: online, reason: reason, time: Date())))
    }

    // MARK: - Dispatch

    nonisolated func handle(_ transaction: SIPServerTransaction) async {
        let request = transaction.request
        if [.invite, .ack, .bye, .info, .subscribe].contains(request.method), await routeSessionRequestFromUpper(transaction) { return }
        switch request.method {
        case .register: await handleRegister(transaction)
        case .message: await handleMessage(transaction)
        case .notify: await handleNotify(transaction)
        case .ack: return
        case .bye: await handleBye(transaction)
        case .options, .info: await transaction.respond(transaction.makeResponse(statusCode: 200))
        default:
            // INVITE from devices (talk) and SUBSCRIBE from devices (nothing to subscribe to here).
            await transaction.respond(transaction.makeResponse(statusCode: 501))
        }
    }
}

/// A registered device's address as needed to send to it.
struct DeviceEndpoint: Sendable {
    var deviceID: String
    var address: SocketAddress
    var transport: SIPTransportKind
    var charset: OutgoingCharset
}
