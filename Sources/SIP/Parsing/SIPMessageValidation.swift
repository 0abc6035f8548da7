/// Checks that a syntactically parsed message is usable by a transaction layer: the mandatory
/// headers are there once (RFC 3261 8.1.1, 8.2.2; RFC 4475 3.3.1 insuf, 3.3.8 multi01), parse,
/// and agree with the start line (RFC 4475 3.1.2.17 mismatch01). A request that fails gets
/// `error.suggestedStatus`; a response that fails is dropped (RFC 4475 3.1.2.5 scalarlg).
extension SIPRequest {
    public func validate() throws(SIPParseError) {
        try validateCommonHeaders(headers)
        let cseq = try headers.cseq()
        guard cseq.method == method else {
            throw .cseqMethodMismatch(requestMethod: method.rawValue, cseqMethod: cseq.method.rawValue)
        }
        // Max-Forwards is mandatory in RFC 3261 but absent in RFC 2543 peers (RFC 4475 3.4.1):
        // checked when present.
        if headers.lines("Max-Forwards").count > 1 {
            throw .multipleValues(header: "Max-Forwards", count: headers.lines("Max-Forwards").count)
        }
        _ = try headers.maxForwards()
        _ = try headers.contacts()
        guard uri.isSIP else { throw .unsupportedURIScheme(uri.scheme) }
    }
}

extension SIPResponse {
    public func validate() throws(SIPParseError) {
        try validateCommonHeaders(headers)
        _ = try headers.cseq()
    }
}

private func validateCommonHeaders(_ headers: SIPHeaders) throws(SIPParseError) {
    for name in ["Via", "From", "To", "Call-ID", "CSeq"] where !headers.contains(name) {
        throw .missingHeader(name)
    }
    for name in ["From", "To", "Call-ID", "CSeq"] {
        let count = headers.lines(name).count
        if count > 1 { throw .multipleValues(header: name, count: count) }
    }
    if trimmedLWS(headers.callID ?? "").isEmpty {
        throw .invalidHeader(name: "Call-ID", value: "", reason: "empty Call-ID")
    }
    _ = try headers.vias()
    _ = try headers.from()
    _ = try headers.to()
}

extension SIPMessage {
    public func validate() throws(SIPParseError) {
        switch self {
        case .request(let request): try request.validate()
        case .response(let response): try response.validate()
        }
    }
}
