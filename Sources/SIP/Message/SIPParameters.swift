/// An ordered `;name[=value]` parameter list (URI parameters, Via and header parameters).
/// Names compare case-insensitively (RFC 3261 19.1.4, 7.3.1); values are kept as on the wire
/// (a quoted value keeps its quotes) so a header serialises back unchanged.
public struct SIPParameters: Hashable, Sendable, Sequence, ExpressibleByArrayLiteral {
    public struct Parameter: Hashable, Sendable {
        public var name: String
        public var value: String?
        public init(name: String, value: String?) {
            self.name = name
            self.value = value
        }
    }

    public private(set) var items: [Parameter] = []

    public init() {}
    public init(arrayLiteral elements: Parameter...) { items = elements }

    public func makeIterator() -> IndexingIterator<[Parameter]> { items.makeIterator() }
    public var isEmpty: Bool { items.isEmpty }

    public func contains(_ name: String) -> Bool { index(of: name) != nil }

    /// The raw value; nil both for an absent parameter and a valueless one (use `contains`).
    public subscript(name: String) -> String? {
        get { index(of: name).flatMap { items[$0].value } }
        set { set(name, newValue) }
    }

    /// Sets in place (keeps the position), or appends.
    public mutating func set(_ name: String, _ value: String?) {
        if let index = index(of: name) {
            items[index].value = value
        } else {
            items.append(Parameter(name: name, value: value))
        }
    }

    /// Sets in place, or inserts right after `anchor` if present (else appends).
    mutating func set(_ name: String, _ value: String?, after anchor: String) {
        if let index = index(of: name) {
            items[index].value = value
        } else if let anchorIndex = index(of: anchor) {
            items.insert(Parameter(name: name, value: value), at: anchorIndex + 1)
        } else {
            items.append(Parameter(name: name, value: value))
        }
    }

    public mutating func remove(_ name: String) {
        items.removeAll { $0.name.lowercased() == name.lowercased() }
    }

    private func index(of name: String) -> Int? {
        let lower = name.lowercased()
        return items.firstIndex { $0.name.lowercased() == lower }
    }

    /// `;a=b;c` as written on the wire.
    public var serialized: String {
        var out = ""
        for item in items {
            out += ";" + item.name
            if let value = item.value { out += "=" + value }
        }
        return out
    }
}

extension SIPParameters {
    /// Parses header parameters after a value: `*( SEMI generic-param )` with LWS allowed around
    /// `;` and `=` (RFC 3261 25.1, RFC 4475 3.1.1.1 wsinv). Stops at the end or at a comma.
    /// Empty names (`;;`) are refused (RFC 4475 3.1.2.1 badinv01).
    static func parseHeaderParameters(
        _ scanner: inout SIPValueScanner
    ) -> Result<SIPParameters, ParameterFailure> {
        var parameters = SIPParameters()
        while scanner.consumeSeparator(SIPSyntax.semicolon) {
            guard let name = scanner.readToken() else {
                return .failure(.emptyName(at: scanner.position))
            }
            var value: String?
            if scanner.consumeSeparator(SIPSyntax.equals) {
                if scanner.peek() == SIPSyntax.quote {
                    guard let quoted = scanner.readRawQuotedString() else {
                        return .failure(.unterminatedQuote(name: name))
                    }
                    value = quoted
                } else {
                    // gen-value = token / host / quoted-string; host may be an IPv6 reference.
                    value = scanner.read { byte in
                        SIPSyntax.isTokenChar(byte) || byte == SIPSyntax.colon
                            || byte == SIPSyntax.openBracket || byte == SIPSyntax.closeBracket
                    }
                }
            }
            parameters.items.append(Parameter(name: name, value: value))
        }
        return .success(parameters)
    }

    enum ParameterFailure: Error, CustomStringConvertible {
        case emptyName(at: Int)
        case unterminatedQuote(name: String)

        var description: String {
            switch self {
            case .emptyName(let offset): return "empty parameter name at offset \(offset)"
            case .unterminatedQuote(let name): return "parameter \(name) has an unterminated quoted value"
            }
        }
    }
}
