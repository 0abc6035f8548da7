import NIOCore

/// State of one client transaction (RFC 3261 17.1.1 INVITE, 17.1.2 non-INVITE).
struct ClientTransaction {
    enum State { case calling, proceeding, completed, accepted }

    let request: SIPRequest
    let destination: SocketAddress
    let transport: SIPTransportKind
    var state: State = .calling
    var continuation: CheckedContinuation<SIPResponse, Error>?
    let onProvisional: (@Sendable (SIPResponse) -> Void)?
    var interval: Duration
    var retransmitTimer: Task<Void, Never>?
    var timeoutTimer: Task<Void, Never>?
    var terminateTimer: Task<Void, Never>?
    /// The ACK sent for a non-2xx final, re-sent when that final is retransmitted (Timer D).
    var ack: SIPRequest?
    /// INVITE only: the TU asked to cancel; the CANCEL goes out once a provisional arrived (RFC 3261 9.1).
    var cancelRequested = false
    var cancelSent = false

    var isInvite: Bool { request.method == .invite }

    func cancelTimers() {
        retransmitTimer?.cancel()
        timeoutTimer?.cancel()
        terminateTimer?.cancel()
    }
}

extension SIPTransactionLayer {
    /// Sends `request` in a new client transaction and returns its final response. Provisional
    /// responses go to `onProvisional`. Throws `SIPTransactionError.timeout` after 64 × T1.
    /// The top Via must carry a fresh `z9hG4bK` branch (see `SIPIdentifiers.branch()`).
    public func sendRequest(
        _ request: SIPRequest, to destination: SocketAddress, transport kind: SIPTransportKind,
        onProvisional: (@Sendable (SIPResponse) -> Void)? = nil
    ) async throws -> SIPResponse {
        let key: ClientTransactionKey
        do {
            try request.validate()
            key = try ClientTransactionKey(request.headers)
        } catch {
            throw SIPTransactionError.invalidRequest(error)
        }
        guard request.method != .ack else {
            throw SIPTransactionError.invalidRequest(.invalidHeader(name: "CSeq", value: "ACK", reason: "use sendACK for ACK"))
        }
        guard clients[key] == nil else { throw SIPTransactionError.duplicateBranch(key.branch) }
        return try await withCheckedThrowingContinuation { continuation in
            var transaction = ClientTransaction(
                request: request, destination: destination, transport: kind, continuation: continuation,
                onProvisional: onProvisional, interval: timers.t1)
            // Timers A/E only on unreliable transports; B/F always (RFC 3261 17.1.1.2, 17.1.2.2).
            if kind == .udp { transaction.retransmitTimer = schedule(timers.t1, .clientRetransmit(key)) }
            transaction.timeoutTimer = schedule(timers.transactionTimeout, .clientTimeout(key))
            clients[key] = transaction
            Task { await self.transmitInitial(key) }
        }
    }

    private func transmitInitial(_ key: ClientTransactionKey) async {
        guard let transaction = clients[key] else { return }
        do {
            try await transport.send(.request(transaction.request), to: transaction.destination, transport: transaction.transport)
        } catch {
            finishClient(key, with: .failure(SIPTransactionError.transportFailure("\(error)")))
        }
    }

    func clientRetransmit(_ key: ClientTransactionKey) async {
        guard var transaction = clients[key] else { return }
        let stillSending = transaction.isInvite ? transaction.state == .calling
            : (transaction.state == .calling || transaction.state == .proceeding)
        guard stillSending else { return }
        // Timer A doubles without limit; Timer E doubles up to T2, and is T2 once proceeding.
        if transaction.isInvite {
            transaction.interval = transaction.interval * 2
        } else {
            transaction.interval = transaction.state == .proceeding ? timers.t2 : min(transaction.interval * 2, timers.t2)
        }
        transaction.retransmitTimer = schedule(transaction.interval, .clientRetransmit(key))
        clients[key] = transaction
        await send(.request(transaction.request), to: transaction.destination, transport: transaction.transport)
    }

    func clientTimeout(_ key: ClientTransactionKey) {
        guard let transaction = clients[key], transaction.continuation != nil else { return }
        finishClient(key, with: .failure(SIPTransactionError.timeout(
            method: transaction.request.method.rawValue, after: timers.transactionTimeout)))
    }

    /// Resumes the caller once and removes the transaction.
    func finishClient(_ key: ClientTransactionKey, with result: Result<SIPResponse, Error>) {
        guard let transaction = clients[key] else { return }
        transaction.cancelTimers()
        clients[key] = nil
        transaction.continuation?.resume(with: result)
    }

    func handleResponse(_ response: SIPResponse) {
        guard let key = try? ClientTransactionKey(response.headers), var transaction = clients[key] else {
            retransmitACKIfNeeded(for: response)
            return
        }
        if response.isProvisional {
            guard transaction.state == .calling || transaction.state == .proceeding else { return }
            transaction.state = .proceeding
            if transaction.isInvite {
                // Timer A stops, and so does Timer B: an INVITE in Proceeding waits for its final response
                // however long it takes (RFC 3261 17.1.1.2); the TU bounds it with CANCEL (`cancelInvite`).
                transaction.retransmitTimer?.cancel()
                if !transaction.cancelRequested {
                    transaction.timeoutTimer?.cancel()
                    transaction.timeoutTimer = nil
                }
            }
            clients[key] = transaction
            if transaction.cancelRequested && !transaction.cancelSent { sendCancel(key) }
            transaction.onProvisional?(response)
            return
        }
        switch transaction.state {
        case .completed:
            // A retransmitted non-2xx final: the INVITE's ACK is sent again (17.1.1.2).
            if let ack = transaction.ack { Task { await send(.request(ack), to: transaction.destination, transport: transaction.transport) } }
            return
        case .accepted:
            retransmitACKIfNeeded(for: response)
            return
        case .calling, .proceeding:
            break
        }
        transaction.retransmitTimer?.cancel()
        transaction.timeoutTimer?.cancel()
        let continuation = transaction.continuation
        transaction.continuation = nil
        let reliable = transaction.transport == .tcp
        if transaction.isInvite && response.isSuccess {
            // RFC 6026 Accepted: absorb 2xx retransmissions for 64 × T1; the TU ACKs them.
            transaction.state = .accepted
            transaction.terminateTimer = schedule(timers.transactionTimeout, .clientTerminate(key))
        } else if transaction.isInvite {
            let ack = Self.acknowledgement(for: transaction.request, response: response)
            transaction.ack = ack
            transaction.state = .completed
            transaction.terminateTimer = schedule(reliable ? .zero : .seconds(32), .clientTerminate(key))  // Timer D
            Task { await send(.request(ack), to: transaction.destination, transport: transaction.transport) }
        } else {
            transaction.state = .completed
            transaction.terminateTimer = schedule(reliable ? .zero : timers.t4, .clientTerminate(key))  // Timer K
        }
        clients[key] = transaction
        continuation?.resume(returning: response)
    }

    /// Cancels a pending INVITE sent with `sendRequest` (RFC 3261 9.1). The CANCEL is its own transaction;
    /// it is sent at once when a provisional response has arrived, otherwise as soon as one does (a CANCEL
    /// must not overtake the INVITE). The INVITE's `sendRequest` still returns its final response: normally
    /// 487, or a 2xx that crossed the CANCEL, which the TU must ACK and then end with BYE. If no final response
    /// comes within 64 × T1 of the CANCEL, the INVITE transaction ends with `SIPTransactionError.timeout`.
    /// Returns false when no such INVITE transaction is pending (already answered, or never sent).
    @discardableResult
    public func cancelInvite(_ invite: SIPRequest) -> Bool {
        guard invite.method == .invite, let key = try? ClientTransactionKey(invite.headers),
              var transaction = clients[key], transaction.continuation != nil,
              transaction.state == .calling || transaction.state == .proceeding
        else { return false }
        guard !transaction.cancelRequested else { return true }
        transaction.cancelRequested = true
        clients[key] = transaction
        if transaction.state == .proceeding { sendCancel(key) }
        return true
    }

    private func sendCancel(_ key: ClientTransactionKey) {
        guard var transaction = clients[key] else { return }
        transaction.cancelSent = true
        // RFC 3261 9.1: without a final response 64 × T1 after the CANCEL, the INVITE transaction is destroyed.
        transaction.timeoutTimer?.cancel()
        transaction.timeoutTimer = schedule(timers.transactionTimeout, .clientTimeout(key))
        clients[key] = transaction
        let cancel = transaction.request.cancelRequest()
        let destination = transaction.destination, kind = transaction.transport
        Task {
            do {
                _ = try await self.sendRequest(cancel, to: destination, transport: kind)
            } catch {
                self.logger.debug("CANCEL got no answer", metadata: ["error": "\(error)"])
            }
        }
    }

    private func retransmitACKIfNeeded(for response: SIPResponse) {
        guard response.isSuccess, let cseq = try? response.headers.cseq(), cseq.method == .invite,
              let key = try? AcknowledgementKey(response.headers), let sent = sentACKs[key]
        else {
            if !response.isProvisional {
                logger.debug("response matches no transaction", metadata: ["status": "\(response.statusCode)"])
            }
            return
        }
        Task { await send(.request(sent.ack), to: sent.destination, transport: sent.transport) }
    }

    /// The ACK for a non-2xx final (RFC 3261 17.1.1.3): same Request-URI, Call-ID, From, top Via
    /// (same branch) and Route; To from the response (with its tag); CSeq number with ACK.
    static func acknowledgement(for invite: SIPRequest, response: SIPResponse) -> SIPRequest {
        var ack = SIPRequest(method: .ack, uri: invite.uri)
        if let via = invite.headers.values("Via").first { ack.headers.add("Via", via) }
        for name in ["From", "Call-ID"] { invite.headers[name].map { ack.headers.add(name, $0) } }
        (response.headers["To"] ?? invite.headers["To"]).map { ack.headers.add("To", $0) }
        let sequence = (try? invite.headers.cseq().sequence) ?? 1
        ack.headers.add("CSeq", CSeq(sequence, .ack).description)
        for route in invite.headers.lines("Route") { ack.headers.add("Route", route) }
        ack.headers.add("Max-Forwards", "70")
        return ack
    }
}
