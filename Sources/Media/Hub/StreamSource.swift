/// What App implements to open and close an upstream (spec §5.1): check the device is online, register
/// the SSRC with the ingest, send the INVITE, wait for the 200 OK and ACK; later send BYE.
///
/// `start` should throw a `PlayFailure` (`.deviceOffline`, `.inviteRefused`, ...) so the viewer learns at
/// which step the play failed; any other error is reported as `.sourceFailed`. It should honour task
/// cancellation (the hub cancels it on its answer timeout, or when every viewer has left): CANCEL the
/// INVITE and release what it registered. An `IngestLease` dropped on a throw releases itself.
public protocol StreamSource: Sendable {
    func start(_ key: StreamKey) async throws -> UpstreamSession
    /// Sends BYE. The hub releases `session.lease` itself, whether or not this succeeds.
    func stop(_ session: UpstreamSession) async
}

/// A running upstream, as `StreamSource.start` returns it.
public struct UpstreamSession: Sendable {
    /// The dialog (Call-ID) or anything the source needs to stop it.
    public var id: String
    /// Where RTP is expected, for messages ("192.168.1.10:30000 UDP"); taken from `lease` when empty.
    public var receiveAddress: String
    /// The SSRC the answer agreed (the 200 OK's `y=` wins, spec §5.3).
    public var ssrc: UInt32?
    /// The ingest registration; the hub owns it from here and releases it when the stream stops.
    public var lease: IngestLease?

    public init(id: String, receiveAddress: String = "", ssrc: UInt32? = nil, lease: IngestLease? = nil) {
        self.id = id
        self.receiveAddress = receiveAddress
        self.ssrc = ssrc ?? lease?.ssrc
        self.lease = lease
    }

    var receiveAddressDescription: String {
        if !receiveAddress.isEmpty { return receiveAddress }
        return lease?.localDescription ?? "?"
    }
}

/// Where the ingest side hands frames and events; `StreamHub` is the implementation. Called on NIO
/// event-loop threads, so it must not block and must not suspend.
public protocol MediaFrameSink: Sendable {
    func deliver(_ frames: [MediaFrame], to key: StreamKey)
    func report(_ event: IngestEvent, for key: StreamKey)
}

/// What the ingest side observes about one registered stream.
public enum IngestEvent: Sendable, Equatable {
    /// The first RTP packet of the stream (spec §5.1: expected within a few seconds of ACK).
    case rtpArrived(ssrc: UInt32, from: String?)
    /// Packets with another SSRC than registered: `accepted` when the stream was the only one on its
    /// port or connection and took them (spec §5.3 🔧 devices that ignore y=), otherwise dropped.
    case ssrcMismatch(expected: UInt32, received: UInt32, from: String?, accepted: Bool)
    /// The device closed the RTP-over-TCP connection: the stream ended.
    case connectionClosed(address: String)
    /// TCP active: every connect attempt to the device's address failed.
    case connectFailed(address: String, reason: String)
    /// The source failed mid-stream for a reason of its own (a transcoder that died): the stream fails
    /// with that `PlayFailure`.
    case failed(PlayFailure)
}
