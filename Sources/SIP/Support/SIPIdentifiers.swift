/// Fresh identifiers for requests the stack originates. Branches carry the RFC 3261 magic cookie
/// (17.2.3); tags and Call-IDs need only be globally unique (19.3), so random hex is enough.
public enum SIPIdentifiers {
    /// `z9hG4bK` + 16 random hex digits.
    public static func branch() -> String { Via.magicCookie + randomHex(bytes: 8) }

    /// A From/To tag: 10 random decimal digits, the shape GB devices use and accept.
    public static func tag() -> String { String(UInt64.random(in: 1_000_000_000...9_999_999_999)) }

    /// A Call-ID, `<random>@<host>` when a host is given (RFC 3261 8.1.1.4).
    public static func callID(host: String? = nil) -> String {
        let local = randomHex(bytes: 12)
        return host.map { "\(local)@\($0)" } ?? local
    }

    static func randomHex(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return randomHex(bytes: count, using: &generator)
    }

    static func randomHex<G: RandomNumberGenerator>(bytes count: Int, using generator: inout G) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(count * 2)
        for _ in 0..<count {
            let byte = UInt8.random(in: 0...255, using: &generator)
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
