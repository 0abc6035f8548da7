import NIOCore

/// Cuts SIP messages out of a byte stream (TCP) by Content-Length (RFC 3261 18.3). Handles
/// partial reads, several messages per read, and CRLF keepalives between messages (RFC 5626 4.4.1
/// double-CRLF pings are skipped). A missing Content-Length on a stream means an empty body.
/// Errors are fatal for the stream: there is no way to find the next message boundary.
public struct SIPStreamFramer: Sendable {
    private let parser: SIPMessageParser
    /// A head already parsed whose body has not fully arrived: offsets from the reader index.
    private var pending: PendingMessage?

    private struct PendingMessage: Sendable {
        var head: SIPMessageParser.ParsedHead
        var headEnd: Int
        var bodyLength: Int
    }

    public init(parser: SIPMessageParser = SIPMessageParser()) {
        self.parser = parser
    }

    /// The next complete message, consuming its bytes; nil when more bytes are needed.
    public mutating func next(from buffer: inout ByteBuffer) throws(SIPParseError) -> SIPMessage? {
        if pending == nil {
            switch try parser.locateHead(in: buffer) {
            case .needMoreData(let skippable):
                buffer.moveReaderIndex(forwardBy: skippable)
                return nil
            case .found(let location):
                buffer.moveReaderIndex(forwardBy: location.leadingBytes)
                let local = SIPMessageParser.HeadLocation(leadingBytes: 0, headEnd: location.headEnd - location.leadingBytes)
                let head = try parser.parseHead(buffer, location: local)
                pending = PendingMessage(head: head, headEnd: local.headEnd, bodyLength: head.contentLength ?? 0)
            }
        }
        guard let message = pending, buffer.readableBytes >= message.headEnd + message.bodyLength else {
            return nil
        }
        let headEnd = message.headEnd, bodyLength = message.bodyLength
        let body = buffer.getSlice(at: buffer.readerIndex + headEnd, length: bodyLength) ?? ByteBuffer()
        buffer.moveReaderIndex(forwardBy: headEnd + bodyLength)
        pending = nil
        return message.head.message(body: body)
    }

    /// True when part of a message has been read (used to report truncation at EOF).
    public var hasPartialMessage: Bool { pending != nil }
}

/// NIO decoder for TCP SIP connections: emits `SIPMessage`s, throws `SIPParseError` on a
/// malformed or oversize message (the channel handler then closes the connection).
public struct SIPMessageDecoder: ByteToMessageDecoder {
    public typealias InboundOut = SIPMessage

    private var framer: SIPStreamFramer

    public init(parser: SIPMessageParser = SIPMessageParser()) {
        self.framer = SIPStreamFramer(parser: parser)
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let message = try framer.next(from: &buffer) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(message))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while let message = try framer.next(from: &buffer) {
            context.fireChannelRead(wrapInboundOut(message))
        }
        // Whatever is left at EOF is an incomplete message; nothing can be done with it.
        buffer.moveReaderIndex(to: buffer.writerIndex)
        return .needMoreData
    }
}

/// Writes `SIPMessage`s to a stream.
public struct SIPMessageEncoder: MessageToByteEncoder {
    public typealias OutboundIn = SIPMessage

    public init() {}

    public func encode(data: SIPMessage, out: inout ByteBuffer) throws {
        data.write(into: &out)
    }
}
