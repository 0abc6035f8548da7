/// The 8-byte front-end instruction carried in `<PTZCmd>` (2016 Appendix A.3, spec §3.4.1).
///
/// ```
/// A5 | version<<4 | check | address low 8 | code | data1 | data2 | data3<<4 | address high 4 | checksum
/// ```
public struct PTZInstruction: Sendable, Hashable, CustomStringConvertible {
    /// 12-bit device address; 1 for nearly every device.
    public var address: UInt16
    /// Instruction code (byte 4).
    public var code: UInt8
    /// Byte 5.
    public var data1: UInt8
    /// Byte 6.
    public var data2: UInt8
    /// High nibble of byte 7 (0...15).
    public var data3: UInt8

    static let frameHead: UInt8 = 0xA5

    /// Values out of range are masked: address to 12 bits, data3 to 4 bits.
    public init(address: UInt16 = 1, code: UInt8, data1: UInt8 = 0, data2: UInt8 = 0, data3: UInt8 = 0) {
        self.address = address & 0x0FFF
        self.code = code
        self.data1 = data1
        self.data2 = data2
        self.data3 = data3 & 0x0F
    }

    /// The eight bytes, checksum last: `(byte1 + ... + byte7) mod 256`.
    public var bytes: [UInt8] {
        var frame: [UInt8] = [
            Self.frameHead, 0x0F, UInt8(address & 0xFF), code, data1, data2,
            (data3 << 4) | UInt8((address >> 8) & 0x0F),
        ]
        frame.append(frame.reduce(0, &+))
        return frame
    }

    /// 16 upper-case hex characters, as written in `<PTZCmd>`.
    public var hexString: String {
        let digits = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public var description: String { hexString }

    /// Parses `<PTZCmd>` text leniently (lower case and surrounding spaces accepted) but checks the frame head,
    /// the version/check byte and the checksum.
    public init(hex: String) throws(PTZInstructionError) {
        let text = hex.trimmed
        let utf8 = Array(text.utf8)
        guard utf8.count == 16 else { throw .wrongLength(text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8)
        for index in stride(from: 0, to: 16, by: 2) {
            guard let high = Self.nibble(utf8[index]), let low = Self.nibble(utf8[index + 1]) else {
                throw .notHex(text)
            }
            bytes.append(high << 4 | low)
        }
        try self.init(bytes: bytes)
    }

    public init(bytes: [UInt8]) throws(PTZInstructionError) {
        guard bytes.count == 8 else { throw .wrongLength(String(bytes.count) + " bytes") }
        guard bytes[0] == Self.frameHead else { throw .badFrameHead(bytes[0]) }
        // Low nibble of byte 2 = (0xA + 0x5 + version) mod 16; version 0 gives 0x0F.
        let version = bytes[1] >> 4
        guard bytes[1] & 0x0F == (0x0A + 0x05 + version) & 0x0F else { throw .badVersionByte(bytes[1]) }
        let expected = bytes[0..<7].reduce(0, &+)
        guard bytes[7] == expected else { throw .badChecksum(expected: expected, found: bytes[7]) }
        self.init(address: UInt16(bytes[2]) | UInt16(bytes[6] & 0x0F) << 8, code: bytes[3], data1: bytes[4],
                  data2: bytes[5], data3: bytes[6] >> 4)
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case 0x30...0x39: return character - 0x30
        case 0x41...0x46: return character - 0x41 + 10
        case 0x61...0x66: return character - 0x61 + 10
        default: return nil
        }
    }
}

/// Why a `<PTZCmd>` value was refused.
public enum PTZInstructionError: Error, Sendable, Equatable, CustomStringConvertible {
    case wrongLength(String)
    case notHex(String)
    case badFrameHead(UInt8)
    case badVersionByte(UInt8)
    case badChecksum(expected: UInt8, found: UInt8)

    public var description: String {
        func hex(_ byte: UInt8) -> String {
            let digits = String(byte, radix: 16, uppercase: true)
            return digits.count == 1 ? "0" + digits : digits
        }
        switch self {
        case .wrongLength(let text):
            return "PTZCmd '\(text)' must be 16 hex characters (8 bytes, GB/T 28181 A.3); the sender truncated or padded it."
        case .notHex(let text):
            return "PTZCmd '\(text)' contains non-hex characters."
        case .badFrameHead(let byte):
            return "PTZCmd starts with 0x\(hex(byte)), expected frame head 0xA5; not a GB/T 28181 A.3 instruction."
        case .badVersionByte(let byte):
            return "PTZCmd byte 2 is 0x\(hex(byte)); its low nibble must be (0xA + 0x5 + version) mod 16 (0x0F for version 0)."
        case let .badChecksum(expected, found):
            return "PTZCmd checksum is 0x\(hex(found)), expected 0x\(hex(expected)) (sum of bytes 1-7 mod 256); the command was corrupted or built wrongly, do not forward it."
        }
    }
}
