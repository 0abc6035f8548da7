extension CodecParameters {
    /// Reads the parameter sets carried in a video frame (GB devices repeat them before every IDR).
    /// nil when the frame lacks an SPS or PPS (or a VPS for H.265), or the SPS does not parse.
    public init?(frame: MediaFrame) {
        var vps: [[UInt8]] = []
        var sps: [[UInt8]] = []
        var pps: [[UInt8]] = []
        for range in frame.nalUnits where !range.isEmpty {
            let header = frame.data[range.lowerBound]
            switch frame.codec {
            case .h264:
                switch NALUnitKind.h264Type(header) {
                case NALUnitKind.h264SPS: sps.append(Array(frame.data[range]))
                case NALUnitKind.h264PPS: pps.append(Array(frame.data[range]))
                default: break
                }
            case .h265:
                switch NALUnitKind.h265Type(header) {
                case NALUnitKind.h265VPS: vps.append(Array(frame.data[range]))
                case NALUnitKind.h265SPS: sps.append(Array(frame.data[range]))
                case NALUnitKind.h265PPS: pps.append(Array(frame.data[range]))
                default: break
                }
            default:
                return nil
            }
        }
        self.init(codec: frame.codec, vps: vps, sps: sps, pps: pps)
    }

    /// Builds the parameters from raw parameter-set NAL units (no start codes).
    public init?(codec: MediaCodec, vps: [[UInt8]], sps: [[UInt8]], pps: [[UInt8]]) {
        guard let firstSPS = sps.first, !pps.isEmpty else { return nil }
        switch codec {
        case .h264:
            guard let parsed = try? H264SPS(nal: firstSPS) else { return nil }
            self.init(codec: .h264, sps: sps, pps: pps, width: parsed.width, height: parsed.height,
                      profile: Int(parsed.profileIdc), level: Int(parsed.levelIdc), frameRate: parsed.frameRate, h264: parsed)
        case .h265:
            guard !vps.isEmpty, let parsed = try? H265SPS(nal: firstSPS) else { return nil }
            self.init(codec: .h265, vps: vps, sps: sps, pps: pps, width: parsed.width, height: parsed.height,
                      profile: Int(parsed.generalProfileIdc), level: Int(parsed.generalLevelIdc),
                      frameRate: parsed.frameRate, h265: parsed)
        default:
            return nil
        }
    }
}
