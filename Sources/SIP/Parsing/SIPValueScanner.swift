/// A cursor over the bytes of one header value (folding already undone), used by the
/// URI, Via, name-addr, parameter and digest parsers.
struct SIPValueScanner {
    let bytes: [UInt8]
    var position: Int = 0

    init<S: StringProtocol>(_ text: S) {
        self.bytes = Array(text.utf8)
    }

    var isAtEnd: Bool { position >= bytes.count }

    func peek() -> UInt8? {
        position < bytes.count ? bytes[position] : nil
    }

    func peek(offset: Int) -> UInt8? {
        let index = position + offset
        return index < bytes.count ? bytes[index] : nil
    }

    @discardableResult
    mutating func skipWhitespace() -> Bool {
        let start = position
        while position < bytes.count, SIPSyntax.isWhitespace(bytes[position]) { position += 1 }
        return position > start
    }

    mutating func consume(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        position += 1
        return true
    }

    /// Skips LWS, then consumes `byte` if it is next (RFC 3261 SEMI/EQUAL/COMMA/SLASH allow LWS around them).
    mutating func consumeSeparator(_ byte: UInt8) -> Bool {
        let saved = position
        skipWhitespace()
        if consume(byte) {
            skipWhitespace()
            return true
        }
        position = saved
        return false
    }

    mutating func read(while predicate: (UInt8) -> Bool) -> String {
        let start = position
        while position < bytes.count, predicate(bytes[position]) { position += 1 }
        return string(from: start, to: position)
    }

    mutating func readToken() -> String? {
        let token = read(while: SIPSyntax.isTokenChar)
        return token.isEmpty ? nil : token
    }

    /// Reads a quoted-string starting at `"`; returns the content with quoted-pairs resolved,
    /// or nil if the closing quote is missing (RFC 4475 3.1.2.6 quotbal).
    mutating func readQuotedString() -> String? {
        guard consume(SIPSyntax.quote) else { return nil }
        var content: [UInt8] = []
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            if byte == SIPSyntax.quote {
                return String(decoding: content, as: UTF8.self)
            }
            if byte == SIPSyntax.backslash {
                guard position < bytes.count else { return nil }
                content.append(bytes[position])
                position += 1
            } else {
                content.append(byte)
            }
        }
        return nil
    }

    /// Like `readQuotedString` but returns the raw text including the quotes, for round-tripping.
    mutating func readRawQuotedString() -> String? {
        let start = position
        guard readQuotedString() != nil else { return nil }
        return string(from: start, to: position)
    }

    func string(from start: Int, to end: Int) -> String {
        String(decoding: bytes[start..<end], as: UTF8.self)
    }

    var remainder: String { string(from: min(position, bytes.count), to: bytes.count) }
}

/// Splits a list-valued header (Via, Contact, Route, ...) on commas that are outside quotes and
/// angle brackets (RFC 3261 7.3.1: a comma-separated list is equivalent to repeated header lines).
func splitHeaderList(_ value: String) -> [String] {
    var parts: [String] = []
    var current: [UInt8] = []
    var inQuotes = false
    var inAngle = false
    var escaped = false
    for byte in value.utf8 {
        if inQuotes {
            current.append(byte)
            if escaped {
                escaped = false
            } else if byte == SIPSyntax.backslash {
                escaped = true
            } else if byte == SIPSyntax.quote {
                inQuotes = false
            }
            continue
        }
        switch byte {
        case SIPSyntax.quote: inQuotes = true
        case SIPSyntax.lessThan: inAngle = true
        case SIPSyntax.greaterThan: inAngle = false
        case SIPSyntax.comma where !inAngle:
            parts.append(trimmedLWS(current))
            current.removeAll(keepingCapacity: true)
            continue
        default: break
        }
        current.append(byte)
    }
    parts.append(trimmedLWS(current))
    return parts
}

func trimmedLWS(_ bytes: [UInt8]) -> String {
    var start = 0
    var end = bytes.count
    while start < end, SIPSyntax.isWhitespace(bytes[start]) { start += 1 }
    while end > start, SIPSyntax.isWhitespace(bytes[end - 1]) { end -= 1 }
    return String(decoding: bytes[start..<end], as: UTF8.self)
}

func trimmedLWS<S: StringProtocol>(_ text: S) -> String {
    trimmedLWS(Array(text.utf8))
}
