/// A digest challenge (WWW-Authenticate / Proxy-Authenticate, RFC 2617 3.2.1).
public struct DigestChallenge: Sendable, Hashable {
    public var realm: String
    public var nonce: String
    public var opaque: String?
    /// Offered qop values; GB platforms offer `auth` ([W], [G]); a list like `auth,auth-int` is split.
    public var qopOptions: [String]
    public var algorithm: String
    public var stale: Bool

    public init(realm: String, nonce: String, qopOptions: [String] = ["auth"], opaque: String? = nil,
                algorithm: String = "MD5", stale: Bool = false) {
        self.realm = realm
        self.nonce = nonce
        self.opaque = opaque
        self.qopOptions = qopOptions
        self.algorithm = algorithm
        self.stale = stale
    }

    public init(parsing text: String) throws(SIPParseError) {
        let parameters = try DigestParameters(parsing: text, header: "WWW-Authenticate")
        guard parameters.scheme.lowercased() == "digest" else {
            throw .invalidHeader(name: "WWW-Authenticate", value: text, reason: "scheme \(parameters.scheme) is not Digest")
        }
        guard let realm = parameters["realm"], let nonce = parameters["nonce"] else {
            throw .invalidHeader(name: "WWW-Authenticate", value: text, reason: "challenge lacks realm or nonce")
        }
        let qop = parameters["qop"].map { list in
            list.split(separator: ",").map { trimmedLWS($0) }.filter { !$0.isEmpty }
        }
        self.init(realm: realm, nonce: nonce, qopOptions: qop ?? [], opaque: parameters["opaque"],
                  algorithm: parameters["algorithm"] ?? "MD5",
                  stale: parameters["stale"]?.lowercased() == "true")
    }

    /// `Digest realm="...",qop="auth",nonce="...",algorithm=MD5` — the shape of spec 2.3's 401.
    public var headerValue: String {
        var parts = ["realm=" + quotedString(realm)]
        if !qopOptions.isEmpty { parts.append("qop=" + quotedString(qopOptions.joined(separator: ","))) }
        parts.append("nonce=" + quotedString(nonce))
        if let opaque { parts.append("opaque=" + quotedString(opaque)) }
        if stale { parts.append("stale=true") }
        parts.append("algorithm=" + algorithm)
        return "Digest " + parts.joined(separator: ",")
    }
}

/// The answer to a challenge (Authorization / Proxy-Authorization, RFC 2617 3.2.2).
public struct DigestCredentials: Sendable, Hashable {
    public var username: String
    public var realm: String
    public var nonce: String
    /// The digest-uri exactly as sent: HA2 uses this, never the Request-URI (sipp sends its
    /// remote address here; spec 2.2).
    public var uri: String
    public var response: String
    public var algorithm: String?
    public var cnonce: String?
    public var qop: String?
    public var nonceCount: String?
    public var opaque: String?

    public init(username: String, realm: String, nonce: String, uri: String, response: String,
                algorithm: String? = "MD5", cnonce: String? = nil, qop: String? = nil,
                nonceCount: String? = nil, opaque: String? = nil) {
        self.username = username
        self.realm = realm
        self.nonce = nonce
        self.uri = uri
        self.response = response
        self.algorithm = algorithm
        self.cnonce = cnonce
        self.qop = qop
        self.nonceCount = nonceCount
        self.opaque = opaque
    }

    public init(parsing text: String) throws(SIPParseError) {
        let parameters = try DigestParameters(parsing: text, header: "Authorization")
        func fail(_ reason: String) -> SIPParseError { .invalidHeader(name: "Authorization", value: text, reason: reason) }
        guard parameters.scheme.lowercased() == "digest" else { throw fail("scheme \(parameters.scheme) is not Digest") }
        guard let username = parameters["username"], let realm = parameters["realm"],
              let nonce = parameters["nonce"], let uri = parameters["uri"], let response = parameters["response"]
        else { throw fail("needs username, realm, nonce, uri and response") }
        self.init(username: username, realm: realm, nonce: nonce, uri: uri, response: response,
                  algorithm: parameters["algorithm"], cnonce: parameters["cnonce"], qop: parameters["qop"],
                  nonceCount: parameters["nc"], opaque: parameters["opaque"])
        if qop != nil, cnonce == nil || nonceCount == nil { throw fail("qop given without cnonce and nc") }
    }

    /// The shape of spec 2.3's REGISTER #2: quoted strings except algorithm, qop and nc.
    public var headerValue: String {
        var parts = [
            "username=" + quotedString(username), "realm=" + quotedString(realm),
            "nonce=" + quotedString(nonce), "uri=" + quotedString(uri), "response=" + quotedString(response),
        ]
        if let algorithm { parts.append("algorithm=" + algorithm) }
        if let cnonce { parts.append("cnonce=" + quotedString(cnonce)) }
        if let opaque { parts.append("opaque=" + quotedString(opaque)) }
        if let qop { parts.append("qop=" + qop) }
        if let nonceCount { parts.append("nc=" + nonceCount) }
        return "Digest " + parts.joined(separator: ", ")
    }
}
