/// A From/To/Contact/Route value: `"Display" <uri>;params` or `uri;params` (RFC 3261 20.10, 25.1).
public struct SIPNameAddress: Hashable, Sendable, CustomStringConvertible {
    /// Display name with quoted-pairs resolved; nil when there is none.
    public var displayName: String?
    public var uri: SIPURI
    /// Header parameters after the address (`tag`, `expires`, `q`), not URI parameters.
    public var parameters: SIPParameters

    public init(displayName: String? = nil, uri: SIPURI, parameters: SIPParameters = []) {
        self.displayName = displayName
        self.uri = uri
        self.parameters = parameters
    }

    public var tag: String? {
        get { parameters["tag"] }
        set { parameters.set("tag", newValue) }
    }

    /// Always written in name-addr form (`<uri>`), which is legal for every URI.
    public var description: String {
        var out = ""
        if let displayName {
            var escaped = ""
            for character in displayName {
                if character == "\\" || character == "\"" { escaped.append("\\") }
                escaped.append(character)
            }
            out += "\"\(escaped)\" "
        }
        out += "<\(uri)>" + parameters.serialized
        return out
    }

    public init(parsing text: String, header: String = "name-addr") throws(SIPParseError) {
        var scanner = SIPValueScanner(text)
        func fail(_ reason: String) -> SIPParseError {
            .invalidHeader(name: header, value: text, reason: reason)
        }
        scanner.skipWhitespace()
        var displayName: String?
        var uriText: String
        if scanner.peek() == SIPSyntax.quote {
            guard let quoted = scanner.readQuotedString() else {
                throw fail("display name has no closing quote")
            }
            displayName = quoted
            scanner.skipWhitespace()
            guard scanner.peek() == SIPSyntax.lessThan else {
                throw fail("quoted display name is not followed by <uri>")
            }
            uriText = try Self.readAngleURI(&scanner, fail: fail)
        } else if let angle = scanner.bytes[scanner.position...].firstIndex(of: SIPSyntax.lessThan) {
            // display-name = *(token LWS) / quoted-string; anything else (a comma, RFC 4475
            // 3.1.2.15 baddn) is refused rather than guessed at.
            let words = scanner.string(from: scanner.position, to: angle)
            let trimmed = trimmedLWS(words)
            if !trimmed.isEmpty {
                let tokens = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" })
                guard tokens.allSatisfy({ SIPSyntax.isToken($0) }) else {
                    throw fail("display name \"\(trimmed)\" has characters that need quotes")
                }
                displayName = tokens.joined(separator: " ")
            }
            scanner.position = angle
            uriText = try Self.readAngleURI(&scanner, fail: fail)
        } else {
            // addr-spec form: the URI ends at the first ';', which starts header parameters;
            // a URI with '?' or ',' must be in <> (RFC 3261 20.10, RFC 4475 3.1.2.13 regbadct).
            uriText = scanner.read { byte in
                byte != SIPSyntax.semicolon && !SIPSyntax.isWhitespace(byte)
            }
            if uriText.utf8.contains(SIPSyntax.question) || uriText.utf8.contains(SIPSyntax.comma) {
                throw fail("a URI with '?' or ',' must be enclosed in <>")
            }
        }
        let uri = try SIPURI(parsing: uriText)
        let parameters: SIPParameters
        switch SIPParameters.parseHeaderParameters(&scanner) {
        case .success(let parsed): parameters = parsed
        case .failure(let failure): throw fail(failure.description)
        }
        scanner.skipWhitespace()
        guard scanner.isAtEnd else {
            throw fail("unexpected text \"\(SIPSyntax.excerpt(scanner.remainder, limit: 30))\" after the address")
        }
        self.init(displayName: displayName, uri: uri, parameters: parameters)
    }

    private static func readAngleURI(
        _ scanner: inout SIPValueScanner, fail: (String) -> SIPParseError
    ) throws(SIPParseError) -> String {
        guard scanner.consume(SIPSyntax.lessThan) else { throw fail("expected '<'") }
        let uri = scanner.read { $0 != SIPSyntax.greaterThan }
        guard scanner.consume(SIPSyntax.greaterThan) else { throw fail("'<' without a closing '>'") }
        return uri
    }
}

/// A Contact value: an address, or `*` in a REGISTER that removes all bindings (RFC 3261 10.2.2).
public enum SIPContact: Hashable, Sendable, CustomStringConvertible {
    case wildcard
    case address(SIPNameAddress)

    public init(parsing text: String) throws(SIPParseError) {
        if trimmedLWS(text) == "*" {
            self = .wildcard
        } else {
            self = .address(try SIPNameAddress(parsing: text, header: "Contact"))
        }
    }

    public var address: SIPNameAddress? {
        if case .address(let address) = self { return address }
        return nil
    }

    public var description: String {
        switch self {
        case .wildcard: return "*"
        case .address(let address): return address.description
        }
    }
}
