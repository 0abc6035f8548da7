import Logging
import NIOCore

/// UDP: one datagram is one message (RFC 3261 18.3). Garbage is logged and dropped; a request
/// that parsed but failed validation is answered from here.
final class SIPDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    private let parser: SIPMessageParser
    private let processor: SIPInboundProcessor

    init(parser: SIPMessageParser, processor: SIPInboundProcessor) {
        self.parser = parser
        self.processor = processor
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let message: SIPMessage
        do {
            message = try parser.parse(datagram: envelope.data)
        } catch {
            // Stray keepalive CRLFs over UDP are not worth a log line.
            if case .emptyMessage = error { return }
            processor.logger.warning("dropping unparseable UDP datagram", metadata: [
                "source": "\(envelope.remoteAddress)", "bytes": "\(envelope.data.readableBytes)", "error": "\(error)",
            ])
            return
        }
        let outcome = processor.process(message, source: envelope.remoteAddress, transport: .udp, channel: context.channel)
        if case .reply(let response) = outcome {
            let reply = AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: response.bytes)
            context.writeAndFlush(wrapOutboundOut(reply), promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // ICMP port-unreachable and friends surface here; the socket stays usable.
        processor.logger.debug("UDP socket error", metadata: ["error": "\(error)"])
    }
}

/// TCP: messages come framed by `SIPMessageDecoder`. A framing error leaves no way to find the
/// next message, so the connection is closed (the device reconnects and re-registers).
final class SIPStreamHandler: ChannelDuplexHandler {
    typealias InboundIn = SIPMessage
    typealias OutboundIn = SIPMessage
    typealias OutboundOut = SIPMessage

    private let processor: SIPInboundProcessor
    private let connections: SIPConnectionTable

    init(processor: SIPInboundProcessor, connections: SIPConnectionTable) {
        self.processor = processor
        self.connections = connections
    }

    func channelActive(context: ChannelHandlerContext) {
        let channel = context.channel
        let connections = self.connections
        Task { await connections.add(channel) }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        let channel = context.channel
        let remote = channel.remoteAddress
        let connections = self.connections
        Task { await connections.remove(channel, remote: remote) }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let message = unwrapInboundIn(data)
        guard let source = context.channel.remoteAddress else { return }
        if case .reply(let response) = processor.process(message, source: source, transport: .tcp, channel: context.channel) {
            context.writeAndFlush(wrapOutboundOut(.response(response)), promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        processor.logger.warning("closing SIP TCP connection", metadata: [
            "remote": "\(context.channel.remoteAddress.map { "\($0)" } ?? "?")", "error": "\(error)",
        ])
        context.close(promise: nil)
    }
}
