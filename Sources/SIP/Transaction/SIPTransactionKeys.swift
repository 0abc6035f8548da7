/// Client transaction key (RFC 3261 17.1.3): branch of the top Via plus the CSeq method.
struct ClientTransactionKey: Hashable, Sendable {
    var branch: String
    var method: SIPMethod

    init(branch: String, method: SIPMethod) {
        self.branch = branch
        self.method = method
    }

    init(_ headers: SIPHeaders) throws(SIPParseError) {
        let via = try headers.topVia()
        guard let branch = via.branch else { throw .invalidHeader(name: "Via", value: via.description, reason: "no branch") }
        self.init(branch: branch, method: try headers.cseq().method)
    }
}

/// Server transaction key (RFC 3261 17.2.3): branch, sent-by and method, with ACK matching its
/// INVITE. Requests from RFC 2543 peers without the magic cookie (RFC 4475 3.2.1) are keyed by
/// Call-ID, CSeq number, From tag and sent-by instead.
///
/// The CSeq number is part of the key too, beyond RFC 3261: sipp repeats the same `[branch]` for
/// every pass of a scenario loop (its keepalive MESSAGEs), and some cameras reuse branches the
/// same way; matching those to the previous transaction would answer a new request with an old
/// response. A true retransmission (and its ACK or CANCEL) always carries the same CSeq number.
struct ServerTransactionKey: Hashable, Sendable {
    var branch: String
    var sentBy: String
    var method: SIPMethod
    var sequence: UInt32

    init(_ request: SIPRequest) throws(SIPParseError) {
        let via = try request.headers.topVia()
        let cseq = try request.headers.cseq()
        method = request.method == .ack ? .invite : request.method
        sentBy = via.sentBy.lowercased()
        sequence = cseq.sequence
        if via.hasRFC3261Branch, let branch = via.branch {
            self.branch = branch
        } else {
            let fromTag = (try? request.headers.from().tag) ?? ""
            branch = "rfc2543|\(request.headers.callID ?? "")|\(cseq.sequence)|\(fromTag)"
        }
    }

    func with(method: SIPMethod) -> ServerTransactionKey {
        var copy = self
        copy.method = method
        return copy
    }
}

/// Identifies the ACK that answers a 2xx: it has its own branch, so Call-ID and CSeq number.
struct AcknowledgementKey: Hashable, Sendable {
    var callID: String
    var sequence: UInt32

    init(_ headers: SIPHeaders) throws(SIPParseError) {
        callID = headers.callID ?? ""
        sequence = try headers.cseq().sequence
    }
}
