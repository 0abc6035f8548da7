/// A SIP or SIPS URI (RFC 3261 19.1): `sip:user:password@host:port;params?headers`.
/// Other schemes (tel:, http:, RFC 4475's `nobodyKnowsThisScheme:`) are kept opaque in `opaque`
/// so they can travel in To/From/Contact (RFC 4475 3.3.4) and be refused with 416 in a Request-URI.
public struct SIPURI: Hashable, Sendable, CustomStringConvertible {
    /// Lowercased scheme.
    public var scheme: String
    /// User part as on the wire (percent-escapes kept, so the URI serialises back unchanged).
    public var user: String?
    public var password: String?
    /// Host name, IPv4 address, or IPv6 address without the brackets.
    public var host: String
    public var port: Int?
    public var parameters: SIPParameters
    /// Raw `?headers` part without the `?`.
    public var headers: String?
    /// Everything after `scheme:` for a non-SIP scheme.
    public var opaque: String?

    public init(
        scheme: String = "sip", user: String? = nil, host: String, port: Int? = nil,
        parameters: SIPParameters = []
    ) {
        self.scheme = scheme.lowercased()
        self.user = user
        self.password = nil
        self.host = host
        self.port = port
        self.parameters = parameters
        self.headers = nil
        self.opaque = nil
    }

    public var isSIP: Bool { scheme == "sip" || scheme == "sips" }

    /// `host` or `host:port`, IPv6 in brackets.
    public var hostPort: String {
        let hostText = host.contains(":") ? "[\(host)]" : host
        return port.map { "\(hostText):\($0)" } ?? hostText
    }

    /// The user part with %HH escapes decoded, for comparison (RFC 3261 19.1.4, RFC 4475 3.1.1.3).
    public var decodedUser: String? { user.map(percentDecoded) }

    public var description: String {
        if let opaque { return "\(scheme):\(opaque)" }
        var out = scheme + ":"
        if let user {
            out += user
            if let password { out += ":" + password }
            out += "@"
        }
        out += hostPort
        out += parameters.serialized
        if let headers { out += "?" + headers }
        return out
    }

    public init(parsing text: String) throws(SIPParseError) {
        var scanner = SIPValueScanner(text)
        func fail(_ reason: String) -> SIPParseError { .malformedURI(text, reason: reason) }

        guard let first = scanner.peek(), SIPSyntax.isAlpha(first) else {
            throw fail("does not start with a scheme letter")
        }
        let scheme = scanner.read { byte in
            SIPSyntax.isAlpha(byte) || SIPSyntax.isDigit(byte) || byte == UInt8(ascii: "+")
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
        }
        guard scanner.consume(SIPSyntax.colon) else { throw fail("no ':' after the scheme") }
        if let bad = scanner.bytes.first(where: Self.isForbidden) {
            throw fail("contains the character \(Self.describe(bad)), which must be escaped")
        }
        self.init(scheme: scheme, host: "")
        guard isSIP else {
            guard !scanner.isAtEnd else { throw fail("nothing after the scheme") }
            opaque = scanner.remainder
            return
        }
        try parseUserInfo(&scanner, fail: fail)
        try parseHostPort(&scanner, fail: fail)
        try parseParameters(&scanner, fail: fail)
        if scanner.consume(SIPSyntax.question) {
            guard !scanner.isAtEnd else { throw fail("empty headers after '?'") }
            headers = scanner.remainder
            scanner.position = scanner.bytes.count
        }
        guard scanner.isAtEnd else {
            throw fail("unexpected \(Self.describe(scanner.peek() ?? 0)) at offset \(scanner.position + scheme.utf8.count + 1)")
        }
    }

    /// userinfo ends at the first '@': RFC 3261's user, password, param and header grammars
    /// cannot contain an unescaped '@' (RFC 4475 3.1.1.9 semiuri escapes it as %40).
    private mutating func parseUserInfo(
        _ scanner: inout SIPValueScanner, fail: (String) -> SIPParseError
    ) throws(SIPParseError) {
        guard let at = scanner.bytes[scanner.position...].firstIndex(of: SIPSyntax.at) else { return }
        let info = scanner.bytes[scanner.position..<at]
        if let colon = info.firstIndex(of: SIPSyntax.colon) {
            user = String(decoding: info[info.startIndex..<colon], as: UTF8.self)
            password = String(decoding: info[(colon + 1)...], as: UTF8.self)
        } else {
            user = String(decoding: info, as: UTF8.self)
        }
        if user?.isEmpty ?? true { throw fail("empty user part before '@'") }
        scanner.position = at + 1
    }

    private mutating func parseHostPort(
        _ scanner: inout SIPValueScanner, fail: (String) -> SIPParseError
    ) throws(SIPParseError) {
        if scanner.consume(SIPSyntax.openBracket) {
            let address = scanner.read { byte in
                byte != SIPSyntax.closeBracket && !SIPSyntax.isWhitespace(byte)
            }
            guard scanner.consume(SIPSyntax.closeBracket) else {
                throw fail("IPv6 reference without a closing ']'")
            }
            guard !address.isEmpty, address.utf8.allSatisfy(Self.isIPv6Char) else {
                throw fail("IPv6 reference [\(address)] is not an IPv6 address")
            }
            host = address
        } else {
            host = scanner.read { byte in
                SIPSyntax.isAlpha(byte) || SIPSyntax.isDigit(byte) || byte == UInt8(ascii: "-")
                    || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
            }
            guard !host.isEmpty else { throw fail("no host") }
        }
        if scanner.consume(SIPSyntax.colon) {
            let digits = scanner.read(while: SIPSyntax.isDigit)
            guard !digits.isEmpty, digits.utf8.count <= 5, let value = Int(digits), value <= 65535 else {
                throw fail("port \"\(digits)\" is not a number from 0 to 65535")
            }
            port = value
        }
    }

    private mutating func parseParameters(
        _ scanner: inout SIPValueScanner, fail: (String) -> SIPParseError
    ) throws(SIPParseError) {
        while scanner.consume(SIPSyntax.semicolon) {
            let name = scanner.read(while: Self.isParamChar)
            guard !name.isEmpty else { throw fail("empty URI parameter name") }
            var value: String?
            if scanner.consume(SIPSyntax.equals) {
                value = scanner.read(while: Self.isParamChar)
            }
            parameters.set(name, value)
        }
    }

    /// paramchar = param-unreserved / unreserved / escaped (RFC 3261 25.1).
    private static func isParamChar(_ byte: UInt8) -> Bool {
        if SIPSyntax.isAlpha(byte) || SIPSyntax.isDigit(byte) { return true }
        switch UnicodeScalar(byte) {
        case "[", "]", "/", ":", "&", "+", "$", "-", "_", ".", "!", "~", "*", "'", "(", ")", "%":
            return true
        default:
            return false
        }
    }

    private static func isIPv6Char(_ byte: UInt8) -> Bool {
        SIPSyntax.isDigit(byte) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)
            || byte == SIPSyntax.colon || byte == UInt8(ascii: ".")
    }

    /// Whitespace, controls, angle brackets and quotes never appear unescaped in a URI
    /// (RFC 4475 3.1.2.8 lwsruri, 3.1.2.14 badaspec).
    private static func isForbidden(_ byte: UInt8) -> Bool {
        byte <= 0x20 || byte == 0x7F || byte == SIPSyntax.lessThan || byte == SIPSyntax.greaterThan
            || byte == SIPSyntax.quote
    }

    private static func describe(_ byte: UInt8) -> String {
        byte > 0x20 && byte < 0x7F ? "'\(Character(UnicodeScalar(byte)))'" : "0x" + String(byte, radix: 16)
    }
}

/// Decodes %HH escapes; invalid escapes stay as written.
func percentDecoded(_ text: String) -> String {
    var out: [UInt8] = []
    let bytes = Array(text.utf8)
    var index = 0
    while index < bytes.count {
        if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
            let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
        {
            out.append(high << 4 | low)
            index += 3
        } else {
            out.append(bytes[index])
            index += 1
        }
    }
    return String(decoding: out, as: UTF8.self)
}

private func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case 0x30...0x39: return byte - 0x30
    case 0x41...0x46: return byte - 0x41 + 10
    case 0x61...0x66: return byte - 0x61 + 10
    default: return nil
    }
}
