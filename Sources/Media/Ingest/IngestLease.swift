import NIOCore
import NIOPosix

/// A stream's registration with the ingest: its SSRC on the shared port, or its own port, or its TCP
/// active connection. Releasing it (explicitly, or by dropping the last reference) frees the SSRC and
/// the port and closes its sockets, so a stream that fails at any step never leaks them.
public final class IngestLease: Sendable {
    public let key: StreamKey
    public let transport: IngestTransport
    /// The port to put in the SDP offer's m= line (0 for TCP active, where the device listens).
    public let localPort: Int
    let stream: IngestStream
    private let server: RTPIngestServer
    private let state: LockedState<(ssrc: UInt32, released: Bool)>

    init(stream: IngestStream, server: RTPIngestServer, ssrc: UInt32, localPort: Int, ownPort: Int?) {
        self.key = stream.key
        self.transport = stream.transport
        self.localPort = localPort
        self.stream = stream
        self.server = server
        state = LockedState((ssrc: ssrc, released: false))
    }

    deinit { release() }

    public var ssrc: UInt32 { state.withLock { $0.ssrc } }
    public var isReleased: Bool { state.withLock { $0.released } }

    /// "0.0.0.0:30000 UDP" — for diagnostics.
    public var localDescription: String {
        transport == .tcpActive ? "TCP active" : "\(server.configuration.host):\(localPort) \(transport)"
    }

    /// The 200 OK's `y=` wins over the offer's (spec §5.3).
    public func updateSSRC(_ ssrc: UInt32) throws {
        let old = try state.withLock { s throws(IngestError) -> UInt32 in
            guard !s.released else { throw .released }
            let old = s.ssrc
            s.ssrc = ssrc
            return old
        }
        guard old != ssrc else { return }
        do {
            try server.registry.changeSSRC(stream, from: old, to: ssrc)
        } catch {
            state.withLock { $0.ssrc = old }
            throw error
        }
        stream.setExpectedSSRC(ssrc)
    }

    /// The device's IP from its answer (`c=`): packets from it with another SSRC are then reported as
    /// "RTP arrived with another SSRC" for this stream rather than as anonymous strangers.
    public func expectSource(host: String) {
        server.registry.expectSource(host, for: stream)
    }

    /// TCP active (spec §5.5): connects to the device's `c=`/`m=` address, retrying as 2022 Appendix D
    /// asks (`connectAttempts` at `connectRetryInterval`). On failure the hub is told and this throws.
    public func connect(host: String, port: Int) async throws {
        guard transport == .tcpActive else { throw IngestError.notTCPActive }
        let c = server.configuration
        let registry = server.registry
        let stream = self.stream
        let timeout = TimeAmount(c.unboundConnectionTimeout)
        var lastError: any Error = IngestError.released
        for attempt in 1...max(1, c.connectAttempts) {
            guard !isReleased else { throw IngestError.released }
            do {
                let channel = try await ClientBootstrap(group: server.group)
                    .connectTimeout(TimeAmount(c.connectTimeout))
                    .channelOption(.socketOption(.tcp_nodelay), value: 1)
                    .channelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try RTPIngestServer.addTCPHandlers(channel, registry: registry, stream: stream,
                                                               timeout: timeout, maxUnbound: 0)
                        }
                    }
                    .connect(host: host, port: port).get()
                if isReleased { try? await channel.close() }
                return
            } catch {
                lastError = error
                if attempt < c.connectAttempts { try await Task.sleep(for: c.connectRetryInterval) }
            }
        }
        stream.reportConnectFailure(address: "\(host):\(port)", reason: "\(lastError)")
        throw PlayFailure.connectFailed(address: "\(host):\(port)", reason: "\(lastError)")
    }

    /// What arrived so far, and which other SSRCs were seen while nothing matched.
    public func diagnostics() -> IngestDiagnostics {
        stream.diagnostics(otherSSRCsOnPort: server.registry.unknownSSRCsSinceRegistration(of: stream))
    }

    /// Idempotent; safe from any thread.
    public func release() {
        let first = state.withLock { s in
            defer { s.released = true }
            return !s.released
        }
        guard first else { return }
        server.registry.remove(stream)
        stream.release()
    }
}
