/// What a muxer needs to describe a video track, read from the parameter sets (H.264 SPS/PPS,
/// H.265 VPS/SPS/PPS). Parameter sets are kept without start codes and with emulation prevention bytes
/// (exactly as they go into `avcC`/`hvcC`).
public struct CodecParameters: Sendable, Equatable {
    public var codec: MediaCodec
    public var vps: [[UInt8]]
    public var sps: [[UInt8]]
    public var pps: [[UInt8]]
    public var width: Int
    public var height: Int
    /// H.264 profile_idc / H.265 general_profile_idc.
    public var profile: Int
    /// H.264 level_idc (e.g. 40 = 4.0) / H.265 general_level_idc (30 × level, e.g. 120 = 4.0).
    public var level: Int
    /// Frames per second from VUI timing info when the SPS has it.
    public var frameRate: Double?
    /// The parsed SPS fields (profile compatibility, chroma format, bit depths, H.265 PTL bytes).
    public var h264: H264SPS?
    public var h265: H265SPS?

    public init(codec: MediaCodec, vps: [[UInt8]] = [], sps: [[UInt8]], pps: [[UInt8]],
                width: Int, height: Int, profile: Int, level: Int, frameRate: Double?,
                h264: H264SPS? = nil, h265: H265SPS? = nil) {
        self.codec = codec
        self.vps = vps
        self.sps = sps
        self.pps = pps
        self.width = width
        self.height = height
        self.profile = profile
        self.level = level
        self.frameRate = frameRate
        self.h264 = h264
        self.h265 = h265
    }

    /// RFC 6381 codec string for MSE / HLS, e.g. `avc1.64002a` or `hvc1.1.6.L120.90`.
    public var rfc6381Codec: String {
        if let s = h264 {
            return "avc1." + hex2(s.profileIdc) + hex2(s.constraintFlags) + hex2(s.levelIdc)
        }
        if let s = h265 {
            return s.rfc6381Codec
        }
        return codec.rawValue
    }

    private func hex2(_ v: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(v >> 4)], digits[Int(v & 0x0F)]])
    }
}
