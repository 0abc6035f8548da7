/// The codecs GB/T 28181 devices send (2016 Appendix C, 2022 adds H.265 and AAC).
public enum MediaCodec: String, Sendable, Hashable, CaseIterable {
    case h264, h265, svac, g711a, g711u, aac, unknown

    public var isVideo: Bool { self == .h264 || self == .h265 || self == .svac }
    public var isAudio: Bool { self == .g711a || self == .g711u || self == .aac }

    /// ISO/IEC 13818-1 stream_type as GB PSMs write it (spec §6.2 table).
    public init(psStreamType: UInt8) {
        switch psStreamType {
        case 0x1B: self = .h264
        case 0x24: self = .h265
        case 0x80: self = .svac
        case 0x90: self = .g711a
        case 0x91: self = .g711u
        case 0x0F: self = .aac
        default: self = .unknown
        }
    }

    public var psStreamType: UInt8? {
        switch self {
        case .h264: 0x1B
        case .h265: 0x24
        case .svac: 0x80
        case .g711a: 0x90
        case .g711u: 0x91
        case .aac: 0x0F
        case .unknown: nil
        }
    }
}

/// One access unit (video) or one audio packet: the contract between every input and every output
/// (architecture.md "the frame is the contract").
///
/// Byte layout, chosen once for all demuxers and muxers:
/// - video (H.264/H.265/SVAC): **Annex B**, every NAL unit preceded by a start code exactly as it arrived
///   (3 or 4 bytes). `nalUnits` holds the ranges of the NAL units inside `data` without start codes, so
///   length-prefixed outputs (MP4 `avcC`/`hvcC`, FLV) convert without scanning again.
/// - audio: the codec's raw bytes (G.711 samples, AAC with its ADTS header as GB devices send it).
///
/// Timestamps are in the 90 kHz clock of MPEG systems and RTP video, unwrapped to 64 bits so they never
/// go backwards on a 33-bit PTS or 32-bit RTP wrap.
public struct MediaFrame: Sendable {
    public var codec: MediaCodec
    public var pts: Int64
    public var dts: Int64
    public var isKeyframe: Bool
    public var data: [UInt8]
    public var nalUnits: [Range<Int>]

    public static let clockRate: Int64 = 90_000

    /// Video frame from Annex B bytes; the NAL ranges are found here unless the caller already has them.
    public init(codec: MediaCodec, pts: Int64, dts: Int64? = nil, isKeyframe: Bool? = nil,
                annexB: [UInt8], nalUnits: [Range<Int>]? = nil) {
        self.codec = codec
        self.pts = pts
        self.dts = dts ?? pts
        self.data = annexB
        let ranges = nalUnits ?? AnnexB.nalUnitRanges(in: annexB)
        self.nalUnits = ranges
        self.isKeyframe = isKeyframe ?? NALUnitKind.containsKeyframe(codec: codec, data: annexB, nalUnits: ranges)
    }

    /// Audio frame: raw codec bytes, always a "keyframe" (every audio packet decodes alone).
    public init(audio codec: MediaCodec, pts: Int64, data: [UInt8]) {
        self.codec = codec
        self.pts = pts
        self.dts = pts
        self.isKeyframe = true
        self.data = data
        self.nalUnits = []
    }

    public var isVideo: Bool { codec.isVideo }

    /// The NAL units as array slices (no copy).
    public var nalUnitSlices: [ArraySlice<UInt8>] { nalUnits.map { data[$0] } }
}

extension MediaFrame: CustomStringConvertible {
    public var description: String {
        "MediaFrame(\(codec) pts=\(pts) dts=\(dts)\(isKeyframe ? " key" : "") \(data.count) bytes, \(nalUnits.count) NALs)"
    }
}
