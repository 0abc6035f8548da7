import NIOCore

public enum RFC4571FramingError: Error, Equatable, CustomStringConvertible {
    case frameTooLong(length: Int, limit: Int)

    public var description: String {
        switch self {
        case let .frameTooLong(length, limit): "RTP-over-TCP frame of \(length) bytes exceeds the \(limit)-byte limit"
        }
    }
}

/// RTP over TCP (RFC 4571; GB/T 28181-2016 Appendix L): every packet preceded by a 16-bit big-endian
/// length. Also accepts RTSP-interleaved framing (`$`, channel, 16-bit length), which some devices send
/// (spec §6.5); the framing is detected once, from the first byte of the connection.
public struct RFC4571FrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = ByteBuffer

    public let maxFrameLength: Int
    public private(set) var emptyFrames = 0
    private var interleaved: Bool?

    public init(maxFrameLength: Int = 65_535) {
        self.maxFrameLength = maxFrameLength
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = try nextFrame(&buffer) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(frame))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while let frame = try nextFrame(&buffer) { context.fireChannelRead(Self.wrapInboundOut(frame)) }
        return .needMoreData
    }

    /// The framing without a channel, for tests and for callers that read sockets themselves.
    public mutating func nextFrame(_ buffer: inout ByteBuffer) throws(RFC4571FramingError) -> ByteBuffer? {
        while true {
            if interleaved == nil, let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) {
                interleaved = first == 0x24
            }
            let headerLength = interleaved == true ? 4 : 2
            guard let length = buffer.getInteger(at: buffer.readerIndex + headerLength - 2, as: UInt16.self),
                  buffer.readableBytes >= headerLength else { return nil }
            guard Int(length) <= maxFrameLength else { throw .frameTooLong(length: Int(length), limit: maxFrameLength) }
            guard buffer.readableBytes >= headerLength + Int(length) else { return nil }
            buffer.moveReaderIndex(forwardBy: headerLength)
            if length == 0 {
                emptyFrames += 1
                continue
            }
            return buffer.readSlice(length: Int(length))
        }
    }
}

/// Writes RTP packets with the RFC 4571 length prefix (relay to upper platforms over TCP).
public struct RFC4571FrameEncoder: MessageToByteEncoder {
    public typealias OutboundIn = ByteBuffer

    public init() {}

    public func encode(data: ByteBuffer, out: inout ByteBuffer) throws {
        guard data.readableBytes <= 65_535 else {
            throw RFC4571FramingError.frameTooLong(length: data.readableBytes, limit: 65_535)
        }
        out.writeInteger(UInt16(data.readableBytes))
        var data = data
        out.writeBuffer(&data)
    }
}
