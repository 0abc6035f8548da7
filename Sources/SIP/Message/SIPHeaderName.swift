/// Header-name canonicalisation: names are case-insensitive (RFC 3261 7.3.1) and have compact
/// forms (RFC 3261 7.3.3, RFC 3265 7.2, RFC 3515, RFC 3892, RFC 4028).
enum SIPHeaderName {
    static let canonicalNames: [String] = [
        "Accept", "Accept-Encoding", "Accept-Language", "Alert-Info", "Allow", "Allow-Events",
        "Authentication-Info", "Authorization", "Call-ID", "Call-Info", "Contact",
        "Content-Disposition", "Content-Encoding", "Content-Language", "Content-Length",
        "Content-Type", "CSeq", "Date", "Error-Info", "Event", "Expires", "From", "In-Reply-To",
        "Max-Forwards", "MIME-Version", "Min-Expires", "Organization", "Priority",
        "Proxy-Authenticate", "Proxy-Authorization", "Proxy-Require", "Record-Route", "Refer-To",
        "Referred-By", "Reply-To", "Require", "Retry-After", "Route", "RSeq", "RAck", "Server",
        "Session-Expires", "Subject", "Subscription-State", "Supported", "Timestamp", "To",
        "Unsupported", "User-Agent", "Via", "Warning", "WWW-Authenticate", "X-GB-Ver",
    ]

    static let compactForms: [String: String] = [
        "i": "Call-ID", "m": "Contact", "e": "Content-Encoding", "l": "Content-Length",
        "c": "Content-Type", "f": "From", "s": "Subject", "k": "Supported", "t": "To", "v": "Via",
        "o": "Event", "u": "Allow-Events", "r": "Refer-To", "b": "Referred-By", "x": "Session-Expires",
    ]

    private static let byLowercase: [String: String] = {
        var table: [String: String] = [:]
        for name in canonicalNames { table[name.lowercased()] = name }
        for (compact, full) in compactForms { table[compact] = full }
        return table
    }()

    /// Headers whose values may be comma-joined lists (RFC 3261 7.3.1 and the per-header ABNF).
    /// WWW-Authenticate/Authorization are not: their commas separate digest parameters.
    static let listValued: Set<String> = [
        "accept", "accept-encoding", "accept-language", "alert-info", "allow", "allow-events",
        "call-info", "contact", "content-encoding", "content-language", "error-info", "in-reply-to",
        "proxy-require", "record-route", "require", "route", "supported", "unsupported", "via",
        "warning",
    ]

    /// The canonical spelling for a known header (compact forms expanded), else the name as given.
    static func canonical<S: StringProtocol>(_ name: S) -> String {
        byLowercase[name.lowercased()] ?? String(name)
    }

    /// Canonical spelling and lookup key in one table lookup (the parser's hot path).
    static func canonicalAndKey<S: StringProtocol>(_ name: S) -> (canonical: String, key: String) {
        let lower = name.lowercased()
        if let known = byLowercase[lower] { return (known, known.lowercased()) }
        return (String(name), lower)
    }

    /// Lookup key: the lowercased canonical name.
    static func key<S: StringProtocol>(_ name: S) -> String {
        let lower = name.lowercased()
        return byLowercase[lower]?.lowercased() ?? lower
    }
}
