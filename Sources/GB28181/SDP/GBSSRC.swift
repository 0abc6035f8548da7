/// The GB/T 28181 SSRC (`y=`, spec §5.3): 10 decimal digits,
/// `<0 live | 1 historical><digits 4-8 of the SIP domain ID><4-digit stream number>`.
/// The RTP SSRC field carries the **decimal value** of that string (`0200000001` → 200000001 = 0x0BEBC201).
public struct GBSSRC: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case live
        /// Playback and download.
        case historical

        var digit: Character { self == .live ? "0" : "1" }
    }

    public let kind: Kind
    /// Five digits: digits 4-8 of the 20-digit SIP domain / server ID, or of the 10-digit domain.
    public let domainDigits: String
    /// 0...9999, not reused by another current stream of the domain.
    public let sequence: Int

    /// - Throws: `SSRCError.invalidDomainDigits` / `.sequenceOutOfRange`.
    public init(kind: Kind, domainDigits: String, sequence: Int) throws(SSRCError) {
        guard domainDigits.utf8.count == 5, domainDigits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw .invalidDomainDigits(domainDigits)
        }
        guard (0...9999).contains(sequence) else { throw .sequenceOutOfRange(sequence) }
        self.kind = kind
        self.domainDigits = domainDigits
        self.sequence = sequence
    }

    /// Parses a `y=` value; nil unless it is 10 digits starting with 0 or 1 (🔧 devices that ignore the rule
    /// send other values: keep the raw `y=` and `GBSessionDescription.ssrcValue` for those).
    public init?(parsing text: String) {
        let digits = text.trimmed
        guard digits.utf8.count == 10, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let first = digits.first, first == "0" || first == "1",
              let sequence = Int(digits.suffix(4)) else { return nil }
        self.kind = first == "0" ? .live : .historical
        self.domainDigits = String(digits.dropFirst().prefix(5))
        self.sequence = sequence
    }

    /// Digits 4-8 (1-based) of a SIP domain or server ID: `34020000002000000001` → `20000`, `3402000000` → `20000`
    /// ([W] `domain.substring(3, 8)`). nil if the ID is shorter than 8 digits or not numeric.
    public static func domainDigits(of domainID: String) -> String? {
        let id = domainID.trimmed
        guard id.utf8.count >= 8, id.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return String(id.dropFirst(3).prefix(5))
    }

    /// The 10-digit `y=` string.
    public var description: String {
        let number = String(sequence)
        return String(kind.digit) + domainDigits + String(repeating: "0", count: 4 - number.count) + number
    }

    /// The value in the RTP header's SSRC field. The largest, 1999999999, fits in 32 bits.
    public var value: UInt32 { UInt32(description) ?? 0 }
}

/// Why an SSRC could not be made or allocated.
public enum SSRCError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidDomainDigits(String)
    case invalidDomainID(String)
    case sequenceOutOfRange(Int)
    /// Every stream number of the domain is leased.
    case exhausted(capacity: Int)

    public var description: String {
        switch self {
        case .invalidDomainDigits(let digits):
            return "SSRC domain part '\(digits)' must be exactly 5 digits (digits 4-8 of the SIP domain ID, GB/T 28181 §5.3 of the spec)."
        case .invalidDomainID(let id):
            return "'\(id)' is not a numeric SIP domain or server ID of at least 8 digits; configure the platform's 10-digit domain or 20-digit ID."
        case .sequenceOutOfRange(let value):
            return "SSRC stream number \(value) is outside 0...9999."
        case .exhausted(let capacity):
            return "All \(capacity) SSRC stream numbers are in use; release finished sessions (BYE) before inviting more, or check for leaked leases."
        }
    }
}
