/// `s=` of a GB/T 28181 SDP (spec §5.4). Compared case-insensitively ("DoWnload" appears in OCR'd copies).
public enum GBSessionType: Sendable, Equatable, CustomStringConvertible {
    case play, playback, download
    /// Intercom, 2016 only (dropped in 2022 [D22]).
    case talk
    case other(String)

    public init(_ raw: String) {
        switch raw.trimmed.lowercased() {
        case "play": self = .play
        case "playback": self = .playback
        case "download": self = .download
        case "talk": self = .talk
        default: self = .other(raw.trimmed)
        }
    }

    public var description: String {
        switch self {
        case .play: return "Play"
        case .playback: return "Playback"
        case .download: return "Download"
        case .talk: return "Talk"
        case .other(let raw): return raw
        }
    }

    /// Digit 1 of the SSRC: `0` live, `1` historical (spec §5.3).
    public var ssrcKind: GBSSRC.Kind { self == .playback || self == .download ? .historical : .live }
}

/// RTP transport of an `m=` line.
public enum RTPTransport: Sendable, Equatable {
    /// `RTP/AVP`.
    case udp
    /// `TCP/RTP/AVP` (spec §5.5; RFC 4571 framing).
    case tcp
}

/// `a=setup:` (RFC 4145 semantics, spec §5.5).
public enum TCPSetupRole: Sendable, Equatable, CustomStringConvertible {
    /// We (or the answerer) connect.
    case active
    /// We (or the answerer) listen on the m= port.
    case passive
    case actpass
    case other(String)

    public init(_ raw: String) {
        switch raw.trimmed.lowercased() {
        case "active": self = .active
        case "passive": self = .passive
        case "actpass": self = .actpass
        default: self = .other(raw.trimmed)
        }
    }

    public var description: String {
        switch self {
        case .active: return "active"
        case .passive: return "passive"
        case .actpass: return "actpass"
        case .other(let raw): return raw
        }
    }
}

/// `a=sendonly|recvonly|sendrecv|inactive`.
public enum MediaDirection: String, Sendable, Equatable, CaseIterable {
    case sendonly, recvonly, sendrecv, inactive
}

/// One `a=rtpmap:` line.
public struct RTPMap: Sendable, Equatable {
    public var payloadType: Int
    /// `PS`, `MPEG4`, `H264`, `H265`, `PCMA`, ...
    public var encoding: String
    public var clockRate: Int?
    /// Anything after the clock rate (`/1` channel count for audio).
    public var parameters: String?

    public init(payloadType: Int, encoding: String, clockRate: Int? = 90000, parameters: String? = nil) {
        self.payloadType = payloadType
        self.encoding = encoding
        self.clockRate = clockRate
        self.parameters = parameters
    }

    /// The three payload types a GB offer lists (spec §5.4): 96 PS is the one that matters.
    public static let gbVideoOffer = [
        RTPMap(payloadType: 96, encoding: "PS"), RTPMap(payloadType: 97, encoding: "MPEG4"),
        RTPMap(payloadType: 98, encoding: "H264"),
    ]

    /// `96 PS/90000`.
    var attributeValue: String {
        var text = "\(payloadType) \(encoding)"
        if let clockRate { text += "/\(clockRate)" }
        if let parameters { text += "/\(parameters)" }
        return text
    }

    init?(attributeValue: String) {
        let parts = attributeValue.trimmed.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, let type = Int(parts[0]) else { return nil }
        let codec = parts[1].split(separator: "/", maxSplits: 2).map { String($0).trimmed }
        guard let name = codec.first, !name.isEmpty else { return nil }
        self.init(payloadType: type, encoding: name, clockRate: codec.count > 1 ? Int(codec[1]) : nil,
                  parameters: codec.count > 2 ? codec[2] : nil)
    }
}

/// `f=v/<codec>/<resolution>/<framerate>/<ratetype>/<bitrate>a/<codec>/<bitrate>/<samplerate>` (spec §5.4).
/// Empty fields keep their slashes; most devices send `f=` empty.
public struct MediaFormatDescription: Sendable, Equatable {
    /// 1 MPEG-4, 2 H.264, 3 SVAC, 4 3GP, (2022) 5 H.265.
    public var videoCodec: Int?
    /// 1 QCIF, 2 CIF, 3 4CIF, 4 D1, 5 720P, 6 1080P/I; kept as text (several may be joined, 2022 extends it).
    public var resolution: String?
    public var frameRate: Int?
    /// 1 CBR, 2 VBR.
    public var rateType: Int?
    /// kbit/s.
    public var videoBitrate: Int?
    /// 1 G.711, 2 G.723.1, 3 G.729, 4 G.722.1, (2022) 5 SVAC, 6 AAC.
    public var audioCodec: Int?
    /// Code: 1 5.3 ... 8 64 kbit/s.
    public var audioBitrate: Int?
    /// Code: 1 8, 2 14, 3 16, 4 32 kHz.
    public var sampleRate: Int?

    public init(videoCodec: Int? = nil, resolution: String? = nil, frameRate: Int? = nil, rateType: Int? = nil,
                videoBitrate: Int? = nil, audioCodec: Int? = nil, audioBitrate: Int? = nil, sampleRate: Int? = nil) {
        self.videoCodec = videoCodec
        self.resolution = resolution
        self.frameRate = frameRate
        self.rateType = rateType
        self.videoBitrate = videoBitrate
        self.audioCodec = audioCodec
        self.audioBitrate = audioBitrate
        self.sampleRate = sampleRate
    }

    /// Lenient: missing parts, non-numeric fields and missing `a/` become nil rather than errors.
    public init(parsing raw: String) {
        self.init()
        var text = Substring(raw.trimmed)
        guard !text.isEmpty else { return }
        if text.lowercased().hasPrefix("v/") { text = text.dropFirst(2) }
        let audioStart = text.firstIndex { $0 == "a" || $0 == "A" }
        let videoPart = audioStart.map { text[..<$0] } ?? text
        let video = videoPart.split(separator: "/", omittingEmptySubsequences: false).map { String($0).trimmed }
        func field(_ fields: [String], _ index: Int) -> String? {
            index < fields.count && !fields[index].isEmpty ? fields[index] : nil
        }
        videoCodec = field(video, 0).flatMap { Int($0) }
        resolution = field(video, 1)
        frameRate = field(video, 2).flatMap { Int($0) }
        rateType = field(video, 3).flatMap { Int($0) }
        videoBitrate = field(video, 4).flatMap { Int($0) }
        guard let audioStart else { return }
        var audioPart = text[text.index(after: audioStart)...]
        if audioPart.first == "/" { audioPart = audioPart.dropFirst() }
        let audio = audioPart.split(separator: "/", omittingEmptySubsequences: false).map { String($0).trimmed }
        audioCodec = field(audio, 0).flatMap { Int($0) }
        audioBitrate = field(audio, 1).flatMap { Int($0) }
        sampleRate = field(audio, 2).flatMap { Int($0) }
    }

    public var isEmpty: Bool { self == MediaFormatDescription() }

    /// Empty when no field is set (the usual `f=`), otherwise the full slash form.
    public var text: String {
        guard !isEmpty else { return "" }
        func render(_ value: Int?) -> String { value.map(String.init) ?? "" }
        return "v/\(render(videoCodec))/\(resolution ?? "")/\(render(frameRate))/\(render(rateType))/\(render(videoBitrate))"
            + "a/\(render(audioCodec))/\(render(audioBitrate))/\(render(sampleRate))"
    }
}
