import Logging
import NIOCore

/// The receive side of one registered stream: SSRC check, reorder, PS demux (`PSOverRTPReceiver`), then
/// frames to the sink, all on the thread of the socket the packet came in on.
///
/// Why a lock and not an event loop: a stream's packets arrive on whichever loop owns its socket (one
/// of the SO_REUSEPORT UDP sockets, a TCP connection, its own port), which is not known when it
/// registers. In practice one thread touches it, so the lock is uncontended (tens of ns per packet),
/// and it keeps frames in order if a device ever moves between sockets. Frames are handed to the sink
/// under the lock for the same reason; the sink never calls back into the ingest.
final class IngestStream: Sendable {
    private struct State {
        var expectedSSRC: UInt32
        /// The SSRC this stream locked onto: the expected one, or the first one taken as the only stream
        /// on its port/connection.
        var lockedSSRC: UInt32?
        var receiver: PSOverRTPReceiver?
        var packets = 0
        var bytes = 0
        var otherSSRCPackets = 0
        var reportedSSRCs: [UInt32] = []
        var channels: [any Channel] = []
        var released = false
        var closedByUs = false
    }

    let id: UInt64
    let key: StreamKey
    let transport: IngestTransport
    private let sink: any MediaFrameSink
    private let logger: Logger
    private let reorderDepth: Int
    private let state: LockedState<State>

    static let maxReportedSSRCs = 8

    init(id: UInt64, key: StreamKey, ssrc: UInt32, transport: IngestTransport, sink: any MediaFrameSink,
         reorderDepth: Int, logger: Logger) {
        self.id = id
        self.key = key
        self.transport = transport
        self.sink = sink
        self.reorderDepth = reorderDepth
        self.logger = logger
        state = LockedState(State(expectedSSRC: ssrc))
    }

    var expectedSSRC: UInt32 { state.withLock { $0.expectedSSRC } }
    var hasReceived: Bool { state.withLock { $0.lockedSSRC != nil } }

    func setExpectedSSRC(_ ssrc: UInt32) {
        state.withLock { $0.expectedSSRC = ssrc }
    }

    /// `acceptAnySSRC`: the stream is the only one on this port or connection, so the first SSRC that
    /// arrives is taken even if it is not the one asked for (spec §5.3 🔧, logged and reported).
    func receive(_ packet: RTPPacket, from address: SocketAddress?, acceptAnySSRC: Bool) {
        state.withLock { s in
            guard !s.released else { return }
            if s.lockedSSRC == nil {
                guard packet.ssrc == s.expectedSSRC || acceptAnySSRC else {
                    reportOther(packet.ssrc, from: address, accepted: false, &s)
                    return
                }
                if packet.ssrc != s.expectedSSRC { reportOther(packet.ssrc, from: address, accepted: true, &s) }
                s.lockedSSRC = packet.ssrc
                sink.report(.rtpArrived(ssrc: packet.ssrc, from: address.map(Self.describe)), for: key)
            } else if packet.ssrc != s.lockedSSRC {
                reportOther(packet.ssrc, from: address, accepted: false, &s)
                return
            }
            s.packets += 1
            s.bytes += packet.payload.readableBytes
            if s.receiver == nil {
                s.receiver = PSOverRTPReceiver(ssrc: packet.ssrc, reorderDepth: reorderDepth)
            }
            let frames = s.receiver!.receive(packet, arrival: Self.arrivalClock())
            if !frames.isEmpty { sink.deliver(frames, to: key) }
        }
    }

    /// An unknown SSRC seen from this stream's device (by source address) on a shared port.
    func noteOtherSSRC(_ ssrc: UInt32, from address: SocketAddress?) {
        state.withLock { s in
            guard !s.released, s.lockedSSRC == nil else { return }
            reportOther(ssrc, from: address, accepted: false, &s)
        }
    }

    private func reportOther(_ ssrc: UInt32, from address: SocketAddress?, accepted: Bool, _ s: inout State) {
        s.otherSSRCPackets += accepted ? 0 : 1
        guard !s.reportedSSRCs.contains(ssrc), s.reportedSSRCs.count < Self.maxReportedSSRCs else { return }
        s.reportedSSRCs.append(ssrc)
        let from = address.map(Self.describe)
        logger.warning("RTP with another SSRC than asked", metadata: [
            "stream": "\(key)", "expected": "\(s.expectedSSRC)", "received": "\(ssrc)",
            "from": "\(from ?? "?")", "accepted": "\(accepted)",
        ])
        sink.report(.ssrcMismatch(expected: s.expectedSSRC, received: ssrc, from: from, accepted: accepted), for: key)
    }

    /// Keeps a channel (own port, TCP connection) to close on release; closes it at once if released.
    func attach(_ channel: any Channel) {
        let keep = state.withLock { s in
            if !s.released { s.channels.append(channel) }
            return !s.released
        }
        if !keep { channel.close(promise: nil) }
    }

    /// A TCP connection of this stream ended. Unless we closed it, the device ended the stream.
    func connectionClosed(_ channel: any Channel, address: String) {
        let report = state.withLock { s in
            s.channels.removeAll { $0 === channel }
            return !s.released
        }
        if report { sink.report(.connectionClosed(address: address), for: key) }
    }

    func reportConnectFailure(address: String, reason: String) {
        guard !state.withLock({ $0.released }) else { return }
        sink.report(.connectFailed(address: address, reason: reason), for: key)
    }

    /// Stops taking packets and closes its channels; the reorder buffer's last frames are dropped
    /// (the stream is being stopped, nobody waits for them). The receiver's statistics stay readable.
    func release() {
        let channels: [any Channel] = state.withLock { s in
            guard !s.released else { return [] }
            s.released = true
            defer { s.channels.removeAll() }
            return s.channels
        }
        for channel in channels { channel.close(promise: nil) }
    }

    var isReleased: Bool { state.withLock { $0.released } }

    func diagnostics(otherSSRCsOnPort: [UInt32]) -> IngestDiagnostics {
        state.withLock { s in
            var others = s.lockedSSRC == nil ? s.reportedSSRCs : []
            for ssrc in otherSSRCsOnPort where !others.contains(ssrc) && s.lockedSSRC == nil { others.append(ssrc) }
            return IngestDiagnostics(packets: s.packets, bytes: s.bytes, lockedSSRC: s.lockedSSRC,
                                     otherSSRCs: others, otherSSRCPackets: s.otherSSRCPackets,
                                     rtp: s.receiver?.rtp.stats, demux: s.receiver?.demuxer.stats)
        }
    }

    /// RTP video clock (90 kHz) from the monotonic clock, for jitter (RFC 3550 A.8).
    static func arrivalClock() -> Int64 {
        Int64(NIODeadline.now().uptimeNanoseconds / 100_000 * 9)
    }

    static func describe(_ address: SocketAddress) -> String {
        if let ip = address.ipAddress, let port = address.port { return "\(ip):\(port)" }
        return "\(address)"
    }
}

/// What the ingest saw of one stream, for "no RTP" / "another SSRC" diagnostics and for counters.
public struct IngestDiagnostics: Sendable {
    public var packets: Int
    public var bytes: Int
    public var lockedSSRC: UInt32?
    /// SSRCs that arrived instead of the expected one while the stream had nothing (from its device, or
    /// unknown on its shared port since it registered).
    public var otherSSRCs: [UInt32]
    public var otherSSRCPackets: Int
    public var rtp: RTPReceptionStats?
    public var demux: PSDemuxStats?
}
