import Foundation
import Logging
import NIOCore
import NIOPosix

/// Receives GB/T 28181 media (PS over RTP, spec §6) for every stream and hands frames to a
/// `MediaFrameSink` (the `StreamHub`): UDP and TCP on one shared port told apart by SSRC, optionally a
/// port per stream, and TCP active connections to devices.
///
/// App's `StreamSource` registers the SSRC before sending the INVITE (the device may send before the
/// 200 OK is processed, spec §6.5), updates it from the answer, and gives the lease to the hub inside the
/// `UpstreamSession`; the hub releases it when the stream stops.
public final class RTPIngestServer: Sendable {
    public let configuration: RTPIngestConfiguration
    /// The shared port actually bound (differs from the configuration when it asked for port 0).
    public let port: Int
    let group: any EventLoopGroup
    let registry: IngestRegistry
    let sink: any MediaFrameSink
    let logger: Logger
    let ports: RTPPortAllocator?
    private let channels: [any Channel]

    private init(configuration: RTPIngestConfiguration, port: Int, group: any EventLoopGroup, registry: IngestRegistry,
                 sink: any MediaFrameSink, logger: Logger, channels: [any Channel]) {
        self.configuration = configuration
        self.port = port
        self.group = group
        self.registry = registry
        self.sink = sink
        self.logger = logger
        self.ports = configuration.ownPortRange.map(RTPPortAllocator.init(range:))
        self.channels = channels
    }

    /// Binds the shared port (UDP sockets and the TCP listener) on `group`. With port 0 the number the
    /// kernel picks for UDP may already be taken on TCP (by any client connection's ephemeral port), so
    /// a few other numbers are tried before giving up.
    public static func start(configuration: RTPIngestConfiguration, group: any EventLoopGroup, sink: any MediaFrameSink,
                             logger: Logger = Logger(label: "gbshare.media.ingest")) async throws -> RTPIngestServer {
        var attempt = 0
        while true {
            do {
                return try await startOnce(configuration: configuration, group: group, sink: sink, logger: logger)
            } catch let error as IOError where configuration.port == 0 && error.errnoCode == EADDRINUSE && attempt < 8 {
                attempt += 1
            }
        }
    }

    private static func startOnce(configuration: RTPIngestConfiguration, group: any EventLoopGroup, sink: any MediaFrameSink,
                                  logger: Logger) async throws -> RTPIngestServer {
        let registry = IngestRegistry(capacity: configuration.maxStreams, unknownCapacity: configuration.unknownSSRCCapacity)
        var channels: [any Channel] = []
        var port = configuration.port
        do {
            if configuration.udp {
                let count = max(1, configuration.udpSockets ?? group.makeIterator().reduce(0) { n, _ in n + 1 })
                port = try await claimUDPPort(host: configuration.host, port: port, group: group)
                for _ in 0..<count {
                    let channel = try await bindSharedUDP(configuration, port: port, group: group, registry: registry)
                    channels.append(channel)
                    port = channel.localAddress?.port ?? port
                }
            }
            if configuration.tcp {
                let channel = try await listenTCP(host: configuration.host, port: port, group: group, registry: registry,
                                                  stream: nil, configuration: configuration)
                channels.append(channel)
                port = channel.localAddress?.port ?? port
            }
        } catch {
            for channel in channels { try? await channel.close() }
            throw error
        }
        logger.info("RTP ingest listening", metadata: ["host": "\(configuration.host)", "port": "\(port)"])
        return RTPIngestServer(configuration: configuration, port: port, group: group, registry: registry,
                               sink: sink, logger: logger, channels: channels)
    }

    public func shutdown() async {
        for channel in channels { try? await channel.close() }
    }

    /// Registers a stream before the INVITE. For own-port transports the port is bound here; for
    /// `.tcpActive` call `connect(host:port:)` on the lease once the answer names the device's port.
    public func register(ssrc: UInt32, key: StreamKey, transport: IngestTransport = .udp) async throws -> IngestLease {
        if (transport == .udp && !configuration.udp) || (transport == .tcpPassive && !configuration.tcp) {
            throw IngestError.transportDisabled(transport)
        }
        let stream = IngestStream(id: registry.nextID(), key: key, ssrc: ssrc, transport: transport, sink: sink,
                                  reorderDepth: configuration.reorderDepth, logger: logger)
        try registry.add(stream, ssrc: ssrc)
        var localPort = port
        var ownPort: Int?
        do {
            switch transport {
            case .udp, .tcpPassive, .tcpActive:
                break
            case .udpOwnPort, .tcpPassiveOwnPort:
                let (port, channel) = try await bindOwnPort(for: stream)
                stream.attach(channel)
                localPort = port
                ownPort = port
            }
        } catch {
            registry.remove(stream)
            stream.release()
            throw error
        }
        return IngestLease(stream: stream, server: self, ssrc: ssrc, localPort: transport == .tcpActive ? 0 : localPort,
                           ownPort: ownPort)
    }

    public var statistics: IngestStatistics {
        var s = registry.statistics
        s.portsInUse = ports?.inUse ?? 0
        return s
    }

    // MARK: Binding

    /// SO_REUSEPORT lets any socket of the same user join the group on a port, so a second process (or,
    /// for port 0, another group the kernel picked the same number for) would silently take a share of
    /// the streams. A plain bind first proves the port is free (and picks it, for port 0); the tiny window
    /// before the group binds is acceptable for a server that starts once.
    private static func claimUDPPort(host: String, port: Int, group: any EventLoopGroup) async throws -> Int {
        let probe = try await DatagramBootstrap(group: group).bind(host: host, port: port).get()
        let claimed = probe.localAddress?.port ?? port
        try await probe.close()
        return claimed
    }

    private static func bindSharedUDP(_ c: RTPIngestConfiguration, port: Int, group: any EventLoopGroup,
                                      registry: IngestRegistry) async throws -> any Channel {
        try await bindUDP(c, port: port, group: group) { SharedUDPIngestHandler(registry: registry) }
    }

    /// Binds with SO_RCVBUFFORCE when allowed, else with SO_RCVBUF (capped by rmem_max).
    static func bindUDP(_ c: RTPIngestConfiguration, port: Int, group: any EventLoopGroup,
                        handler: @escaping @Sendable () -> any ChannelHandler) async throws -> any Channel {
        let forced = NIOBSDSocket.Option(rawValue: SO_RCVBUFFORCE)
        for option in c.forceReceiveBuffer ? [forced, .so_rcvbuf] : [.so_rcvbuf] {
            do {
                return try await udpBootstrap(c, group: group)
                    .channelOption(.socketOption(option), value: SocketOptionValue(c.receiveBufferBytes))
                    .channelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(handler()) }
                    }
                    .bind(host: c.host, port: port).get()
            } catch let error as IOError where option == forced && error.errnoCode == EPERM {
                continue
            }
        }
        throw IngestError.noFreePort(nil)
    }

    private static func udpBootstrap(_ c: RTPIngestConfiguration, group: any EventLoopGroup) -> DatagramBootstrap {
        DatagramBootstrap(group: group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            // Several sockets on the shared port, one per event loop; the kernel keeps a sender on one.
            .channelOption(.socketOption(NIOBSDSocket.Option(rawValue: SO_REUSEPORT)), value: 1)
            .channelOption(.datagramVectorReadMessageCount, value: max(1, c.datagramsPerRead))
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 2048 * max(1, c.datagramsPerRead)))
    }

    static func listenTCP(host: String, port: Int, group: any EventLoopGroup, registry: IngestRegistry,
                          stream: IngestStream?, configuration c: RTPIngestConfiguration) async throws -> any Channel {
        let timeout = TimeAmount(c.unboundConnectionTimeout)
        let maxUnbound = c.maxUnboundConnections
        return try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try addTCPHandlers(channel, registry: registry, stream: stream, timeout: timeout, maxUnbound: maxUnbound)
                }
            }
            .bind(host: host, port: port).get()
    }

    static func addTCPHandlers(_ channel: any Channel, registry: IngestRegistry, stream: IngestStream?,
                               timeout: TimeAmount, maxUnbound: Int) throws {
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(RFC4571FrameDecoder()))
        try channel.pipeline.syncOperations.addHandler(
            TCPIngestHandler(registry: registry, stream: stream, unboundTimeout: timeout, maxUnbound: maxUnbound))
    }

    private func bindOwnPort(for stream: IngestStream) async throws -> (Int, any Channel) {
        guard let ports else { throw IngestError.noFreePort(nil) }
        // A port of the range may be taken by another program: try a few.
        for _ in 0..<min(8, ports.capacity) {
            guard let port = ports.allocate() else { break }
            do {
                let channel: any Channel
                if stream.transport == .udpOwnPort {
                    let registry = self.registry
                    channel = try await Self.bindUDP(configuration, port: port, group: group) {
                        OwnPortUDPIngestHandler(stream: stream, registry: registry)
                    }
                } else {
                    channel = try await Self.listenTCP(host: configuration.host, port: port, group: group, registry: registry,
                                                       stream: stream, configuration: configuration)
                }
                let ports = self.ports
                channel.closeFuture.whenComplete { _ in ports?.free(port) }
                return (port, channel)
            } catch {
                ports.free(port)
                logger.notice("RTP port busy, trying the next", metadata: ["port": "\(port)", "error": "\(error)"])
            }
        }
        throw IngestError.noFreePort(ports.range)
    }
}
