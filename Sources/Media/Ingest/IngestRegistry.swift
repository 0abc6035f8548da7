import NIOCore

/// Which registered stream a packet on the shared port belongs to (architecture.md: one port, many
/// streams told apart by SSRC), with the exception: a stream that is the only one on the port
/// takes the first SSRC that arrives, whatever it is (spec §5.3 🔧 devices that ignore y=).
///
/// Behind a lock: it is read for every packet by each event loop's socket and written by `register`
/// and lease releases from any thread; the sections are dictionary look-ups. Lock order: registry, then
/// a stream (never the other way: streams do not call the registry).
final class IngestRegistry: Sendable {
    private struct State {
        var udp: RTPStreamTable<IngestStream>
        var tcp: RTPStreamTable<IngestStream>
        var streams: [UInt64: IngestStream] = [:]
        /// Shared-port registrations and the SSRCs (expected + taken by fallback) each owns there.
        var udpSSRCs: [UInt64: [UInt32]] = [:]
        var tcpSSRCs: [UInt64: [UInt32]] = [:]
        /// TCP passive shared-port streams with no connection yet (fallback candidates).
        var tcpAwaiting: Set<UInt64> = []
        /// Device IP (from the SDP answer) → stream, to tell "another SSRC from this device" apart.
        var bySource: [String: UInt64] = [:]
        var unknownAtRegistration: [UInt64: Int] = [:]
        var malformedPackets = 0
        var unboundConnectionsClosed = 0
        var unboundConnections = 0
        var nextID: UInt64 = 0
    }

    let capacity: Int
    private let state: LockedState<State>

    init(capacity: Int, unknownCapacity: Int) {
        self.capacity = capacity
        state = LockedState(State(udp: RTPStreamTable(capacity: capacity * 2, unknownCapacity: unknownCapacity),
                                        tcp: RTPStreamTable(capacity: capacity * 2, unknownCapacity: unknownCapacity)))
    }

    func nextID() -> UInt64 { state.withLock { $0.nextID += 1; return $0.nextID } }

    func add(_ stream: IngestStream, ssrc: UInt32) throws(IngestError) {
        try state.withLock { s throws(IngestError) in
            guard s.streams.count < capacity else { throw .tableFull(capacity: capacity) }
            switch stream.transport {
            case .udp:
                guard !s.udpSSRCs.values.contains(where: { $0.contains(ssrc) }) else { throw .ssrcInUse(ssrc) }
                try? s.udp.register(ssrc: ssrc, stream: stream)
                s.udpSSRCs[stream.id] = [ssrc]
                s.unknownAtRegistration[stream.id] = s.udp.unknownPackets
            case .tcpPassive:
                guard !s.tcpSSRCs.values.contains(where: { $0.contains(ssrc) }) else { throw .ssrcInUse(ssrc) }
                try? s.tcp.register(ssrc: ssrc, stream: stream)
                s.tcpSSRCs[stream.id] = [ssrc]
                s.tcpAwaiting.insert(stream.id)
            default:
                break
            }
            s.streams[stream.id] = stream
            Self.updateFallback(&s)
        }
    }

    func remove(_ stream: IngestStream) {
        state.withLock { s in
            guard s.streams.removeValue(forKey: stream.id) != nil else { return }
            for ssrc in s.udpSSRCs.removeValue(forKey: stream.id) ?? [] { s.udp.remove(ssrc: ssrc) }
            for ssrc in s.tcpSSRCs.removeValue(forKey: stream.id) ?? [] { s.tcp.remove(ssrc: ssrc) }
            s.tcpAwaiting.remove(stream.id)
            s.unknownAtRegistration[stream.id] = nil
            s.bySource = s.bySource.filter { $0.value != stream.id }
            Self.updateFallback(&s)
        }
    }

    /// The 200 OK's y= wins (spec §5.3): re-key the stream.
    func changeSSRC(_ stream: IngestStream, from old: UInt32, to new: UInt32) throws(IngestError) {
        try state.withLock { s throws(IngestError) in
            guard s.streams[stream.id] != nil else { throw .released }
            if stream.transport == .udp {
                guard !s.udpSSRCs.contains(where: { $0.key != stream.id && $0.value.contains(new) }) else { throw .ssrcInUse(new) }
                s.udp.remove(ssrc: old)
                try? s.udp.register(ssrc: new, stream: stream)
                s.udpSSRCs[stream.id] = (s.udpSSRCs[stream.id] ?? []).filter { $0 != old } + [new]
            } else if stream.transport == .tcpPassive {
                guard !s.tcpSSRCs.contains(where: { $0.key != stream.id && $0.value.contains(new) }) else { throw .ssrcInUse(new) }
                s.tcp.remove(ssrc: old)
                try? s.tcp.register(ssrc: new, stream: stream)
                s.tcpSSRCs[stream.id] = (s.tcpSSRCs[stream.id] ?? []).filter { $0 != old } + [new]
            }
        }
    }

    func expectSource(_ ip: String, for stream: IngestStream) {
        state.withLock { s in
            if s.streams[stream.id] != nil { s.bySource[ip] = stream.id }
        }
    }

    /// The fallback applies while exactly one stream is registered on the shared UDP port and it has
    /// not locked onto an SSRC yet; it is re-evaluated whenever the registrations change.
    private static func updateFallback(_ s: inout State) {
        if s.udpSSRCs.count == 1, let id = s.udpSSRCs.keys.first, let stream = s.streams[id], !stream.hasReceived {
            s.udp.fallback = stream
        } else {
            s.udp.fallback = nil
        }
    }

    // MARK: Per packet

    /// The stream for a packet on the shared UDP port, and whether it came in by the fallback.
    func routeUDP(ssrc: UInt32, from address: SocketAddress?) -> (stream: IngestStream, fallback: Bool)? {
        let (routed, hint): ((IngestStream, Bool)?, IngestStream?) = state.withLock { s in
            switch s.udp.route(ssrc: ssrc) {
            case let .stream(stream):
                if let f = s.udp.fallback, f === stream { s.udp.fallback = nil }
                return ((stream, false), nil)
            case let .fallback(stream):
                // Lock the stream onto this SSRC: later strangers are unknown again.
                s.udp.fallback = nil
                try? s.udp.register(ssrc: ssrc, stream: stream)
                s.udpSSRCs[stream.id, default: []].append(ssrc)
                return ((stream, true), nil)
            case .unknown:
                guard !s.bySource.isEmpty, let ip = address?.ipAddress, let id = s.bySource[ip] else { return (nil, nil) }
                return (nil, s.streams[id])
            }
        }
        hint?.noteOtherSSRC(ssrc, from: address)
        return routed
    }

    /// Binds a TCP connection on the shared port by the SSRC of its first packet, or by the fallback:
    /// the only TCP passive stream still waiting for its connection.
    func bindTCP(ssrc: UInt32) -> (stream: IngestStream, fallback: Bool)? {
        state.withLock { s in
            switch s.tcp.route(ssrc: ssrc) {
            case let .stream(stream):
                s.tcpAwaiting.remove(stream.id)
                return (stream, false)
            case .fallback, .unknown:
                guard s.tcpAwaiting.count == 1, let id = s.tcpAwaiting.first, let stream = s.streams[id] else { return nil }
                s.tcpAwaiting.remove(id)
                return (stream, true)
            }
        }
    }

    func countMalformed() { state.withLock { $0.malformedPackets += 1 } }

    /// Admits an unbound TCP connection if under the limit: strangers beyond the streams that wait for a
    /// connection (a camera may connect a while before it sends).
    func admitUnboundConnection(limit: Int) -> Bool {
        state.withLock { s in
            guard s.unboundConnections < limit + s.tcpAwaiting.count else {
                s.unboundConnectionsClosed += 1
                return false
            }
            s.unboundConnections += 1
            return true
        }
    }

    func unboundConnectionEnded(closedUnbound: Bool) {
        state.withLock { s in
            s.unboundConnections -= 1
            if closedUnbound { s.unboundConnectionsClosed += 1 }
        }
    }

    /// Unknown SSRCs on the shared UDP port since `stream` registered (most frequent first).
    func unknownSSRCsSinceRegistration(of stream: IngestStream) -> [UInt32] {
        state.withLock { s in
            guard stream.transport == .udp, let before = s.unknownAtRegistration[stream.id],
                  s.udp.unknownPackets > before else { return [] }
            return s.udp.unknownSSRCs.sorted { $0.value > $1.value }.prefix(4).map(\.key)
        }
    }

    var statistics: IngestStatistics {
        state.withLock { s in
            IngestStatistics(registeredStreams: s.streams.count, sharedUDPSSRCs: s.udp.count, sharedTCPSSRCs: s.tcp.count,
                             unknownPackets: s.udp.unknownPackets + s.tcp.unknownPackets,
                             unknownSSRCsRemembered: s.udp.unknownSSRCs.count + s.tcp.unknownSSRCs.count,
                             malformedPackets: s.malformedPackets, unboundConnections: s.unboundConnections,
                             unboundConnectionsClosed: s.unboundConnectionsClosed, portsInUse: 0)
        }
    }
}

/// Ingest-wide counters (bad input is counted, never fatal).
public struct IngestStatistics: Sendable, Equatable {
    public var registeredStreams: Int
    public var sharedUDPSSRCs: Int
    public var sharedTCPSSRCs: Int
    /// Packets on the shared port whose SSRC matched no registration.
    public var unknownPackets: Int
    /// Distinct unknown SSRCs kept for diagnostics (bounded by `unknownSSRCCapacity`).
    public var unknownSSRCsRemembered: Int
    /// Datagrams or TCP frames that are not RTP (too short, version ≠ 2, ...).
    public var malformedPackets: Int
    public var unboundConnections: Int
    public var unboundConnectionsClosed: Int
    public var portsInUse: Int
}
