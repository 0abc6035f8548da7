/// GB 18030 decoding that survives broken byte sequences.
///
/// 🔧 Devices cut names at a fixed byte length and leave half a double-byte character behind; a strict decode
/// would throw the whole catalog fragment away for one bad byte. Bad sequences become U+FFFD and are counted,
/// so the caller can log the device.
enum LenientGB18030 {
    /// U+FFFD REPLACEMENT CHARACTER in GB 18030 (four-byte form).
    static let replacement: [UInt8] = [0x84, 0x31, 0xA4, 0x37]

    /// Decodes `bytes`, replacing structurally invalid sequences; returns nil only if even the repaired bytes
    /// do not decode, which means they are not text at all.
    static func decode(_ bytes: [UInt8]) -> (text: String, replaced: Int)? {
        if let strict = GB18030Text.decode(bytes) { return (strict, 0) }
        var repaired: [UInt8] = []
        repaired.reserveCapacity(bytes.count + 16)
        var replaced = 0
        var index = 0
        while index < bytes.count {
            let length = sequenceLength(bytes, at: index)
            if length > 0 {
                repaired.append(contentsOf: bytes[index..<(index + length)])
                index += length
            } else {
                repaired.append(contentsOf: replacement)
                replaced += 1
                index += 1
            }
        }
        guard let text = GB18030Text.decode(repaired) else { return nil }
        return (text, replaced)
    }

    /// Length of the well-formed GB 18030 sequence at `index` (1, 2 or 4), or 0 if it is malformed.
    /// Structure per GB 18030: ASCII 00-7F; two-byte 81-FE + 40-7E/80-FE; four-byte 81-FE 30-39 81-FE 30-39.
    static func sequenceLength(_ bytes: [UInt8], at index: Int) -> Int {
        let lead = bytes[index]
        if lead < 0x80 { return 1 }
        guard (0x81...0xFE).contains(lead), index + 1 < bytes.count else { return 0 }
        let second = bytes[index + 1]
        if (0x40...0x7E).contains(second) || (0x80...0xFE).contains(second) { return 2 }
        if (0x30...0x39).contains(second), index + 3 < bytes.count,
           (0x81...0xFE).contains(bytes[index + 2]), (0x30...0x39).contains(bytes[index + 3]) {
            return 4
        }
        return 0
    }
}
