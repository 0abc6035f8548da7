import Logging
import NIOCore

/// The RFC 3261 section 17 transaction layer over one `SIPTransport`. An actor owns every
/// transaction's state and timer; timers are Tasks that sleep and call back into the actor.
///
/// Use: `start(handler:)` to receive requests as `SIPServerTransaction`s (answer through them),
/// `sendRequest(_:to:transport:onProvisional:)` to send one and await its final response,
/// `sendACK(_:to:transport:)` for the ACK of a 2xx (which is not part of any transaction).
public actor SIPTransactionLayer {
    public nonisolated let transport: SIPTransport
    public nonisolated let timers: SIPTimerConfiguration
    let logger: Logger

    var clients: [ClientTransactionKey: ClientTransaction] = [:]
    var servers: [ServerTransactionKey: ServerTransaction] = [:]
    /// ACKs the TU sent for 2xx responses, re-sent if the 2xx is retransmitted (RFC 3261 13.2.2.4).
    var sentACKs: [AcknowledgementKey: SentACK] = [:]
    private var handler: (@Sendable (SIPServerTransaction) async -> Void)?
    private var loop: Task<Void, Never>?

    struct SentACK {
        var ack: SIPRequest
        var destination: SocketAddress
        var transport: SIPTransportKind
        var expiry: Task<Void, Never>?
    }

    enum TimerEvent: Sendable {
        case clientRetransmit(ClientTransactionKey)
        case clientTimeout(ClientTransactionKey)
        case clientTerminate(ClientTransactionKey)
        case serverRetransmit(ServerTransactionKey)
        case serverTimeout(ServerTransactionKey)
        case serverTerminate(ServerTransactionKey)
        case ackExpiry(AcknowledgementKey)
    }

    public init(transport: SIPTransport, timers: SIPTimerConfiguration = .rfc3261,
                logger: Logger = Logger(label: "gbshare.sip.transaction")) {
        self.transport = transport
        self.timers = timers
        self.logger = logger
    }

    /// Starts reading the transport. `handler` runs in its own Task per new request (and per
    /// ACK to a 2xx, whose `respond` does nothing); retransmissions never reach it.
    public func start(handler: @escaping @Sendable (SIPServerTransaction) async -> Void) {
        self.handler = handler
        guard loop == nil else { return }
        let inbound = transport.inbound
        loop = Task {
            for await message in inbound {
                self.dispatch(message)
            }
        }
    }

    /// Stops reading, fails pending client transactions and cancels every timer.
    public func stop() {
        loop?.cancel()
        loop = nil
        for (key, _) in clients { finishClient(key, with: .failure(SIPTransactionError.stopped)) }
        for (key, transaction) in servers {
            transaction.cancelTimers()
            servers[key] = nil
        }
        for (_, sent) in sentACKs { sent.expiry?.cancel() }
        sentACKs.removeAll()
    }

    /// Number of live transactions (for tests and metrics).
    public var activeTransactionCount: (client: Int, server: Int) { (clients.count, servers.count) }

    private func dispatch(_ inbound: SIPInboundMessage) {
        switch inbound.message {
        case .response(let response): handleResponse(response)
        case .request(let request): handleRequest(request, inbound: inbound)
        }
    }

    func deliver(_ transaction: SIPServerTransaction) {
        guard let handler else {
            logger.warning("request arrived before start(handler:)", metadata: ["method": "\(transaction.request.method)"])
            return
        }
        Task { await handler(transaction) }
    }

    // MARK: - Timers

    func schedule(_ delay: Duration, _ event: TimerEvent) -> Task<Void, Never> {
        Task { [weak self] in
            try? await Task.sleep(for: delay)
            guard !Task.isCancelled else { return }
            await self?.fire(event)
        }
    }

    private func fire(_ event: TimerEvent) async {
        switch event {
        case .clientRetransmit(let key): await clientRetransmit(key)
        case .clientTimeout(let key): clientTimeout(key)
        case .clientTerminate(let key): clients[key] = nil
        case .serverRetransmit(let key): await serverRetransmit(key)
        case .serverTimeout(let key): serverTimeout(key)
        case .serverTerminate(let key): servers[key] = nil
        case .ackExpiry(let key): sentACKs[key] = nil
        }
    }

    // MARK: - Sending without a transaction

    /// Sends the ACK for a 2xx (RFC 3261 13.2.2.4: the UAC core's job, with a new branch) and
    /// remembers it for 64 × T1 so a retransmitted 2xx is answered with the same ACK.
    public func sendACK(_ ack: SIPRequest, to destination: SocketAddress, transport kind: SIPTransportKind) async throws {
        if let key = try? AcknowledgementKey(ack.headers) {
            sentACKs[key]?.expiry?.cancel()
            let expiry = schedule(timers.transactionTimeout, .ackExpiry(key))
            sentACKs[key] = SentACK(ack: ack, destination: destination, transport: kind, expiry: expiry)
        }
        try await transport.send(.request(ack), to: destination, transport: kind)
    }

    func send(_ message: SIPMessage, to destination: SocketAddress, transport kind: SIPTransportKind) async {
        do {
            try await transport.send(message, to: destination, transport: kind)
        } catch {
            logger.warning("send failed", metadata: ["destination": "\(destination)", "error": "\(error)"])
        }
    }
}
