import NIOCore

public enum RTPPacketError: Error, Equatable, Sendable, CustomStringConvertible {
    case tooShort(length: Int)
    case unsupportedVersion(Int)
    case csrcListOverrun(count: Int, length: Int)
    case extensionOverrun(declaredBytes: Int, available: Int)
    case paddingOverrun(padding: Int, available: Int)

    public var description: String {
        switch self {
        case let .tooShort(length): "RTP packet of \(length) bytes is shorter than the 12-byte header"
        case let .unsupportedVersion(v): "RTP version \(v), expected 2 (RFC 3550 5.1)"
        case let .csrcListOverrun(count, length): "RTP CSRC count \(count) runs past the \(length)-byte packet"
        case let .extensionOverrun(declared, available): "RTP header extension of \(declared) bytes, only \(available) left"
        case let .paddingOverrun(padding, available): "RTP padding of \(padding) bytes exceeds the \(available)-byte payload"
        }
    }
}

/// An RTP packet (RFC 3550 5.1). `payload` is a slice of the received buffer (no copy).
public struct RTPPacket: Sendable, Equatable {
    public var marker: Bool
    public var payloadType: UInt8
    public var sequenceNumber: UInt16
    public var timestamp: UInt32
    public var ssrc: UInt32
    public var csrcs: [UInt32]
    /// (profile-defined 16 bits, extension words) when the X bit is set (RFC 3550 5.3.1).
    public var headerExtension: (profile: UInt16, data: ByteBuffer)?
    public var payload: ByteBuffer

    public init(marker: Bool, payloadType: UInt8, sequenceNumber: UInt16, timestamp: UInt32, ssrc: UInt32,
                csrcs: [UInt32] = [], payload: ByteBuffer) {
        self.marker = marker
        self.payloadType = payloadType
        self.sequenceNumber = sequenceNumber
        self.timestamp = timestamp
        self.ssrc = ssrc
        self.csrcs = csrcs
        self.headerExtension = nil
        self.payload = payload
    }

    public init(parsing packet: ByteBuffer) throws(RTPPacketError) {
        var b = packet
        let length = b.readableBytes
        guard length >= 12, let b0 = b.readInteger(as: UInt8.self), let b1 = b.readInteger(as: UInt8.self),
              let seq = b.readInteger(as: UInt16.self), let ts = b.readInteger(as: UInt32.self),
              let ssrc = b.readInteger(as: UInt32.self) else { throw .tooShort(length: length) }
        guard b0 >> 6 == 2 else { throw .unsupportedVersion(Int(b0 >> 6)) }
        let csrcCount = Int(b0 & 0x0F)
        guard b.readableBytes >= 4 * csrcCount else { throw .csrcListOverrun(count: csrcCount, length: length) }
        var csrcs: [UInt32] = []
        for _ in 0..<csrcCount { csrcs.append(b.readInteger(as: UInt32.self) ?? 0) }
        var ext: (UInt16, ByteBuffer)?
        if b0 & 0x10 != 0 {
            guard let profile = b.readInteger(as: UInt16.self), let words = b.readInteger(as: UInt16.self) else {
                throw .extensionOverrun(declaredBytes: 4, available: b.readableBytes)
            }
            guard let data = b.readSlice(length: Int(words) * 4) else {
                throw .extensionOverrun(declaredBytes: Int(words) * 4, available: b.readableBytes)
            }
            ext = (profile, data)
        }
        if b0 & 0x20 != 0 {
            // RFC 3550 5.1: the last payload byte counts the padding, itself included.
            guard let last = b.getInteger(at: b.writerIndex - 1, as: UInt8.self), last > 0, Int(last) <= b.readableBytes else {
                throw .paddingOverrun(padding: Int(b.getInteger(at: b.writerIndex - 1, as: UInt8.self) ?? 0), available: b.readableBytes)
            }
            b.moveWriterIndex(to: b.writerIndex - Int(last))
        }
        self.marker = b1 & 0x80 != 0
        self.payloadType = b1 & 0x7F
        self.sequenceNumber = seq
        self.timestamp = ts
        self.ssrc = ssrc
        self.csrcs = csrcs
        self.headerExtension = ext
        self.payload = b
    }

    public static func == (lhs: RTPPacket, rhs: RTPPacket) -> Bool {
        lhs.marker == rhs.marker && lhs.payloadType == rhs.payloadType && lhs.sequenceNumber == rhs.sequenceNumber
            && lhs.timestamp == rhs.timestamp && lhs.ssrc == rhs.ssrc && lhs.csrcs == rhs.csrcs
            && lhs.headerExtension?.profile == rhs.headerExtension?.profile
            && lhs.headerExtension?.data == rhs.headerExtension?.data && lhs.payload == rhs.payload
    }

    /// Header (no CSRC, no extension, no padding: what GB senders use) followed by the payload.
    public func write(into out: inout ByteBuffer) {
        out.writeInteger(UInt8(0x80 | UInt8(min(csrcs.count, 15))))
        out.writeInteger((marker ? 0x80 : 0) | (payloadType & 0x7F))
        out.writeInteger(sequenceNumber)
        out.writeInteger(timestamp)
        out.writeInteger(ssrc)
        for csrc in csrcs.prefix(15) { out.writeInteger(csrc) }
        var payload = self.payload
        out.writeBuffer(&payload)
    }
}

/// Cuts a PS pack (or any payload) into RTP packets the way GB senders do (spec §6.1): chunks of at
/// most `maxPayload` bytes, one timestamp per frame, marker on the last chunk.
public struct RTPPacketizer: Sendable {
    public var ssrc: UInt32
    public var payloadType: UInt8
    public var maxPayload: Int
    public private(set) var nextSequenceNumber: UInt16

    public init(ssrc: UInt32, payloadType: UInt8 = 96, maxPayload: Int = 1400, firstSequenceNumber: UInt16 = 0) {
        self.ssrc = ssrc
        self.payloadType = payloadType
        self.maxPayload = max(1, maxPayload)
        self.nextSequenceNumber = firstSequenceNumber
    }

    public mutating func packetize(_ payload: ByteBuffer, timestamp: UInt32) -> [RTPPacket] {
        var rest = payload
        var packets: [RTPPacket] = []
        while rest.readableBytes > 0 {
            let chunk = rest.readSlice(length: min(maxPayload, rest.readableBytes)) ?? ByteBuffer()
            packets.append(RTPPacket(marker: rest.readableBytes == 0, payloadType: payloadType,
                                     sequenceNumber: nextSequenceNumber, timestamp: timestamp, ssrc: ssrc, payload: chunk))
            nextSequenceNumber &+= 1
        }
        return packets
    }
}
