import NIOCore
import NIOPosix

/// Called on the channel's event loop for every well-formed RTP packet.
public typealias RTPPacketCallback = @Sendable (RTPPacket, SocketAddress?) -> Void

/// UDP: one datagram is one RTP packet. Malformed datagrams are counted and dropped.
public final class RTPDatagramHandler: ChannelInboundHandler, Sendable {
    public typealias InboundIn = AddressedEnvelope<ByteBuffer>
    private let onPacket: RTPPacketCallback

    public init(onPacket: @escaping RTPPacketCallback) {
        self.onPacket = onPacket
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = Self.unwrapInboundIn(data)
        // A malformed datagram from one sender must not stop the port for everyone: drop it.
        guard let packet = try? RTPPacket(parsing: envelope.data) else { return }
        onPacket(packet, envelope.remoteAddress)
    }
}

/// TCP (behind `RFC4571FrameDecoder`): one frame is one RTP packet. A malformed packet closes the
/// connection: on a stream, it means the framing is lost (spec §6.5).
public final class RTPStreamHandler: ChannelInboundHandler, Sendable {
    public typealias InboundIn = ByteBuffer
    private let onPacket: RTPPacketCallback

    public init(onPacket: @escaping RTPPacketCallback) {
        self.onPacket = onPacket
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        do {
            let packet = try RTPPacket(parsing: Self.unwrapInboundIn(data))
            onPacket(packet, context.remoteAddress)
        } catch {
            context.fireErrorCaught(error)
        }
    }

    public func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }
}

/// Binds the RTP receive ports (architecture.md: 30000 UDP+TCP by default). The socket side only: what
/// to do with packets (SSRC table, `PSOverRTPReceiver`, stream hub) is the caller's.
public enum RTPListener {
    public static func bindUDP(group: EventLoopGroup, host: String, port: Int,
                               receiveBufferBytes: Int = 4 << 20,
                               onPacket: @escaping RTPPacketCallback) async throws -> Channel {
        try await DatagramBootstrap(group: group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.socketOption(.so_rcvbuf), value: receiveBufferBytes)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 2048))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(RTPDatagramHandler(onPacket: onPacket))
                }
            }
            .bind(host: host, port: port).get()
    }

    public static func bindTCP(group: EventLoopGroup, host: String, port: Int, maxFrameLength: Int = 65_535,
                               onPacket: @escaping RTPPacketCallback) async throws -> Channel {
        try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(RFC4571FrameDecoder(maxFrameLength: maxFrameLength)))
                    try channel.pipeline.syncOperations.addHandler(RTPStreamHandler(onPacket: onPacket))
                }
            }
            .bind(host: host, port: port).get()
    }
}
