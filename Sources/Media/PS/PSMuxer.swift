import NIOCore

/// Frames → MPEG-2 program stream in the GB/T 28181 camera layout (spec §6.2): every frame in its own
/// pack; keyframes preceded by a system header and a PSM; video access units larger than one PES are
/// split into several PES of at most `maxPESPayload` bytes, only the first carrying PTS/DTS.
public struct PSMuxer: Sendable {
    public var videoCodec: MediaCodec?
    public var audioCodec: MediaCodec?
    /// program_mux_rate in 50 bytes/s units (spec §6.3 vector uses 6106).
    public var muxRate: UInt32
    /// ireader/media-server caps a PES at 0xFF80 bytes (spec §6.2).
    public var maxPESPayload = 0xFF80 - 13
    private var psmVersion: UInt8 = 0

    public init(videoCodec: MediaCodec?, audioCodec: MediaCodec? = nil, muxRate: UInt32 = 6106) {
        self.videoCodec = videoCodec
        self.audioCodec = audioCodec
        self.muxRate = muxRate
    }

    public func mux(_ frame: MediaFrame) -> ByteBuffer {
        var out = ByteBufferAllocator().buffer(capacity: frame.data.count + 64)
        mux(frame, into: &out)
        return out
    }

    public func mux(_ frame: MediaFrame, into out: inout ByteBuffer) {
        writePackHeader(scr: UInt64(max(0, frame.dts)), into: &out)
        if frame.isVideo && frame.isKeyframe {
            writeSystemHeader(into: &out)
            writeProgramStreamMap(into: &out)
        }
        let streamID: UInt8 = frame.isVideo ? 0xE0 : 0xC0
        var offset = 0
        var first = true
        repeat {
            let count = min(maxPESPayload, frame.data.count - offset)
            let withDTS = first && frame.isVideo && frame.dts != frame.pts
            let headerData = first ? (withDTS ? 10 : 5) : 0
            out.writeInteger(UInt32(0x0000_0100) | UInt32(streamID))
            out.writeInteger(UInt16(3 + headerData + count))
            out.writeInteger(UInt8(0x80))  // '10', not scrambled, no priority
            out.writeInteger(UInt8(first ? (withDTS ? 0xC0 : 0x80) : 0x00))
            out.writeInteger(UInt8(headerData))
            if first {
                out.writeBytes(PESHeader.encodeTimestamp(UInt64(max(0, frame.pts)), prefix: withDTS ? 3 : 2))
                if withDTS { out.writeBytes(PESHeader.encodeTimestamp(UInt64(max(0, frame.dts)), prefix: 1)) }
            }
            out.writeBytes(frame.data[offset..<(offset + count)])
            offset += count
            first = false
        } while offset < frame.data.count
    }

    /// 13818-1 2.5.3.3, spec §6.2 layout; SCR extension 0, no stuffing.
    func writePackHeader(scr: UInt64, into out: inout ByteBuffer) {
        let s = scr & 0x1_FFFF_FFFF
        out.writeInteger(UInt32(0x0000_01BA))
        out.writeInteger(UInt8(0x44 | UInt8(s >> 27 & 0x38) | UInt8(s >> 28 & 0x03)))
        out.writeInteger(UInt8(s >> 20 & 0xFF))
        out.writeInteger(UInt8(s >> 12 & 0xF8) | 0x04 | UInt8(s >> 13 & 0x03))
        out.writeInteger(UInt8(s >> 5 & 0xFF))
        out.writeInteger(UInt8(s << 3 & 0xF8) | 0x04)
        out.writeInteger(UInt8(0x01))
        out.writeInteger(UInt8(muxRate >> 14 & 0xFF))
        out.writeInteger(UInt8(muxRate >> 6 & 0xFF))
        out.writeInteger(UInt8(muxRate << 2 & 0xFC) | 0x03)
        out.writeInteger(UInt8(0xF8))
    }

    /// 13818-1 2.5.3.5 with one entry per configured stream.
    func writeSystemHeader(into out: inout ByteBuffer) {
        var streams: [UInt8] = []
        if videoCodec != nil { streams += [0xE0, 0xE0, 0x00] }
        if audioCodec != nil { streams += [0xC0, 0xC0, 0x20] }
        let rateBound = muxRate
        out.writeInteger(UInt32(0x0000_01BB))
        out.writeInteger(UInt16(6 + streams.count))
        out.writeInteger(UInt8(0x80 | UInt8(rateBound >> 15 & 0x7F)))
        out.writeInteger(UInt8(rateBound >> 7 & 0xFF))
        out.writeInteger(UInt8(rateBound << 1 & 0xFE) | 1)
        out.writeInteger(UInt8((audioCodec != nil ? 1 : 0) << 2) | 0x00)  // audio_bound, fixed 0, CSPS 0
        out.writeInteger(UInt8(0xE0 | (videoCodec != nil ? 1 : 0)))      // locks, marker, video_bound
        out.writeInteger(UInt8(0x7F))                                    // packet_rate_restriction 0, reserved
        out.writeBytes(streams)
    }

    /// 13818-1 2.5.4.1 with the standard CRC (spec §6.3 CRC note).
    func writeProgramStreamMap(into out: inout ByteBuffer) {
        var entries: [UInt8] = []
        if let type = videoCodec?.psStreamType { entries += [type, 0xE0, 0, 0] }
        if let type = audioCodec?.psStreamType { entries += [type, 0xC0, 0, 0] }
        var psm: [UInt8] = [0, 0, 1, 0xBC]
        let length = 6 + entries.count + 4
        psm += [UInt8(length >> 8), UInt8(length & 0xFF), 0xE0 | psmVersion, 0xFF, 0, 0]
        psm += [UInt8(entries.count >> 8), UInt8(entries.count & 0xFF)] + entries
        let crc = Self.crc32MPEG2(psm)
        psm += [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)]
        out.writeBytes(psm)
    }

    /// MPEG-2 CRC-32: poly 0x04C11DB7, init 0xFFFFFFFF, no reflection, no final XOR.
    public static func crc32MPEG2<C: Collection>(_ bytes: C) -> UInt32 where C.Element == UInt8 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte) << 24
            for _ in 0..<8 { crc = crc & 0x8000_0000 != 0 ? (crc << 1) ^ 0x04C1_1DB7 : crc << 1 }
        }
        return crc
    }
}
