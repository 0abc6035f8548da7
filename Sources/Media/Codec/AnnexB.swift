/// ITU-T H.264 / H.265 Annex B byte streams: NAL units separated by `00 00 01` start codes.
public enum AnnexB {
    /// Ranges of the NAL units in `bytes`, start codes excluded. Leading bytes before the first start
    /// code are ignored. A trailing zero byte before a start code belongs to that (4-byte) start code
    /// (H.264 B.1.1: trailing_zero_8bits), so it is trimmed from the NAL before it.
    public static func nalUnitRanges(in bytes: [UInt8]) -> [Range<Int>] {
        bytes.withUnsafeBufferPointer { nalUnitRanges(in: $0, base: 0) }
    }

    public static func nalUnitRanges(in buffer: UnsafeBufferPointer<UInt8>, base: Int) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var nalStart = -1
        var searchFrom = 0
        while let sc = findStartCode(in: buffer, from: searchFrom) {
            if nalStart >= 0 {
                ranges.append((base + nalStart)..<(base + trimTrailingZeros(buffer, nalStart, sc)))
            }
            nalStart = sc + 3
            searchFrom = sc + 3
        }
        if nalStart >= 0, nalStart < buffer.count {
            ranges.append((base + nalStart)..<(base + trimTrailingZeros(buffer, nalStart, buffer.count)))
        }
        return ranges.filter { !$0.isEmpty }
    }

    /// Offset of the next `00 00 01` at or after `from`, or nil.
    @inline(__always)
    public static func findStartCode(in b: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        var i = from
        let end = b.count - 2
        while i < end {
            // Skip ahead by 3 when the third byte cannot end a start code (the common case in slice data).
            let c = b[i + 2]
            if c > 1 {
                i += 3
            } else if c == 1 {
                if b[i] == 0 && b[i + 1] == 0 { return i }
                i += 3
            } else {
                i += 1
            }
        }
        return nil
    }

    @inline(__always)
    static func trimTrailingZeros(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        var e = end
        while e > start && b[e - 1] == 0 { e -= 1 }
        return e
    }

    /// Removes emulation_prevention_three_byte (H.264 7.4.1, H.265 7.4.2): `00 00 03 xx` → `00 00 xx`.
    public static func rbsp<C: Collection>(from nal: C) -> [UInt8] where C.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(nal.count)
        var zeros = 0
        for byte in nal {
            if zeros >= 2 && byte == 3 {
                zeros = 0
                continue
            }
            zeros = byte == 0 ? zeros + 1 : 0
            out.append(byte)
        }
        return out
    }

    /// Writes `nals` as Annex B with 4-byte start codes.
    public static func join<C: Collection>(_ nals: [C]) -> [UInt8] where C.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(nals.reduce(0) { $0 + $1.count + 4 })
        for nal in nals {
            out.append(contentsOf: [0, 0, 0, 1])
            out.append(contentsOf: nal)
        }
        return out
    }
}
