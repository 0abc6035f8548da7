import Foundation

/// How the RTP ingest listens (architecture.md: 30000 UDP+TCP, many streams on one port told apart by
/// SSRC; a port range as an option for devices that need a port of their own).
public struct RTPIngestConfiguration: Sendable {
    /// Address to bind; the address put in SDP `c=` is App's business (NAT).
    public var host = "0.0.0.0"
    /// The shared port, UDP and TCP (0: any free port, for tests).
    public var port = 30000
    public var udp = true
    public var tcp = true
    /// `--rtp-port-range A-B`: ports for `.udpOwnPort` / `.tcpPassiveOwnPort` streams (even ports are
    /// handed out, RTP convention, RFC 3550 11).
    public var ownPortRange: ClosedRange<Int>?
    /// Shared-port UDP sockets (SO_REUSEPORT, the kernel spreads senders across them by address hash), so
    /// receiving and demuxing use every event loop. nil: one per loop of the group.
    public var udpSockets: Int?
    /// Per UDP socket: the buffer absorbs bursts while the loop is busy (300 streams × 4 Mbit/s is
    /// 150 MB/s: 16 MB is about 100 ms). Linux caps SO_RCVBUF at net.core.rmem_max (often 4 MB or less);
    /// with `forceReceiveBuffer`, SO_RCVBUFFORCE (needs CAP_NET_ADMIN) is tried first.
    public var receiveBufferBytes = 16 << 20
    public var forceReceiveBuffer = true
    /// Datagrams read per recvmmsg(2) call.
    public var datagramsPerRead = 32
    /// RTP reorder depth (spec §6.6: a small jitter buffer).
    public var reorderDepth = 16
    /// Registered streams at most (bounds the SSRC table).
    public var maxStreams = 4096
    /// Distinct unknown SSRCs remembered for diagnostics (a flood of random SSRCs stays this small).
    public var unknownSSRCCapacity = 64
    /// A TCP connection whose SSRC matches no registration is closed after this long.
    public var unboundConnectionTimeout: Duration = .seconds(5)
    /// TCP connections not yet bound to a stream, beyond the TCP passive streams waiting for theirs.
    public var maxUnboundConnections = 256
    /// TCP active (spec §5.5, 2022 Appendix D): "retry a failed connect at least 3 times at ≥ 1 s".
    public var connectAttempts = 3
    public var connectRetryInterval: Duration = .seconds(1)
    public var connectTimeout: Duration = .seconds(3)

    public init(host: String = "0.0.0.0", port: Int = 30000) {
        self.host = host
        self.port = port
    }

    /// Parses `A-B` as given to `--rtp-port-range`.
    public static func parsePortRange(_ text: String) -> ClosedRange<Int>? {
        let parts = text.split(separator: "-").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let a = parts[0], let b = parts[1], 0 < a, a <= b, b <= 65_535 else { return nil }
        return a...b
    }
}

/// How one stream's RTP reaches us (spec §5.4 m= line, §5.5 setup).
public enum IngestTransport: Sendable, Equatable, CustomStringConvertible {
    /// UDP on the shared port, told apart by SSRC.
    case udp
    /// UDP on a port of its own from the range (any SSRC accepted: spec §5.3 🔧).
    case udpOwnPort
    /// TCP passive on the shared port: the device connects to us (RFC 4571 framing).
    case tcpPassive
    /// TCP passive on a port of its own.
    case tcpPassiveOwnPort
    /// TCP active: we connect to the device's address from its answer (`IngestLease.connect`).
    case tcpActive

    public var description: String {
        switch self {
        case .udp, .udpOwnPort: "UDP"
        case .tcpPassive, .tcpPassiveOwnPort: "TCP passive"
        case .tcpActive: "TCP active"
        }
    }

    var isShared: Bool { self == .udp || self == .tcpPassive }
}

public enum IngestError: Error, Equatable, CustomStringConvertible {
    case tableFull(capacity: Int)
    case ssrcInUse(UInt32)
    case noFreePort(ClosedRange<Int>?)
    case transportDisabled(IngestTransport)
    case notTCPActive
    case released

    public var description: String {
        switch self {
        case let .tableFull(capacity): "the RTP ingest already carries \(capacity) streams"
        case let .ssrcInUse(ssrc): "SSRC \(ssrc) is already registered on the shared port"
        case let .noFreePort(range): "no free RTP port in \(range.map { "\($0.lowerBound)-\($0.upperBound)" } ?? "(no --rtp-port-range)")"
        case let .transportDisabled(t): "RTP over \(t) is not enabled"
        case .notTCPActive: "connect(host:port:) is for TCP active streams"
        case .released: "the ingest lease was released"
        }
    }
}
