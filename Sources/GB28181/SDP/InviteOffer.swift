/// What an INVITE asks for (spec §5.1): live, or a recorded time range to play back or download.
public enum MediaRequest: Sendable, Equatable {
    case live
    /// Unix epoch seconds, device-local recording times converted by the caller.
    case playback(start: Int64, end: Int64)
    /// `speed` goes into `a=downloadspeed:` (the device's maximum speed-up, 1/2/4...).
    case download(start: Int64, end: Int64, speed: Int)

    var sessionType: GBSessionType {
        switch self {
        case .live: return .play
        case .playback: return .playback
        case .download: return .download
        }
    }
}

/// How we want to receive the stream (spec §5.5).
public enum MediaReceiveMode: Sendable, Equatable {
    case udp
    /// We listen on our port; the device connects (`a=setup:passive`; crosses NAT, 2022 Appendix D's preference).
    case tcpPassive
    /// We connect to the device's port from its answer (`a=setup:active`).
    case tcpActive
}

extension GBSessionDescription {
    /// Builds the platform's INVITE offer exactly in the shape of the spec's §5.6 examples.
    ///
    /// - Parameters:
    ///   - originID: platform or media-server ID for `o=`.
    ///   - channelID: the channel; goes into `u=<channelID>:<uriParameter>` for Playback/Download.
    ///   - uriParameter: ⚠️ `0` is what [W] and others send; its meaning is not verified (spec §10.2).
    ///   - address: our receive IP (`o=` and `c=`).
    ///   - port: our receive port (`m=`).
    ///   - ssrc: the SSRC we expect; its kind should match the request (0 live, 1 historical).
    public static func offer(_ request: MediaRequest, originID: String, channelID: String, address: String, port: Int,
                             mode: MediaReceiveMode = .udp, ssrc: GBSSRC, uriParameter: String = "0",
                             rtpMaps: [RTPMap] = RTPMap.gbVideoOffer) -> GBSessionDescription {
        var media = GBMediaDescription(port: port, transport: mode == .udp ? .udp : .tcp,
                                       payloadTypes: rtpMaps.map(\.payloadType), direction: .recvonly, rtpMaps: rtpMaps)
        switch mode {
        case .udp: break
        case .tcpPassive: media.setup = .passive; media.connectionNew = true
        case .tcpActive: media.setup = .active; media.connectionNew = true
        }
        var description = GBSessionDescription(originID: originID, originAddress: address, sessionType: request.sessionType,
                                               connectionAddress: address, media: [media], ssrc: ssrc.description)
        switch request {
        case .live:
            break
        case let .playback(start, end):
            description.uri = "\(channelID):\(uriParameter)"
            (description.startTime, description.stopTime) = (start, end)
        case let .download(start, end, speed):
            description.uri = "\(channelID):\(uriParameter)"
            (description.startTime, description.stopTime) = (start, end)
            description.media[0].downloadSpeed = speed
        }
        return description
    }
}
