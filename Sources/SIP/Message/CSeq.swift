/// CSeq (RFC 3261 20.16): a sequence number below 2^31 and a method.
public struct CSeq: Hashable, Sendable, CustomStringConvertible {
    public var sequence: UInt32
    public var method: SIPMethod

    public init(_ sequence: UInt32, _ method: SIPMethod) {
        self.sequence = sequence
        self.method = method
    }

    public var description: String { "\(sequence) \(method.rawValue)" }

    /// Leading zeros and LWS between the parts are fine (RFC 4475 3.1.1.1 `0009\r\n  INVITE`);
    /// a number of 2^31 or more is refused (RFC 3261 8.1.1.5, RFC 4475 3.1.2.4 scalar02).
    public init(parsing text: String) throws(SIPParseError) {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" })
        guard parts.count == 2 else {
            throw .invalidHeader(name: "CSeq", value: text, reason: "expected \"<number> <method>\"")
        }
        guard let sequence = parseBoundedDecimal(parts[0], max: 0x7FFF_FFFF) else {
            throw .invalidHeader(name: "CSeq", value: text, reason: "sequence number is not a decimal below 2^31")
        }
        guard SIPSyntax.isToken(parts[1]) else {
            throw .invalidHeader(name: "CSeq", value: text, reason: "method is not a token")
        }
        self.init(UInt32(sequence), SIPMethod(String(parts[1])))
    }
}

/// Parses 1*DIGIT (leading zeros allowed) without overflowing; nil if not digits or above `max`.
func parseBoundedDecimal<S: StringProtocol>(_ text: S, max: UInt64) -> UInt64? {
    guard !text.isEmpty else { return nil }
    var value: UInt64 = 0
    for byte in text.utf8 {
        guard SIPSyntax.isDigit(byte) else { return nil }
        value = value * 10 + UInt64(byte - 0x30)
        if value > max { return nil }
    }
    return value
}
