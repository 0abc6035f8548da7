import NIOCore

/// State of one server transaction (RFC 3261 17.2.1 INVITE, 17.2.2 non-INVITE, RFC 6026).
struct ServerTransaction {
    enum State { case trying, proceeding, completed, confirmed, accepted }

    let inbound: SIPInboundMessage
    let request: SIPRequest
    var state: State
    var lastResponse: SIPResponse?
    var interval: Duration
    var cancelled = false
    var retransmitTimer: Task<Void, Never>?
    var timeoutTimer: Task<Void, Never>?
    var terminateTimer: Task<Void, Never>?

    var isInvite: Bool { request.method == .invite }

    func cancelTimers() {
        retransmitTimer?.cancel()
        timeoutTimer?.cancel()
        terminateTimer?.cancel()
    }
}

/// A request handed to the transaction user, answered through `respond`. Retransmissions of the
/// request are absorbed by the layer, which re-sends the last response itself.
public struct SIPServerTransaction: Sendable {
    /// The request, with `received`/`rport` already set on its top Via.
    public let request: SIPRequest
    public let source: SocketAddress
    public let transport: SIPTransportKind
    /// nil for an ACK to a 2xx, which has no transaction: responding to it does nothing.
    let key: ServerTransactionKey?
    let layer: SIPTransactionLayer

    /// A response carrying this request's Via, From, To (+ tag), Call-ID and CSeq.
    public func makeResponse(statusCode: Int, reasonPhrase: String? = nil, toTag: String? = nil) -> SIPResponse {
        SIPResponse(replyingTo: request, statusCode: statusCode, reasonPhrase: reasonPhrase, toTag: toTag)
    }

    public func respond(_ response: SIPResponse) async {
        guard let key else { return }
        await layer.respond(response, key: key)
    }

    /// True when a CANCEL ended this INVITE (the layer already answered 487).
    public var isCancelled: Bool {
        get async {
            guard let key else { return false }
            return await layer.isCancelled(key)
        }
    }
}

extension SIPTransactionLayer {
    func handleRequest(_ request: SIPRequest, inbound: SIPInboundMessage) {
        guard let key = try? ServerTransactionKey(request) else { return }
        if request.method == .ack { return handleACK(request, key: key, inbound: inbound) }
        if let existing = servers[key] {
            if existing.request.body == request.body {
                // A retransmission (17.2.1, 17.2.2): answer with the last response, or absorb.
                if let last = existing.lastResponse { Task { await sendResponse(last, for: existing.inbound) } }
                return
            }
            // Same branch, Call-ID and CSeq but another body: not a retransmission but a device that
            // reuses its Via branch for every request (SIPp's out-of-call answers do, so do some
            // cheap cameras). Absorbing it would lose a new query response; treat it as new.
            existing.cancelTimers()
            servers[key] = nil
        }
        if request.method == .cancel { return handleCancel(request, key: key, inbound: inbound) }
        var transaction = ServerTransaction(inbound: inbound, request: request, state: request.method == .invite ? .proceeding : .trying,
                                            interval: timers.t1)
        if request.method == .invite {
            // 100 Trying at once stops the client's Timer A (17.2.1); cheap, and devices expect it.
            let trying = SIPResponse(replyingTo: request, statusCode: 100)
            transaction.lastResponse = trying
            Task { await sendResponse(trying, for: inbound) }
        }
        servers[key] = transaction
        deliver(SIPServerTransaction(request: request, source: inbound.source, transport: inbound.transport, key: key, layer: self))
    }

    /// An ACK with the INVITE's branch ends a non-2xx (Timer G/H stop, Timer I starts); an ACK
    /// to a 2xx has its own branch, stops the 2xx retransmissions and goes to the TU.
    private func handleACK(_ ack: SIPRequest, key: ServerTransactionKey, inbound: SIPInboundMessage) {
        if var transaction = servers[key], transaction.state == .completed {
            transaction.state = .confirmed
            transaction.retransmitTimer?.cancel()
            transaction.timeoutTimer?.cancel()
            transaction.terminateTimer = schedule(inbound.transport == .tcp ? .zero : timers.t4, .serverTerminate(key))
            servers[key] = transaction
            return
        }
        if let ackKey = try? AcknowledgementKey(ack.headers) {
            for transaction in servers.values where transaction.state == .accepted
                && transaction.isInvite && (try? AcknowledgementKey(transaction.request.headers)) == ackKey {
                transaction.retransmitTimer?.cancel()
            }
        }
        deliver(SIPServerTransaction(request: ack, source: inbound.source, transport: inbound.transport, key: nil, layer: self))
    }

    /// CANCEL (RFC 3261 9.2): 200 to the CANCEL and 487 to a still-pending INVITE, or 481 when
    /// there is no such INVITE. The TU learns of it through `isCancelled`.
    private func handleCancel(_ cancel: SIPRequest, key: ServerTransactionKey, inbound: SIPInboundMessage) {
        servers[key] = ServerTransaction(inbound: inbound, request: cancel, state: .trying, interval: timers.t1)
        let inviteKey = key.with(method: .invite)
        guard var invite = servers[inviteKey] else {
            Task { await respond(SIPResponse(replyingTo: cancel, statusCode: 481), key: key) }
            return
        }
        Task { await respond(SIPResponse(replyingTo: cancel, statusCode: 200), key: key) }
        if invite.state == .proceeding {
            invite.cancelled = true
            servers[inviteKey] = invite
            let terminated = SIPResponse(replyingTo: invite.request, statusCode: 487)
            Task { await respond(terminated, key: inviteKey) }
        }
    }

    func isCancelled(_ key: ServerTransactionKey) -> Bool { servers[key]?.cancelled ?? false }

    func respond(_ response: SIPResponse, key: ServerTransactionKey) async {
        guard var transaction = servers[key] else {
            logger.debug("response for a finished transaction dropped", metadata: ["status": "\(response.statusCode)"])
            return
        }
        let unreliable = transaction.inbound.transport == .udp
        if transaction.isInvite {
            guard transaction.state == .proceeding else { return }
            if response.isSuccess {
                // RFC 6026 Accepted; the UAS core retransmits the 2xx until the ACK (13.3.1.4).
                transaction.state = .accepted
            } else if !response.isProvisional {
                transaction.state = .completed  // Timer G retransmits, Timer H gives up
            }
            if !response.isProvisional {
                if unreliable { transaction.retransmitTimer = schedule(timers.t1, .serverRetransmit(key)) }
                transaction.timeoutTimer = schedule(timers.transactionTimeout, .serverTimeout(key))
            }
        } else {
            guard transaction.state == .trying || transaction.state == .proceeding else { return }
            if response.isProvisional {
                transaction.state = .proceeding
            } else {
                transaction.state = .completed  // Timer J absorbs retransmitted requests
                transaction.terminateTimer = schedule(unreliable ? timers.transactionTimeout : .zero, .serverTerminate(key))
            }
        }
        transaction.lastResponse = response
        servers[key] = transaction
        await sendResponse(response, for: transaction.inbound)
    }

    func serverRetransmit(_ key: ServerTransactionKey) async {
        guard var transaction = servers[key], transaction.state == .completed || transaction.state == .accepted,
              let last = transaction.lastResponse
        else { return }
        transaction.interval = min(transaction.interval * 2, timers.t2)
        transaction.retransmitTimer = schedule(transaction.interval, .serverRetransmit(key))
        servers[key] = transaction
        await sendResponse(last, for: transaction.inbound)
    }

    func serverTimeout(_ key: ServerTransactionKey) {
        guard let transaction = servers[key] else { return }
        if transaction.state == .completed {
            logger.info("no ACK for the final response to INVITE (Timer H)", metadata: ["call-id": "\(transaction.request.headers.callID ?? "")"])
        }
        transaction.cancelTimers()
        servers[key] = nil
    }

    func sendResponse(_ response: SIPResponse, for inbound: SIPInboundMessage) async {
        do {
            try await transport.sendResponse(response, for: inbound)
        } catch {
            logger.warning("sending response failed", metadata: ["status": "\(response.statusCode)", "error": "\(error)"])
        }
    }
}
