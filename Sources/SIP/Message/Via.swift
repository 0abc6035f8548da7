/// One Via value (RFC 3261 20.42): `SIP/2.0/UDP host:port;branch=...;received=...;rport=...`.
public struct Via: Hashable, Sendable, CustomStringConvertible {
    /// Uppercased transport token (UDP, TCP, TLS, SCTP, or anything else; RFC 4475 3.1.1.10).
    public var transport: String
    /// Host name or IP address (IPv6 without brackets).
    public var host: String
    public var port: Int?
    public var parameters: SIPParameters

    /// RFC 3261 17.2.3: a branch starting with this cookie makes the branch the transaction key.
    public static let magicCookie = "z9hG4bK"

    public init(transport: String, host: String, port: Int?, branch: String?, rport: Bool = true) {
        self.transport = transport.uppercased()
        self.host = host
        self.port = port
        self.parameters = []
        if rport { parameters.set("rport", nil) }
        if let branch { parameters.set("branch", branch) }
    }

    public var branch: String? {
        get { parameters["branch"] }
        set { parameters.set("branch", newValue) }
    }

    public var received: String? { parameters["received"] }

    /// True when `rport` is present, with or without a value (RFC 3581 3).
    public var hasRPort: Bool { parameters.contains("rport") }

    /// The port filled in by the server, nil when absent or valueless.
    public var rport: Int? { parameters["rport"].flatMap { Int($0) } }

    /// True when the branch carries the RFC 3261 magic cookie and something after it
    /// (RFC 4475 3.2.1 badbranch: a bare cookie means RFC 2543 matching).
    public var hasRFC3261Branch: Bool {
        guard let branch, branch.hasPrefix(Self.magicCookie) else { return false }
        return branch.utf8.count > Self.magicCookie.utf8.count
    }

    /// `host:port` of the sent-by, IPv6 in brackets.
    public var sentBy: String {
        let hostText = host.contains(":") ? "[\(host)]" : host
        return port.map { "\(hostText):\($0)" } ?? hostText
    }

    /// Records where a request really came from (RFC 3261 18.2.1, RFC 3581 4): `received` when
    /// the source differs from sent-by, or always when the client asked for `rport`, in which case
    /// `rport` gets the source port. `received` goes right after `rport`, as GB platforms write it
    /// (`;rport=5060;received=192.168.1.64;branch=...`).
    public mutating func recordSource(host sourceHost: String, port sourcePort: Int) {
        if hasRPort {
            parameters.set("rport", String(sourcePort))
            parameters.set("received", sourceHost, after: "rport")
        } else if sourceHost != host {
            parameters.set("received", sourceHost)
        }
    }

    public var description: String {
        "SIP/2.0/\(transport) \(sentBy)\(parameters.serialized)"
    }

    public init(parsing text: String) throws(SIPParseError) {
        var scanner = SIPValueScanner(text)
        func fail(_ reason: String) -> SIPParseError {
            .invalidHeader(name: "Via", value: text, reason: reason)
        }
        scanner.skipWhitespace()
        // sent-protocol = protocol-name SLASH protocol-version SLASH transport, LWS around SLASH.
        guard let name = scanner.readToken(), name.uppercased() == "SIP" else {
            throw fail("sent-protocol does not start with SIP")
        }
        guard scanner.consumeSeparator(SIPSyntax.slash), let version = scanner.readToken() else {
            throw fail("sent-protocol has no version")
        }
        guard version == "2.0" else { throw fail("protocol version \(version) is not 2.0") }
        guard scanner.consumeSeparator(SIPSyntax.slash), let transport = scanner.readToken() else {
            throw fail("sent-protocol has no transport")
        }
        guard scanner.skipWhitespace() else { throw fail("no space between protocol and sent-by") }
        let host: String
        if scanner.consume(SIPSyntax.openBracket) {
            host = scanner.read { $0 != SIPSyntax.closeBracket }
            guard scanner.consume(SIPSyntax.closeBracket), !host.isEmpty else {
                throw fail("IPv6 sent-by without a closing ']'")
            }
        } else {
            host = scanner.read { byte in
                SIPSyntax.isAlpha(byte) || SIPSyntax.isDigit(byte) || byte == UInt8(ascii: "-")
                    || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
            }
            guard !host.isEmpty else { throw fail("no sent-by host") }
        }
        var port: Int?
        if scanner.consumeSeparator(SIPSyntax.colon) {
            let digits = scanner.read(while: SIPSyntax.isDigit)
            guard !digits.isEmpty, digits.utf8.count <= 5, let value = Int(digits), value <= 65535 else {
                throw fail("sent-by port \"\(digits)\" is not a number from 0 to 65535")
            }
            port = value
        }
        let parameters: SIPParameters
        switch SIPParameters.parseHeaderParameters(&scanner) {
        case .success(let parsed): parameters = parsed
        case .failure(let failure): throw fail(failure.description)
        }
        scanner.skipWhitespace()
        guard scanner.isAtEnd else {
            throw fail("unexpected text \"\(SIPSyntax.excerpt(scanner.remainder, limit: 30))\" after the parameters")
        }
        self.transport = transport.uppercased()
        self.host = host
        self.port = port
        self.parameters = parameters
    }
}
