/// The client side: answering a 401/407 when GBShare registers to an upper platform (spec 7).
extension DigestCredentials {
    /// Builds credentials for `challenge`. Uses qop=auth when the challenge offers it (also inside
    /// a list like `auth,auth-int`), else the RFC 2069 form.
    public static func answering(
        _ challenge: DigestChallenge, method: SIPMethod, uri: String, username: String, password: String,
        cnonce: String? = nil, nonceCount: UInt32 = 1
    ) -> DigestCredentials {
        let ha1 = DigestComputation.ha1(username: username, realm: challenge.realm, password: password)
        let ha2 = DigestComputation.ha2(method: method.rawValue, uri: uri)
        let useQop = challenge.qopOptions.contains { $0.lowercased() == "auth" }
        let cnonceValue = useQop ? (cnonce ?? SIPIdentifiers.randomHex(bytes: 4)) : nil
        let nc: String? = useQop ? hex8(nonceCount) : nil
        let response = DigestComputation.response(
            ha1: ha1, nonce: challenge.nonce, ha2: ha2, qop: useQop ? "auth" : nil, nonceCount: nc, cnonce: cnonceValue)
        return DigestCredentials(username: username, realm: challenge.realm, nonce: challenge.nonce, uri: uri,
                                 response: response, algorithm: challenge.algorithm, cnonce: cnonceValue,
                                 qop: useQop ? "auth" : nil, nonceCount: nc, opaque: challenge.opaque)
    }

    private static func hex8(_ value: UInt32) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: 8 - text.count) + text
    }
}

extension SIPRequest {
    /// The retry of this request after a 401/407 (RFC 3261 22.2): same Call-ID and tags, CSeq + 1,
    /// a new branch, and Authorization (401) or Proxy-Authorization (407) computed for the
    /// challenge; `uri=` is this request's Request-URI.
    public func authorized(
        by response: SIPResponse, username: String, password: String, cnonce: String? = nil
    ) throws(SIPParseError) -> SIPRequest {
        let isProxy = response.statusCode == 407
        let challengeHeader = isProxy ? "Proxy-Authenticate" : "WWW-Authenticate"
        guard let value = response.headers[challengeHeader] else { throw .missingHeader(challengeHeader) }
        let challenge = try DigestChallenge(parsing: value)
        let credentials = DigestCredentials.answering(
            challenge, method: method, uri: uri.description, username: username, password: password, cnonce: cnonce)
        var retry = self
        var cseq = try headers.cseq()
        cseq.sequence += 1
        retry.headers.setCSeq(cseq)
        var via = try headers.topVia()
        via.branch = SIPIdentifiers.branch()
        retry.headers.setTopVia(via)
        retry.headers.set(isProxy ? "Proxy-Authorization" : "Authorization", credentials.headerValue)
        return retry
    }
}
