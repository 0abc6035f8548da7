/// ISO/IEC 14496-15 decoder configuration records, shared by MP4 (`avcC`/`hvcC` boxes) and FLV
/// (AVC sequence header, enhanced-FLV HEVC SequenceStart). NAL lengths are always 4 bytes.
public enum DecoderConfigurationRecord {
    /// AVCDecoderConfigurationRecord, 14496-15 5.3.3.1.
    public static func avc(_ p: CodecParameters) -> [UInt8] {
        guard let sps = p.h264, let firstSPS = p.sps.first, firstSPS.count >= 4 else { return [] }
        var out: [UInt8] = [1, firstSPS[1], firstSPS[2], firstSPS[3], 0xFF]  // lengthSizeMinusOne = 3
        out.append(0xE0 | UInt8(min(p.sps.count, 31)))
        for nal in p.sps.prefix(31) { appendWithLength(nal, to: &out) }
        out.append(UInt8(min(p.pps.count, 255)))
        for nal in p.pps.prefix(255) { appendWithLength(nal, to: &out) }
        if [100, 110, 122, 144].contains(sps.profileIdc) {
            out += [0xFC | UInt8(sps.chromaFormatIdc & 3), 0xF8 | UInt8(sps.bitDepthLumaMinus8 & 7),
                    0xF8 | UInt8(sps.bitDepthChromaMinus8 & 7), 0]
        }
        return out
    }

    /// HEVCDecoderConfigurationRecord, 14496-15 8.3.3.1.
    public static func hevc(_ p: CodecParameters) -> [UInt8] {
        guard let sps = p.h265 else { return [] }
        var out: [UInt8] = [1]
        out.append(sps.generalProfileSpace << 6 | (sps.generalTierFlag ? 0x20 : 0) | sps.generalProfileIdc)
        let compat = sps.generalProfileCompatibilityFlags
        out += [UInt8(compat >> 24), UInt8(compat >> 16 & 0xFF), UInt8(compat >> 8 & 0xFF), UInt8(compat & 0xFF)]
        out += sps.generalConstraintIndicatorFlags
        out.append(sps.generalLevelIdc)
        out += [0xF0, 0x00]  // min_spatial_segmentation_idc 0
        out.append(0xFC)     // parallelismType 0 (unknown)
        out.append(0xFC | UInt8(sps.chromaFormatIdc & 3))
        out.append(0xF8 | UInt8(sps.bitDepthLumaMinus8 & 7))
        out.append(0xF8 | UInt8(sps.bitDepthChromaMinus8 & 7))
        out += [0, 0]        // avgFrameRate unspecified
        // constantFrameRate 0, numTemporalLayers, temporalIdNested, lengthSizeMinusOne 3.
        out.append(UInt8((sps.maxSubLayersMinus1 + 1) & 7) << 3 | (sps.temporalIdNesting ? 0x04 : 0) | 0x03)
        let arrays: [(UInt8, [[UInt8]])] = [(NALUnitKind.h265VPS, p.vps), (NALUnitKind.h265SPS, p.sps), (NALUnitKind.h265PPS, p.pps)]
        out.append(UInt8(arrays.count))
        for (type, nals) in arrays {
            out.append(0x80 | type)  // array_completeness 1: every parameter set is here, none in-band
            out += [UInt8(nals.count >> 8 & 0xFF), UInt8(nals.count & 0xFF)]
            for nal in nals { appendWithLength(nal, to: &out) }
        }
        return out
    }

    private static func appendWithLength(_ nal: [UInt8], to out: inout [UInt8]) {
        out += [UInt8(nal.count >> 8 & 0xFF), UInt8(nal.count & 0xFF)]
        out += nal
    }
}

extension MediaFrame {
    /// Total bytes of the NAL units a length-prefixed sample keeps (see `writeLengthPrefixed`).
    func lengthPrefixedSize(droppingParameterSets: Bool) -> Int {
        var size = 0
        for range in nalUnits where keepsInSample(range, droppingParameterSets: droppingParameterSets) {
            size += 4 + range.count
        }
        return size
    }

    /// MP4/FLV sample body: each NAL with a 4-byte big-endian length. Access unit delimiters are dropped
    /// (meaningless in a container); parameter sets too when the sample entry carries them all (`hvc1`).
    func keepsInSample(_ range: Range<Int>, droppingParameterSets: Bool) -> Bool {
        guard let header = range.isEmpty ? nil : data[range.lowerBound] else { return false }
        switch codec {
        case .h264:
            let t = NALUnitKind.h264Type(header)
            return t != NALUnitKind.h264AUD && !(droppingParameterSets && (t == NALUnitKind.h264SPS || t == NALUnitKind.h264PPS))
        case .h265:
            let t = NALUnitKind.h265Type(header)
            return t != NALUnitKind.h265AUD && !(droppingParameterSets && (32...34).contains(t))
        default:
            return true
        }
    }
}
