import NIOCore

/// The shared UDP port: every datagram is looked up by SSRC in the registry.
final class SharedUDPIngestHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    private let registry: IngestRegistry

    init(registry: IngestRegistry) {
        self.registry = registry
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = Self.unwrapInboundIn(data)
        // A malformed datagram from one sender must not stop the port for everyone: count and drop.
        guard let packet = try? RTPPacket(parsing: envelope.data) else {
            registry.countMalformed()
            return
        }
        guard let (stream, fallback) = registry.routeUDP(ssrc: packet.ssrc, from: envelope.remoteAddress) else { return }
        stream.receive(packet, from: envelope.remoteAddress, acceptAnySSRC: fallback)
    }
}

/// A UDP port of one stream's own: it is the only stream there, so any SSRC is taken.
final class OwnPortUDPIngestHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    private let stream: IngestStream
    private let registry: IngestRegistry

    init(stream: IngestStream, registry: IngestRegistry) {
        self.stream = stream
        self.registry = registry
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = Self.unwrapInboundIn(data)
        guard let packet = try? RTPPacket(parsing: envelope.data) else {
            registry.countMalformed()
            return
        }
        stream.receive(packet, from: envelope.remoteAddress, acceptAnySSRC: true)
    }
}

/// RTP over TCP behind `RFC4571FrameDecoder` (spec §6.5). A connection to a stream's own port, or one we
/// opened (TCP active), is bound from the start; one on the shared port is bound by the SSRC of its
/// first packet (spec §6.5: "accept it, then bind it by SSRC or by port"), or closed if it stays a
/// stranger for `unboundTimeout`. A malformed frame closes it: on a stream the framing is lost.
final class TCPIngestHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private let registry: IngestRegistry
    private var stream: IngestStream?
    private let unboundTimeout: TimeAmount
    private let maxUnbound: Int
    private var admittedUnbound = false
    private var unboundTimer: Scheduled<Void>?
    private var remote = "?"

    init(registry: IngestRegistry, stream: IngestStream?, unboundTimeout: TimeAmount, maxUnbound: Int) {
        self.registry = registry
        self.stream = stream
        self.unboundTimeout = unboundTimeout
        self.maxUnbound = maxUnbound
    }

    func channelActive(context: ChannelHandlerContext) {
        remote = context.remoteAddress.map(IngestStream.describe) ?? "?"
        if let stream {
            stream.attach(context.channel)
        } else {
            guard registry.admitUnboundConnection(limit: maxUnbound) else {
                context.close(promise: nil)
                return
            }
            admittedUnbound = true
            let channel = context.channel
            unboundTimer = context.eventLoop.scheduleTask(in: unboundTimeout) { channel.close(promise: nil) }
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let packet = try? RTPPacket(parsing: Self.unwrapInboundIn(data)) else {
            registry.countMalformed()
            context.close(promise: nil)
            return
        }
        if stream == nil {
            guard let (bound, _) = registry.bindTCP(ssrc: packet.ssrc) else { return }
            stream = bound
            unboundTimer?.cancel()
            unboundTimer = nil
            endUnbound(closed: false)
            bound.attach(context.channel)
        }
        // One connection carries one stream (a=connection:new), so its first SSRC is taken.
        stream?.receive(packet, from: context.remoteAddress, acceptAnySSRC: true)
    }

    func channelInactive(context: ChannelHandlerContext) {
        unboundTimer?.cancel()
        endUnbound(closed: true)
        stream?.connectionClosed(context.channel, address: remote)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // RFC4571FramingError (a length over the limit) or a socket error: the connection is done.
        context.close(promise: nil)
    }

    private func endUnbound(closed: Bool) {
        guard admittedUnbound else { return }
        admittedUnbound = false
        registry.unboundConnectionEnded(closedUnbound: closed)
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
