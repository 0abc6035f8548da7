/// Errors from parsing parameter sets.
public enum ParameterSetError: Error, Equatable, CustomStringConvertible {
    case truncated(what: String, bitOffset: Int)
    case invalid(what: String, value: Int)

    public var description: String {
        switch self {
        case let .truncated(what, bit): "parameter set truncated while reading \(what) at bit \(bit)"
        case let .invalid(what, value): "parameter set field \(what) has invalid value \(value)"
        }
    }
}

/// MSB-first bit reader over an RBSP (emulation prevention already removed), with the exp-Golomb
/// codes of H.264 9.1 / H.265 9.2.
public struct RBSPBitReader {
    private let bytes: [UInt8]
    public private(set) var bitOffset: Int

    public init(_ bytes: [UInt8], byteOffset: Int = 0) {
        self.bytes = bytes
        self.bitOffset = byteOffset * 8
    }

    public var bitsLeft: Int { bytes.count * 8 - bitOffset }

    public mutating func bit(_ what: String = "bit") throws(ParameterSetError) -> UInt32 {
        guard bitOffset < bytes.count * 8 else { throw .truncated(what: what, bitOffset: bitOffset) }
        let b = bytes[bitOffset >> 3] >> (7 - UInt8(bitOffset & 7)) & 1
        bitOffset += 1
        return UInt32(b)
    }

    public mutating func flag(_ what: String = "flag") throws(ParameterSetError) -> Bool {
        try bit(what) == 1
    }

    /// u(n), n ≤ 32.
    public mutating func bits(_ n: Int, _ what: String = "bits") throws(ParameterSetError) -> UInt32 {
        guard n <= bitsLeft else { throw .truncated(what: what, bitOffset: bitOffset) }
        var v: UInt32 = 0
        for _ in 0..<n { v = v << 1 | (try bit(what)) }
        return v
    }

    public mutating func skip(_ n: Int, _ what: String = "skip") throws(ParameterSetError) {
        guard n <= bitsLeft else { throw .truncated(what: what, bitOffset: bitOffset) }
        bitOffset += n
    }

    /// ue(v).
    public mutating func ue(_ what: String = "ue(v)") throws(ParameterSetError) -> UInt32 {
        var leadingZeros = 0
        while try bit(what) == 0 {
            leadingZeros += 1
            if leadingZeros > 31 { throw .invalid(what: what, value: leadingZeros) }
        }
        if leadingZeros == 0 { return 0 }
        let suffix = try bits(leadingZeros, what)
        return UInt32((UInt64(1) << UInt64(leadingZeros)) - 1 + UInt64(suffix))
    }

    /// se(v).
    public mutating func se(_ what: String = "se(v)") throws(ParameterSetError) -> Int32 {
        let k = try ue(what)
        let magnitude = Int32(truncatingIfNeeded: (k + 1) >> 1)
        return k & 1 == 1 ? magnitude : -magnitude
    }
}
