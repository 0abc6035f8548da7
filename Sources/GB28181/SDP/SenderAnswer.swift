/// Where and how the sender of a stream (a device, or this platform relaying to an upper) delivers the
/// PS over RTP an INVITE's offer asks for (spec §5.5): decided before the 200 OK, because a passive
/// TCP listener's port goes into the answer.
public enum MediaDelivery: Sendable, Equatable, CustomStringConvertible {
    /// RTP over UDP to the offer's `c=`/`m=`.
    case udp(host: String, port: Int)
    /// The offer says `a=setup:passive`: the receiver listens, the sender connects (RFC 4571 framing).
    case tcpConnect(host: String, port: Int)
    /// The offer says `a=setup:active`: the sender listens and the receiver connects to the port in the answer.
    case tcpListen

    /// Nil when the offer has no video section, no address, or port 0 where the sender must send to a
    /// port (RFC 3264 §6: port 0 declines the stream; some uppers send it by mistake, 🔧 field reports).
    public init?(offer: GBSessionDescription) {
        guard let video = offer.video, let host = offer.address(of: video) else { return nil }
        switch (video.transport, video.setup) {
        case (.udp, _):
            guard (1...65535).contains(video.port) else { return nil }
            self = .udp(host: host, port: video.port)
        case (_, .active?):
            self = .tcpListen
        default:
            guard (1...65535).contains(video.port) else { return nil }
            self = .tcpConnect(host: host, port: video.port)
        }
    }

    public var description: String {
        switch self {
        case .udp(let host, let port): "RTP/UDP to \(host):\(port)"
        case .tcpConnect(let host, let port): "RTP/TCP, connecting to \(host):\(port)"
        case .tcpListen: "RTP/TCP, the receiver connects"
        }
    }
}

extension GBSessionDescription {
    /// The sender's answer to `offer` (spec §5.6 answer examples): PS on payload type 96, `a=sendonly`, the
    /// setup role opposite to the offer's for TCP (port 9 when we connect: the port is then meaningless),
    /// the offer's `s=`, `u=` and `t=` repeated, and the SSRC (`y=`) the sender will use.
    public static func senderAnswer(to offer: GBSessionDescription?, originID: String, host: String, ssrc: String?,
                                    mediaPort: Int) -> GBSessionDescription {
        let offered = offer?.video
        var section = GBMediaDescription(port: mediaPort, transport: offered?.transport ?? .udp, payloadTypes: [96],
                                         direction: .sendonly, rtpMaps: [RTPMap(payloadType: 96, encoding: "PS", clockRate: 90000)])
        switch offered?.setup {
        case .passive?: section.setup = .active; section.port = 9; section.connectionNew = true
        case .active?: section.setup = .passive; section.connectionNew = true
        default: break
        }
        return GBSessionDescription(originID: originID, originAddress: host, sessionType: offer?.sessionType ?? .play,
                                    uri: offer?.uri, connectionAddress: host, startTime: offer?.startTime ?? 0,
                                    stopTime: offer?.stopTime ?? 0, media: [section], ssrc: ssrc ?? offer?.ssrc,
                                    mediaFormat: MediaFormatDescription(parsing: ""))
    }
}
