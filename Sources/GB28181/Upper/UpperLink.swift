import Foundation
import Logging
import NIOCore
import SIP

/// Who we are towards an upper platform: our SIP ID and domain, and where our SIP socket is.
public struct LocalPlatformIdentity: Sendable, Equatable {
    public var platformID: String
    public var domain: String
    public var host: String
    public var port: Int
    public var userAgent: String
    /// What DeviceInfo answers as our name.
    public var deviceName: String

    public init(platformID: String, domain: String, host: String, port: Int, userAgent: String = "GBShare",
                deviceName: String = "GBShare") {
        self.deviceName = deviceName
        self.platformID = platformID
        self.domain = domain
        self.host = host
        self.port = port
        self.userAgent = userAgent
    }
}

/// The link to one upper platform (spec §7, §2): we register to it with digest as a lower platform,
/// refresh before the registration runs out, keep alive, and after a loss register again with backoff.
///
/// It sends on the platform's own transaction layer, so the upper sees our requests come from the SIP
/// port it will send its queries and INVITEs to. States and misses go to `events` in order.
public actor UpperLink {
    public nonisolated let configuration: UpperPlatformConfiguration
    public nonisolated let local: LocalPlatformIdentity
    private let layer: SIPTransactionLayer
    let events: @Sendable (UpperLinkEvent) -> Void
    let logger: Logger
    let catalogSource: any UpperCatalogSource
    let mediaProvider: any UpperMediaProvider
    let commandHandler: any UpperCommandHandler
    /// Streams the upper INVITEd, by Call-ID (UpperLink+Invite.swift).
    var calls: [String: UpperCall] = [:]
    /// The upper's catalog and alarm subscriptions on us, by Call-ID (UpperLink+Subscription.swift).
    var subscriptions: [String: UpperSubscription] = [:]
    public private(set) var state: UpperLinkState = .idle
    private var loop: Task<Void, Never>?
    private var loopFinished = false
    private var stopping = false
    /// One dialog-like identity for all REGISTERs of this link (RFC 3261 10.2: same Call-ID, rising CSeq).
    private let registrationCallID: String
    private let registrationTag = SIPIdentifiers.tag()
    private var registrationSequence: UInt32 = 0
    var lastSN = Int.random(in: 1...1_000_000)

    public init(configuration: UpperPlatformConfiguration, local: LocalPlatformIdentity, layer: SIPTransactionLayer,
                catalogSource: any UpperCatalogSource = EmptyUpperCatalog(), mediaProvider: any UpperMediaProvider = NoUpperMedia(),
                commandHandler: any UpperCommandHandler = NoUpperCommands(),
                logger: Logger = Logger(label: "gbshare.gb28181.upper"), events: @escaping @Sendable (UpperLinkEvent) -> Void = { _ in }) {
        self.catalogSource = catalogSource
        self.mediaProvider = mediaProvider
        self.commandHandler = commandHandler
        self.configuration = configuration
        self.local = local
        self.layer = layer
        self.logger = logger
        self.events = events
        self.registrationCallID = SIPIdentifiers.callID(host: local.host)
    }

    /// The upper's address, as requests are sent to it and as its own requests must come from.
    public nonisolated var address: SocketAddress {
        get throws { try SocketAddress.makeAddressResolvingHost(configuration.host, port: configuration.port) }
    }

    /// Starts registering, and keeps the link up until `stop()`.
    public func start() {
        guard loop == nil else { return }
        stopping = false
        loopFinished = false
        loop = Task { await self.run() }
    }

    /// Stops the link; a registered link unregisters (Expires: 0) first, as a lower platform leaving.
    public func stop() async {
        loop?.cancel()
        // A REGISTER in flight to an upper that does not answer runs to its transaction timeout (32 s),
        // and cancelling does not cut it short: an administrator turning the link off waits at most
        // `stopWait` for it. The loop then ends by itself and, should that late REGISTER succeed,
        // unregisters at once instead of staying registered.
        stopping = true
        let deadline = ContinuousClock.now + Self.stopWait
        while loop != nil, !loopFinished, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        loop = nil
        await endAllCalls()
        if state.isRegistered {
            _ = try? await register(expires: 0)
        }
        if state != .idle {
            state = .idle
            events(.stateChanged(platformID: configuration.platformID, state: .idle))
        }
    }

    /// How long `stop()` waits for a request in flight before it lets the loop finish on its own.
    static let stopWait: Duration = .seconds(2)

    // MARK: - The loop

    private func run() async {
        defer { loopFinished = true }
        var attempt = 0
        while !Task.isCancelled {
            set(.registering)
            do {
                let granted = try await register(expires: configuration.expires)
                if stopping {
                    // Stopped while this REGISTER was in flight: leave at once rather than stay registered.
                    _ = try? await register(expires: 0)
                    return
                }
                attempt = 0
                set(.registered(until: Date().addingTimeInterval(TimeInterval(granted))))
                try await keepUp(granted: granted)
            } catch let failure as UpperLinkFailure {
                if Task.isCancelled { return }
                switch failure {
                case .forbidden, .credentialsRefused, .unanswerableChallenge:
                    logger.error("upper platform refused us", metadata: ["upper": "\(configuration.platformID)", "reason": "\(failure)"])
                    set(.refused(failure))
                    return
                default:
                    attempt += 1
                    let wait = configuration.backoff(attempt: attempt)
                    logger.warning("upper platform link down", metadata: [
                        "upper": "\(configuration.platformID)", "reason": "\(failure)", "retryIn": "\(wait)"])
                    set(.backoff(failure: failure, attempt: attempt, retryAt: Date().addingTimeInterval(Self.seconds(wait))))
                    try? await Task.sleep(for: wait)
                }
            } catch {
                return  // cancelled while sleeping
            }
        }
    }

    /// Keepalives every interval and a refresh at two thirds of the granted lifetime, until a refresh
    /// fails or `keepaliveMisses` keepalives in a row go unanswered (then the caller re-registers).
    private func keepUp(granted: Int) async throws {
        var refreshAt = ContinuousClock.now + .seconds(max(1, granted * 2 / 3))
        var nextKeepalive = ContinuousClock.now + configuration.keepaliveInterval
        var misses = 0
        while !Task.isCancelled {
            try await Task.sleep(until: min(refreshAt, nextKeepalive))
            if ContinuousClock.now >= refreshAt {
                let again = try await register(expires: configuration.expires)
                set(.registered(until: Date().addingTimeInterval(TimeInterval(again))))
                refreshAt = ContinuousClock.now + .seconds(max(1, again * 2 / 3))
                continue
            }
            nextKeepalive = ContinuousClock.now + configuration.keepaliveInterval
            if await sendKeepalive() {
                misses = 0
            } else {
                misses += 1
                events(.keepaliveMissed(platformID: configuration.platformID, misses: misses))
                if misses >= configuration.keepaliveMisses { throw UpperLinkFailure.keepalivesUnanswered(misses: misses) }
            }
        }
    }

    private func set(_ new: UpperLinkState) {
        // After stop() the link reports nothing more: its last word is idle.
        guard !stopping, new != state else { return }
        state = new
        events(.stateChanged(platformID: configuration.platformID, state: new))
    }

    // MARK: - Requests

    /// REGISTER with digest (one answer per challenge; a second challenge means our credentials are
    /// wrong); returns the lifetime the upper granted.
    func register(expires: Int) async throws -> Int {
        var response = try await send(registerRequest(expires: expires))
        var answers = 0
        while response.statusCode == 401 || response.statusCode == 407 {
            // A second challenge after our answer means the credentials are wrong, unless the upper marks
            // the nonce stale (then once more, with the fresh nonce).
            if answers > 0, answers >= 2 || !Self.isStale(response) { throw UpperLinkFailure.credentialsRefused }
            let request: SIPRequest
            do {
                request = try registerRequest(expires: expires).authorized(by: response, username: configuration.username ?? local.platformID,
                                                                           password: configuration.password)
            } catch {
                throw UpperLinkFailure.unanswerableChallenge("\(error)")
            }
            answers += 1
            response = try await send(request)
        }
        switch response.statusCode {
        case 200..<300:
            return Self.grantedExpiry(response) ?? expires
        case 403:
            throw UpperLinkFailure.forbidden(reason: response.reasonPhrase)
        default:
            throw UpperLinkFailure.rejected(statusCode: response.statusCode, reason: response.reasonPhrase)
        }
    }

    /// Keepalive MESSAGE (spec §2.4): our platform ID as the device, on a new Call-ID; true when answered 2xx.
    func sendKeepalive() async -> Bool {
        lastSN += 1
        return await sendToUpper(Keepalive(sn: lastSN, deviceID: local.platformID))
    }

    /// A MESSAGE to the upper on a new Call-ID, without its body.
    nonisolated func messageRequest() -> SIPRequest {
        var request = base(.message, to: upperURI, callID: SIPIdentifiers.callID(host: local.host), tag: SIPIdentifiers.tag(), sequence: 1)
        request.headers.add("Content-Type", "Application/MANSCDP+xml")
        return request
    }

    nonisolated func send(_ request: SIPRequest) async throws -> SIPResponse {
        do {
            return try await layer.sendRequest(request, to: try address, transport: configuration.transport)
        } catch let error as SIPTransactionError {
            switch error {
            case .timeout: throw UpperLinkFailure.noAnswer
            case .transportFailure(let detail): throw UpperLinkFailure.transport(detail)
            default: throw UpperLinkFailure.transport("\(error)")
            }
        } catch {
            throw UpperLinkFailure.transport("\(error)")
        }
    }

    nonisolated var upperURI: SIPURI { SIPURI(user: configuration.platformID, host: configuration.domain) }
    private nonisolated var ownURI: SIPURI { SIPURI(user: local.platformID, host: local.domain) }

    private func registerRequest(expires: Int) -> SIPRequest {
        registrationSequence += 1
        var request = base(.register, to: ownURI, callID: registrationCallID, tag: registrationTag, sequence: registrationSequence,
                           uri: upperURI)
        request.headers.add("Contact", SIPNameAddress(uri: SIPURI(user: local.platformID, host: local.host, port: local.port)).description)
        request.headers.add("Expires", String(expires))
        return request
    }

    /// The header shapes of spec §2.1 / §7: From and To carry our ID at our domain for REGISTER, the
    /// upper's ID at its domain otherwise.
    private nonisolated func base(_ method: SIPMethod, to: SIPURI, callID: String, tag: String, sequence: UInt32, uri: SIPURI? = nil) -> SIPRequest {
        var request = SIPRequest(method: method, uri: uri ?? to)
        request.headers.add("Via", Via(transport: configuration.transport.rawValue, host: local.host, port: local.port,
                                       branch: SIPIdentifiers.branch()).description)
        var from = SIPNameAddress(uri: ownURI)
        from.tag = tag
        request.headers.add("From", from.description)
        request.headers.add("To", SIPNameAddress(uri: to).description)
        request.headers.add("Call-ID", callID)
        request.headers.add("CSeq", CSeq(sequence, method).description)
        request.headers.add("Max-Forwards", "70")
        request.headers.add("User-Agent", local.userAgent)
        return request
    }

    static func isStale(_ response: SIPResponse) -> Bool {
        (response.headers["WWW-Authenticate"] ?? response.headers["Proxy-Authenticate"] ?? "").lowercased().contains("stale=true")
    }

    /// The lifetime the upper granted: `Expires`, else the Contact's `expires` parameter.
    static func grantedExpiry(_ response: SIPResponse) -> Int? {
        if let value = response.headers["Expires"].flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }), value > 0 { return value }
        if let contact = response.headers["Contact"], let range = contact.range(of: "expires=", options: .caseInsensitive) {
            let digits = contact[range.upperBound...].prefix { $0.isNumber }
            if let value = Int(digits), value > 0 { return value }
        }
        return nil
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
