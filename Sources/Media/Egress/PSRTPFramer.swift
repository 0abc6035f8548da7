import NIOCore

/// Frames → PS packs → RTP packets as GB/T 28181 senders put them on the wire (spec §6.1-§6.2): one pack per
/// frame, chunks of at most 1400 bytes, one RTP timestamp per frame (its PTS), marker on the last chunk;
/// over TCP each packet is preceded by its 16-bit length (RFC 4571). Used by everything that sends PS over
/// RTP: the relay to an upper platform and the replay sender of tests and benchmarks.
public struct PSRTPFramer: Sendable {
    public enum Framing: Sendable { case datagram, rfc4571 }

    public let framing: Framing
    private var muxer: PSMuxer?
    private var packetizer: RTPPacketizer

    public init(ssrc: UInt32, framing: Framing, firstSequenceNumber: UInt16? = nil) {
        self.framing = framing
        packetizer = RTPPacketizer(ssrc: ssrc, firstSequenceNumber: firstSequenceNumber ?? UInt16(truncatingIfNeeded: ssrc))
    }

    /// Muxes and packetises `frame`; `emit` gets each unit to write (an RTP packet, length-prefixed for
    /// TCP). `scratch` is reused between frames to avoid an allocation per pack.
    public mutating func encode(_ frame: MediaFrame, scratch: inout ByteBuffer, allocator: ByteBufferAllocator,
                                emit: (ByteBuffer) -> Void) {
        if muxer == nil { muxer = PSMuxer(videoCodec: frame.isVideo ? frame.codec : nil) }
        // A PSM names every stream: learn the audio codec (or a changed video codec) from the frames.
        if frame.isVideo, muxer?.videoCodec != frame.codec { muxer?.videoCodec = frame.codec }
        if frame.codec.isAudio, muxer?.audioCodec != frame.codec { muxer?.audioCodec = frame.codec }
        scratch.clear()
        muxer?.mux(frame, into: &scratch)
        for packet in packetizer.packetize(scratch, timestamp: UInt32(truncatingIfNeeded: frame.pts)) {
            var out = allocator.buffer(capacity: 14 + packet.payload.readableBytes)
            if framing == .rfc4571 { out.writeInteger(UInt16(12 + packet.payload.readableBytes)) }
            packet.write(into: &out)
            emit(out)
        }
    }
}
