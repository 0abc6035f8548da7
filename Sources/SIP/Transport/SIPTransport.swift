#if canImport(Glibc)
import Glibc
#endif
import Logging
import NIOCore
import NIOPosix

public enum SIPTransportError: Error, Sendable, Equatable, CustomStringConvertible {
    case notAnIPAddress(String)
    case noRoute(String)
    case closed

    public var description: String {
        switch self {
        case .notAnIPAddress(let host): return "\(host) is not an IP address; resolve host names before sending"
        case .noRoute(let reason): return "cannot route the message: \(reason)"
        case .closed: return "the SIP transport is closed"
        }
    }
}

/// UDP and TCP on the same host:port (IPv4), delivering parsed messages on `inbound` and sending
/// to an address over UDP or down the TCP connection open to that address (connecting if none).
public actor SIPTransport {
    public nonisolated let inbound: AsyncStream<SIPInboundMessage>
    /// The bound address (shared by the UDP socket and the TCP listener).
    public nonisolated let localAddress: SocketAddress

    private let udpChannel: Channel
    private let tcpListener: Channel
    private let connections: SIPConnectionTable
    private let continuation: AsyncStream<SIPInboundMessage>.Continuation
    private let group: EventLoopGroup
    private let parser: SIPMessageParser
    private let logger: Logger

    /// Receive buffer for UDP: devices send multi-kilobyte, IP-fragmented catalog MESSAGEs (spec 1.3);
    /// NIO's default datagram allocator would cut them at 2 KiB.
    public static let datagramReceiveSize = 65_536

    private init(udp: Channel, tcp: Channel, connections: SIPConnectionTable, stream: AsyncStream<SIPInboundMessage>,
                 continuation: AsyncStream<SIPInboundMessage>.Continuation, group: EventLoopGroup,
                 parser: SIPMessageParser, logger: Logger) throws {
        guard let local = udp.localAddress else { throw SIPTransportError.noRoute("UDP socket has no local address") }
        self.udpChannel = udp
        self.tcpListener = tcp
        self.connections = connections
        self.inbound = stream
        self.continuation = continuation
        self.localAddress = local
        self.group = group
        self.parser = parser
        self.logger = logger
    }

    /// Binds UDP first, then TCP on the port UDP got (so port 0 gives one ephemeral port for both).
    public static func bind(
        host: String = "0.0.0.0", port: Int, group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        parser: SIPMessageParser = SIPMessageParser(), logger: Logger = Logger(label: "gbshare.sip.transport")
    ) async throws -> SIPTransport {
        // With port 0 the number the kernel gives UDP may already be a TCP connection's ephemeral
        // port, so the TCP bind on the same number fails: try a few other numbers.
        var attempt = 0
        while true {
            do {
                return try await bindOnce(host: host, port: port, group: group, parser: parser, logger: logger)
            } catch let error as IOError where port == 0 && error.errnoCode == EADDRINUSE && attempt < 8 {
                attempt += 1
            }
        }
    }

    private static func bindOnce(
        host: String, port: Int, group: EventLoopGroup, parser: SIPMessageParser, logger: Logger
    ) async throws -> SIPTransport {
        let (stream, continuation) = AsyncStream.makeStream(of: SIPInboundMessage.self)
        let processor = SIPInboundProcessor(continuation: continuation, logger: logger)
        let connections = SIPConnectionTable()
        let udp = try await DatagramBootstrap(group: group)
            .channelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .channelOption(ChannelOptions.socketOption(.so_rcvbuf), value: 4 << 20)
            .channelOption(ChannelOptions.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: datagramReceiveSize))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(SIPDatagramHandler(parser: parser, processor: processor))
                }
            }
            .bind(host: host, port: port).get()
        guard let boundPort = udp.localAddress?.port else {
            try? await udp.close()
            throw SIPTransportError.noRoute("UDP bind gave no port")
        }
        let tcp: Channel
        do {
            tcp = try await ServerBootstrap(group: group)
                .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    streamPipeline(channel, parser: parser, processor: processor, connections: connections)
                }
                .bind(host: host, port: boundPort).get()
        } catch {
            try? await udp.close()
            throw error
        }
        return try SIPTransport(udp: udp, tcp: tcp, connections: connections, stream: stream, continuation: continuation,
                                group: group, parser: parser, logger: logger)
    }

    private static func streamPipeline(
        _ channel: Channel, parser: SIPMessageParser, processor: SIPInboundProcessor, connections: SIPConnectionTable
    ) -> EventLoopFuture<Void> {
        channel.eventLoop.makeCompletedFuture {
            let sync = channel.pipeline.syncOperations
            try sync.addHandler(ByteToMessageHandler(SIPMessageDecoder(parser: parser)))
            try sync.addHandler(MessageToByteHandler(SIPMessageEncoder()))
            try sync.addHandler(SIPStreamHandler(processor: processor, connections: connections))
        }
    }

    /// Sends over UDP, or down the TCP connection to `address` (opening one if there is none).
    public func send(_ message: SIPMessage, to address: SocketAddress, transport: SIPTransportKind) async throws {
        switch transport {
        case .udp:
            try await udpChannel.writeAndFlush(AddressedEnvelope(remoteAddress: address, data: message.bytes))
        case .tcp:
            let channel = try await tcpConnection(to: address)
            try await channel.writeAndFlush(message)
        }
    }

    /// Sends a response the way RFC 3261 18.2.2 and RFC 3581 4 say: down the connection the
    /// request came on if it is still open, else to the top Via's `received`:`rport` (falling
    /// back to sent-by), never to the Contact.
    public func sendResponse(_ response: SIPResponse, for request: SIPInboundMessage) async throws {
        if request.transport == .tcp, request.channel.isActive {
            try await request.channel.writeAndFlush(SIPMessage.response(response))
            return
        }
        let destination = (try? Self.responseDestination(for: response)) ?? request.source
        try await send(.response(response), to: destination, transport: request.transport)
    }

    /// `received` (or sent-by host) and `rport` (or sent-by port, or 5060) of the top Via.
    public static func responseDestination(for response: SIPResponse) throws -> SocketAddress {
        let via = try response.headers.topVia()
        let host = via.received ?? via.host
        let port = via.rport ?? via.port ?? 5060
        do {
            return try SocketAddress(ipAddress: host, port: port)
        } catch {
            throw SIPTransportError.notAnIPAddress(host)
        }
    }

    public func hasConnection(to address: SocketAddress) async -> Bool {
        await connections.channel(to: address) != nil
    }

    private func tcpConnection(to address: SocketAddress) async throws -> Channel {
        if let channel = await connections.channel(to: address) { return channel }
        let parser = self.parser
        let processor = SIPInboundProcessor(continuation: continuation, logger: logger)
        let connections = self.connections
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(.seconds(5))
            .channelInitializer { channel in
                SIPTransport.streamPipeline(channel, parser: parser, processor: processor, connections: connections)
            }
            .connect(to: address).get()
        await connections.add(channel)
        return channel
    }

    /// Closes the sockets and every TCP connection, and finishes `inbound`.
    public func close() async {
        for channel in await connections.all() { try? await channel.close() }
        try? await tcpListener.close()
        try? await udpChannel.close()
        continuation.finish()
    }
}
