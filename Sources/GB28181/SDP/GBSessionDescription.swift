/// One `m=` section of a GB/T 28181 SDP with the attributes GB peers use (spec §5.4).
public struct GBMediaDescription: Sendable, Equatable {
    /// `video` or `audio`.
    public var media: String
    /// 🔧 With `a=setup:active` in an answer the port is meaningless (often 9).
    public var port: Int
    public var transport: RTPTransport
    public var payloadTypes: [Int]
    /// Media-level `c=`, when the peer gives one.
    public var connectionAddress: String?
    public var direction: MediaDirection?
    public var rtpMaps: [RTPMap]
    /// TCP only.
    public var setup: TCPSetupRole?
    /// `a=connection:new`: a fresh TCP connection per session.
    public var connectionNew: Bool
    /// `a=downloadspeed:` (Download offers).
    public var downloadSpeed: Int?
    /// `a=filesize:` (Download answers, for progress).
    public var fileSize: Int64?
    /// `a=streamnumber:` (2022) or a vendor variant (🔧 `stream`, `streamprofile`, `streamMode:MAIN|SUB`), 0 main, 1 sub.
    public var streamNumber: Int?
    /// Every other `a=` line, verbatim without `a=`, in order.
    public var otherAttributes: [String]

    public init(media: String = "video", port: Int, transport: RTPTransport = .udp, payloadTypes: [Int] = [96],
                connectionAddress: String? = nil, direction: MediaDirection? = nil, rtpMaps: [RTPMap] = [],
                setup: TCPSetupRole? = nil, connectionNew: Bool = false, downloadSpeed: Int? = nil,
                fileSize: Int64? = nil, streamNumber: Int? = nil, otherAttributes: [String] = []) {
        self.media = media
        self.port = port
        self.transport = transport
        self.payloadTypes = payloadTypes
        self.connectionAddress = connectionAddress
        self.direction = direction
        self.rtpMaps = rtpMaps
        self.setup = setup
        self.connectionNew = connectionNew
        self.downloadSpeed = downloadSpeed
        self.fileSize = fileSize
        self.streamNumber = streamNumber
        self.otherAttributes = otherAttributes
    }

    /// The rtpmap of the first listed payload type: what the sender will actually send. Falls back to the
    /// static types of RFC 3551 for audio (8 PCMA, 0 PCMU) when the peer omitted the rtpmap.
    public var primaryFormat: RTPMap? {
        guard let first = payloadTypes.first else { return nil }
        if let map = rtpMaps.first(where: { $0.payloadType == first }) { return map }
        switch first {
        case 0: return RTPMap(payloadType: 0, encoding: "PCMU", clockRate: 8000)
        case 8: return RTPMap(payloadType: 8, encoding: "PCMA", clockRate: 8000)
        default: return nil
        }
    }

    /// True when the answered payload is MPEG-PS, false for raw elementary streams (🔧 PT 98 H264, 99/100 H265;
    /// spec §6.6: choose the depacketiser from the answer).
    public var carriesProgramStream: Bool { primaryFormat?.encoding.uppercased() == "PS" }
}

/// A GB/T 28181 session description: the INVITE offer we build and the answer a device sends (spec §5.4-§5.6).
public struct GBSessionDescription: Sendable, Equatable {
    /// `o=` username: the platform or media-server ID (devices do not care, [W] puts the device ID).
    public var originID: String
    public var originSessionID: String
    public var originVersion: String
    public var originAddress: String
    public var sessionType: GBSessionType
    /// `u=<channelID>:<param>` for Playback/Download.
    public var uri: String?
    /// Session-level `c=` address.
    public var connectionAddress: String?
    /// `t=` start and stop, Unix epoch seconds; `0 0` for live.
    public var startTime: Int64
    public var stopTime: Int64
    public var media: [GBMediaDescription]
    /// `y=` verbatim (10 decimal digits when the peer follows §5.3). The answer's value wins (spec §5.3).
    public var ssrc: String?
    /// `f=`; nil when the line is absent, an empty description for a bare `f=`.
    public var mediaFormat: MediaFormatDescription?

    public init(originID: String, originSessionID: String = "0", originVersion: String = "0", originAddress: String,
                sessionType: GBSessionType, uri: String? = nil, connectionAddress: String?, startTime: Int64 = 0,
                stopTime: Int64 = 0, media: [GBMediaDescription], ssrc: String? = nil,
                mediaFormat: MediaFormatDescription? = nil) {
        self.originID = originID
        self.originSessionID = originSessionID
        self.originVersion = originVersion
        self.originAddress = originAddress
        self.sessionType = sessionType
        self.uri = uri
        self.connectionAddress = connectionAddress
        self.startTime = startTime
        self.stopTime = stopTime
        self.media = media
        self.ssrc = ssrc
        self.mediaFormat = mediaFormat
    }

    /// The first video section (GB sessions have one).
    public var video: GBMediaDescription? { media.first { $0.media.lowercased() == "video" } ?? media.first }

    /// Where the media of `section` goes or comes from: its own `c=`, else the session's.
    public func address(of section: GBMediaDescription) -> String? {
        section.connectionAddress ?? connectionAddress
    }

    /// The RTP SSRC: the **decimal** value of `y=` (spec §5.3, not hex); nil when absent or not a 32-bit number.
    public var ssrcValue: UInt32? {
        guard let ssrc, !ssrc.isEmpty, ssrc.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return UInt32(ssrc)
    }

    /// The channel named by `u=` (text before `:`), used to route a received Playback INVITE ([W], spec §5.2).
    public var uriChannelID: String? {
        guard let uri, let channel = uri.split(separator: ":").first, !channel.isEmpty else { return nil }
        return String(channel)
    }

    /// The SDP text, CRLF line endings, in the line order of the spec's examples:
    /// v o s u c t, then per media m, direction, rtpmaps, setup, connection, downloadspeed, filesize,
    /// streamnumber and other attributes, then y and f.
    public var text: String {
        var lines = ["v=0", "o=\(originID) \(originSessionID) \(originVersion) IN IP4 \(originAddress)", "s=\(sessionType)"]
        if let uri { lines.append("u=\(uri)") }
        if let connectionAddress { lines.append("c=IN IP4 \(connectionAddress)") }
        lines.append("t=\(startTime) \(stopTime)")
        for section in media {
            let profile = section.transport == .tcp ? "TCP/RTP/AVP" : "RTP/AVP"
            lines.append("m=\(section.media) \(section.port) \(profile) " + section.payloadTypes.map(String.init).joined(separator: " "))
            if let address = section.connectionAddress { lines.append("c=IN IP4 \(address)") }
            if let direction = section.direction { lines.append("a=\(direction.rawValue)") }
            lines += section.rtpMaps.map { "a=rtpmap:\($0.attributeValue)" }
            if let setup = section.setup { lines.append("a=setup:\(setup)") }
            if section.connectionNew { lines.append("a=connection:new") }
            if let speed = section.downloadSpeed { lines.append("a=downloadspeed:\(speed)") }
            if let size = section.fileSize { lines.append("a=filesize:\(size)") }
            if let stream = section.streamNumber { lines.append("a=streamnumber:\(stream)") }
            lines += section.otherAttributes.map { "a=\($0)" }
        }
        if let ssrc { lines.append("y=\(ssrc)") }
        if let mediaFormat { lines.append("f=\(mediaFormat.text)") }
        return lines.map { $0 + "\r\n" }.joined()
    }
}
