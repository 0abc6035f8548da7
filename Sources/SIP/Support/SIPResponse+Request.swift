import NIOCore

extension SIPResponse {
    /// A response to `request` per RFC 3261 8.2.6.2: Via (all values, in order), From, To, Call-ID
    /// and CSeq copied; a To tag added when the request had none (except for 100 Trying, 8.2.6.2).
    /// Further headers (Contact, Expires, Date, WWW-Authenticate) are appended by the caller in
    /// the order they should appear.
    public init(
        replyingTo request: SIPRequest, statusCode: Int, reasonPhrase: String? = nil, toTag: String? = nil
    ) {
        var headers = SIPHeaders()
        for name in ["Via", "From", "To", "Call-ID", "CSeq"] {
            for line in request.headers.lines(name) { headers.add(name, line) }
        }
        if statusCode > 100, let toLine = request.headers["To"],
            var to = try? SIPNameAddress(parsing: toLine, header: "To"), to.tag == nil
        {
            to.tag = toTag ?? SIPIdentifiers.tag()
            headers.setTo(to)
        }
        self.init(statusCode: statusCode, reasonPhrase: reasonPhrase, headers: headers)
    }
}

extension SIPRequest {
    /// The CANCEL for this (INVITE) request (RFC 3261 9.1): same Request-URI, Call-ID, From, To,
    /// Route and top Via (same branch, so it matches the INVITE's server transaction), CSeq number
    /// with method CANCEL. Send it with `sendRequest` as its own transaction.
    public func cancelRequest() -> SIPRequest {
        var cancel = SIPRequest(method: .cancel, uri: uri)
        if let via = headers.values("Via").first { cancel.headers.add("Via", via) }
        for name in ["From", "To", "Call-ID"] { headers[name].map { cancel.headers.add(name, $0) } }
        let sequence = (try? headers.cseq().sequence) ?? 1
        cancel.headers.add("CSeq", CSeq(sequence, .cancel).description)
        for route in headers.lines("Route") { cancel.headers.add("Route", route) }
        cancel.headers.add("Max-Forwards", "70")
        return cancel
    }
}
