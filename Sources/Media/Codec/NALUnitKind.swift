/// NAL unit header facts used to split access units, find keyframes and tell H.264 from H.265
/// (spec §6.4).
public enum NALUnitKind {
    // H.264 Table 7-1
    public static let h264NonIDR: UInt8 = 1
    public static let h264IDR: UInt8 = 5
    public static let h264SEI: UInt8 = 6
    public static let h264SPS: UInt8 = 7
    public static let h264PPS: UInt8 = 8
    public static let h264AUD: UInt8 = 9

    // H.265 Table 7-1
    public static let h265IRAPRange: ClosedRange<UInt8> = 16...23
    public static let h265VPS: UInt8 = 32
    public static let h265SPS: UInt8 = 33
    public static let h265PPS: UInt8 = 34
    public static let h265AUD: UInt8 = 35
    public static let h265PrefixSEI: UInt8 = 39

    @inline(__always) public static func h264Type(_ b0: UInt8) -> UInt8 { b0 & 0x1F }
    @inline(__always) public static func h265Type(_ b0: UInt8) -> UInt8 { (b0 >> 1) & 0x3F }

    /// Codec of a parameter-set NAL, or nil when the header is not an unambiguous parameter set.
    /// H.265 VPS/SPS/PPS are `40 01`/`42 01`/`44 01` (layer 0, TemporalId+1 = 1). H.264 SPS/PPS have a
    /// non-zero nal_ref_idc (H.264 7.4.1) so they read `67`/`68` (or `27`/`47`/`28`/`48`); an H.264 SPS is
    /// followed by a known profile_idc. The second byte tells them apart from H.265 slices: `28 01` is an
    /// H.265 IDR_N_LP, which H.264 would read as a PPS.
    public static func sniffCodec(nalHeader b0: UInt8, _ b1: UInt8?) -> MediaCodec? {
        guard b0 & 0x80 == 0, let b1 else { return nil }
        if b1 == 0x01 {
            return b0 == 0x40 || b0 == 0x42 || b0 == 0x44 ? .h265 : nil
        }
        guard b0 & 0x60 != 0 else { return nil }
        switch h264Type(b0) {
        case h264SPS: return h264Profiles.contains(b1) ? .h264 : nil
        case h264PPS: return .h264
        default: return nil
        }
    }

    /// profile_idc values of H.264 Annex A and G/H.
    static let h264Profiles: Set<UInt8> = [66, 77, 88, 100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]

    /// Codec sniffed from the first parameter set found in an Annex B buffer.
    public static func sniffCodec(annexB data: [UInt8]) -> MediaCodec? {
        for r in AnnexB.nalUnitRanges(in: data) {
            let b1: UInt8? = r.count > 1 ? data[r.lowerBound + 1] : nil
            if let codec = sniffCodec(nalHeader: data[r.lowerBound], b1) { return codec }
        }
        return nil
    }

    /// True when the NAL is a VCL slice (H.264 types 1–5, H.265 types 0–31).
    @inline(__always)
    public static func isVCL(codec: MediaCodec, _ b0: UInt8) -> Bool {
        switch codec {
        case .h264: let t = h264Type(b0); return t >= 1 && t <= 5
        case .h265: return h265Type(b0) < 32
        default: return false
        }
    }

    /// IDR (H.264) or IRAP (H.265: BLA, IDR, CRA).
    @inline(__always)
    public static func isKeyframeNAL(codec: MediaCodec, _ b0: UInt8) -> Bool {
        switch codec {
        case .h264: return h264Type(b0) == h264IDR
        case .h265: return h265IRAPRange.contains(h265Type(b0))
        default: return false
        }
    }

    public static func containsKeyframe(codec: MediaCodec, data: [UInt8], nalUnits: [Range<Int>]) -> Bool {
        guard codec.isVideo else { return true }
        return nalUnits.contains { isKeyframeNAL(codec: codec, data[$0.lowerBound]) }
    }

    /// True when this NAL starts a new access unit given that the current one already holds a VCL NAL
    /// (H.264 7.4.1.2.3, H.265 7.4.2.4.4): an AUD, a parameter set, a prefix SEI, or the first slice of a
    /// picture (H.264 first_mb_in_slice == 0, i.e. ue(v) whose first bit is 1; H.265
    /// first_slice_segment_in_pic_flag).
    @inline(__always)
    public static func startsAccessUnit(codec: MediaCodec, _ b0: UInt8, _ b1: UInt8, _ b2: UInt8) -> Bool {
        switch codec {
        case .h264:
            let t = h264Type(b0)
            if t >= 1 && t <= 5 { return b1 & 0x80 != 0 }
            return t == h264AUD || t == h264SPS || t == h264PPS || t == h264SEI || (t >= 14 && t <= 18)
        case .h265:
            let t = h265Type(b0)
            if t < 32 { return b2 & 0x80 != 0 }
            return t == h265AUD || t == h265VPS || t == h265SPS || t == h265PPS || t == h265PrefixSEI
                || (t >= 41 && t <= 44) || (t >= 48 && t <= 55)
        default:
            return false
        }
    }
}
