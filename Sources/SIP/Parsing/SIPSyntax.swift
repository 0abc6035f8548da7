/// Character classes of the RFC 3261 section 25 grammar, on bytes.
enum SIPSyntax {
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let colon: UInt8 = UInt8(ascii: ":")
    static let semicolon: UInt8 = UInt8(ascii: ";")
    static let comma: UInt8 = UInt8(ascii: ",")
    static let equals: UInt8 = UInt8(ascii: "=")
    static let quote: UInt8 = UInt8(ascii: "\"")
    static let backslash: UInt8 = UInt8(ascii: "\\")
    static let lessThan: UInt8 = UInt8(ascii: "<")
    static let greaterThan: UInt8 = UInt8(ascii: ">")
    static let slash: UInt8 = UInt8(ascii: "/")
    static let at: UInt8 = UInt8(ascii: "@")
    static let question: UInt8 = UInt8(ascii: "?")
    static let openBracket: UInt8 = UInt8(ascii: "[")
    static let closeBracket: UInt8 = UInt8(ascii: "]")

    /// LWS characters once folding has been undone (RFC 3261 25.1).
    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == space || byte == tab || byte == cr || byte == lf
    }

    @inline(__always)
    static func isAlpha(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= 0x30 && byte <= 0x39
    }

    /// token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")
    @inline(__always)
    static func isTokenChar(_ byte: UInt8) -> Bool {
        if isAlpha(byte) || isDigit(byte) { return true }
        switch byte {
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "!"), UInt8(ascii: "%"),
            UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: "+"), UInt8(ascii: "`"),
            UInt8(ascii: "'"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    static func isToken<S: StringProtocol>(_ text: S) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy(isTokenChar)
    }

    /// Shortens a value for an error message so a 64 KiB header does not end up in a log line.
    static func excerpt<S: StringProtocol>(_ text: S, limit: Int = 80) -> String {
        let clean = String(text).replacingControlCharacters()
        guard clean.count > limit else { return clean }
        return String(clean.prefix(limit)) + "…(\(text.utf8.count) bytes)"
    }
}

extension String {
    /// Makes control bytes visible in error messages (`\r` → `\\r`, NUL → `\\0`).
    func replacingControlCharacters() -> String {
        var out = ""
        out.reserveCapacity(utf8.count)
        for scalar in unicodeScalars {
            switch scalar.value {
            case 0x0D: out += "\\r"
            case 0x0A: out += "\\n"
            case 0x09: out += "\\t"
            case 0..<0x20, 0x7F: out += "\\x" + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
