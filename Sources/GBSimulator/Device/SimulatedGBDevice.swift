import Foundation
import GB28181
import Logging
import NIOCore
import NIOPosix
import SIP

/// A GB/T 28181 device (IPC, NVR or lower platform) on its own SIP transport: registers with digest over UDP
/// or TCP, sends keepalives, answers Catalog (paged), DeviceInfo, DeviceStatus, RecordInfo, PresetQuery,
/// accepts DeviceControl and subscriptions, and records what it received for inspection.
public actor SimulatedGBDevice {
    public nonisolated let configuration: SimulatedDeviceConfiguration
    public nonisolated let transport: SIPTransport
    public nonisolated let layer: SIPTransactionLayer
    private let registrationCallID = SIPIdentifiers.callID()
    private let registrationTag = SIPIdentifiers.tag()
    private var registrationSequence: UInt32 = 0
    private var lastSN = 0
    private var keepaliveLoop: Task<Void, Never>?
    var subscriptionDialogs: [SIPDialog] = []
    /// INVITE behaviour and what media signalling arrived (SimulatedDeviceMedia.swift).
    var media = SimulatedMediaState()

    /// Every MANSCDP body the platform sent us, decoded, in arrival order.
    public internal(set) var received: [MANSCDPMessage] = []
    /// The same bodies as text, for byte-level checks (PTZCmd on the wire).
    public internal(set) var receivedBodies: [String] = []
    public internal(set) var catalogPagesSent = 0

    private init(configuration: SimulatedDeviceConfiguration, transport: SIPTransport, layer: SIPTransactionLayer) {
        self.configuration = configuration
        self.transport = transport
        self.layer = layer
    }

    public static func start(_ configuration: SimulatedDeviceConfiguration, timers: SIPTimerConfiguration = .rfc3261,
                             group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> SimulatedGBDevice {
        var logger = Logger(label: "gbshare.simulated-device")
        logger.logLevel = .error
        let transport = try await SIPTransport.bind(host: configuration.bindHost, port: 0, group: group, logger: logger)
        let layer = SIPTransactionLayer(transport: transport, timers: timers, logger: logger)
        let device = SimulatedGBDevice(configuration: configuration, transport: transport, layer: layer)
        await layer.start { [weak device] transaction in await device?.handle(transaction) }
        return device
    }

    public func stop() async {
        keepaliveLoop?.cancel()
        media.stopped = true
        await stopAllStreams()
        await layer.stop()
        await transport.close()
    }

    // MARK: - Registration and keepalive

    /// REGISTER, answering a 401 with digest (spec §2.1); returns the final response.
    @discardableResult
    public func register(expires: Int? = nil, password: String? = nil) async throws -> SIPResponse {
        var request = registerRequest(expires: expires ?? configuration.expires)
        var response = try await layer.sendRequest(request, to: configuration.platformAddress, transport: configuration.transport)
        // A further 401 is a fresh challenge: the platform refuses a nonce it saw used, which happens when
        // two devices were challenged in the same millisecond (its nonce is a millisecond stamp and a MAC).
        // Answer again, after a random pause so a fleet registering at once does not collide again.
        for attempt in 0..<4 where response.statusCode == 401 {
            if attempt > 0 { try await Task.sleep(for: .milliseconds(Int.random(in: 1...200))) }
            request = try request.authorized(by: response, username: configuration.deviceID,
                                             password: password ?? configuration.password)
            registrationSequence = (try? request.headers.cseq().sequence) ?? registrationSequence
            response = try await layer.sendRequest(request, to: configuration.platformAddress, transport: configuration.transport)
        }
        return response
    }

    @discardableResult
    public func unregister() async throws -> SIPResponse { try await register(expires: 0) }

    @discardableResult
    public func sendKeepalive() async throws -> SIPResponse {
        try await send(Keepalive(sn: nextSN(), deviceID: configuration.deviceID))
    }

    /// Keepalives every `interval` until `stopKeepalives()` or `stop()`.
    public func startKeepalives(every interval: Duration) {
        keepaliveLoop?.cancel()
        keepaliveLoop = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard !Task.isCancelled, let self else { return }
                do {
                    let response = try await self.sendKeepalive()
                    if !response.isSuccess { self.configuration.events?(.keepaliveFailed(reason: "\(response.statusCode) \(response.reasonPhrase)")) }
                } catch {
                    self.configuration.events?(.keepaliveFailed(reason: "\(error)"))
                }
            }
        }
    }

    public func stopKeepalives() {
        keepaliveLoop?.cancel()
        keepaliveLoop = nil
    }

    // MARK: - Sending

    public func sendAlarm(_ alarm: AlarmNotify) async throws -> SIPResponse { try await send(alarm) }

    /// Sends a typed body by MESSAGE on a new Call-ID, as cameras do.
    @discardableResult
    public func send(_ command: some MANSCDPCommand) async throws -> SIPResponse {
        try await sendBody(command.encoded(charset: configuration.charset))
    }

    /// Sends raw body bytes by MESSAGE (for hostile-input tests).
    @discardableResult
    public func sendBody(_ body: [UInt8]) async throws -> SIPResponse {
        var request = SIPRequest(method: .message, uri: platformURI)
        addCommonHeaders(&request, callID: SIPIdentifiers.callID(host: configuration.bindHost), tag: SIPIdentifiers.tag(),
                         to: SIPNameAddress(uri: platformURI), sequence: 1)
        request.headers.add("Content-Type", "Application/MANSCDP+xml")
        request.body = ByteBuffer(bytes: body)
        return try await layer.sendRequest(request, to: configuration.platformAddress, transport: configuration.transport)
    }

    /// A NOTIFY in every catalog subscription dialog the platform opened (spec §4).
    public func sendCatalogNotify(_ items: [CatalogItem]) async throws {
        for index in subscriptionDialogs.indices {
            let notify = CatalogNotify(sn: nextSN(), deviceID: configuration.deviceID, sumNum: items.count, items: items)
            var request = subscriptionDialogs[index].nextRequest(
                .notify, via: via(), body: ByteBuffer(bytes: try notify.encoded(charset: configuration.charset)),
                contentType: "Application/MANSCDP+xml")
            request.headers.add("Event", "Catalog")
            request.headers.add("Subscription-State", "active;expires=600")
            let response = try await layer.sendRequest(request, to: configuration.platformAddress, transport: configuration.transport)
            guard response.isSuccess else { throw GBPlatformError.rejected(deviceID: configuration.platformID,
                                                                          statusCode: response.statusCode, reason: response.reasonPhrase) }
        }
    }

    public var subscriptionCount: Int { subscriptionDialogs.count }

    func nextSN() -> Int {
        lastSN += 1
        return lastSN
    }

    private var platformURI: SIPURI { SIPURI(user: configuration.platformID, host: configuration.domain) }
    private var ownURI: SIPURI { SIPURI(user: configuration.deviceID, host: configuration.domain) }

    func via() -> Via {
        Via(transport: configuration.transport.rawValue, host: configuration.bindHost, port: transport.localAddress.port,
            branch: SIPIdentifiers.branch())
    }

    private func registerRequest(expires: Int) -> SIPRequest {
        registrationSequence += 1
        var request = SIPRequest(method: .register, uri: platformURI)
        let to = configuration.registerToNamesPlatform ? platformURI : ownURI
        addCommonHeaders(&request, callID: registrationCallID, tag: registrationTag, to: SIPNameAddress(uri: to),
                         sequence: registrationSequence)
        let contact = SIPURI(user: configuration.deviceID, host: configuration.bindHost, port: transport.localAddress.port)
        request.headers.add("Contact", SIPNameAddress(uri: contact).description)
        request.headers.add("Expires", String(expires))
        return request
    }

    private func addCommonHeaders(_ request: inout SIPRequest, callID: String, tag: String, to: SIPNameAddress, sequence: UInt32) {
        request.headers.add("Via", via().description)
        var from = SIPNameAddress(uri: ownURI)
        from.tag = tag
        request.headers.add("From", from.description)
        request.headers.add("To", to.description)
        request.headers.add("Call-ID", callID)
        request.headers.add("CSeq", CSeq(sequence, request.method).description)
        request.headers.add("Max-Forwards", "70")
        request.headers.add("User-Agent", "GBShare simulated device")
    }
}
