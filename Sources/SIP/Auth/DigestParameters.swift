/// The `Digest k=v, k="v"` syntax shared by WWW-Authenticate, Authorization and their Proxy-
/// variants (RFC 2617 1.2, 3.2; RFC 3261 25.1). Names are case-insensitive; values are unquoted.
struct DigestParameters: Sendable, Hashable {
    var scheme: String
    private(set) var items: [(name: String, value: String)] = []

    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.scheme == rhs.scheme && lhs.items.elementsEqual(rhs.items) { $0.name == $1.name && $0.value == $1.value }
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(scheme)
        for item in items {
            hasher.combine(item.name)
            hasher.combine(item.value)
        }
    }

    subscript(name: String) -> String? {
        let lower = name.lowercased()
        return items.first { $0.name.lowercased() == lower }?.value
    }

    init(scheme: String) { self.scheme = scheme }

    init(parsing text: String, header: String) throws(SIPParseError) {
        var scanner = SIPValueScanner(text)
        func fail(_ reason: String) -> SIPParseError { .invalidHeader(name: header, value: text, reason: reason) }
        scanner.skipWhitespace()
        guard let scheme = scanner.readToken() else { throw fail("no authentication scheme") }
        self.init(scheme: scheme)
        scanner.skipWhitespace()
        while !scanner.isAtEnd {
            guard let name = scanner.readToken() else {
                throw fail("expected a parameter name at offset \(scanner.position)")
            }
            guard scanner.consumeSeparator(SIPSyntax.equals) else { throw fail("parameter \(name) has no '='") }
            let value: String
            if scanner.peek() == SIPSyntax.quote {
                guard let quoted = scanner.readQuotedString() else {
                    throw fail("parameter \(name) has an unterminated quoted value")
                }
                value = quoted
            } else {
                value = scanner.read { $0 != SIPSyntax.comma && !SIPSyntax.isWhitespace($0) }
            }
            items.append((name, value))
            scanner.skipWhitespace()
            if scanner.isAtEnd { break }
            guard scanner.consumeSeparator(SIPSyntax.comma) else {
                throw fail("expected ',' after parameter \(name)")
            }
        }
    }

    mutating func append(_ name: String, _ value: String) { items.append((name, value)) }
}

func quotedString(_ value: String) -> String {
    var out = "\""
    for character in value {
        if character == "\"" || character == "\\" { out.append("\\") }
        out.append(character)
    }
    return out + "\""
}
