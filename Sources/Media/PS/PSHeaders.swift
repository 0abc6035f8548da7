import NIOCore

/// MPEG-2 pack header (ISO/IEC 13818-1 2.5.3.3, spec §6.2).
public struct PSPackHeader: Equatable, Sendable {
    /// system_clock_reference_base, 90 kHz.
    public var scrBase: UInt64
    public var scrExtension: UInt16
    /// program_mux_rate in units of 50 bytes/s.
    public var muxRate: UInt32
    public var stuffingLength: Int
    public var isMPEG1: Bool
    /// Total bytes including stuffing.
    public var length: Int

    /// Parses the header at `offset` in `buffer` (absolute index). nil when more bytes are needed.
    /// `streamOffset` is only for error messages.
    public static func parse(_ buffer: ByteBuffer, at offset: Int, streamOffset: Int = 0) throws(PSDemuxError) -> PSPackHeader? {
        guard let b4 = buffer.getInteger(at: offset + 4, as: UInt8.self) else { return nil }
        if b4 & 0xF0 == 0x20 {
            // MPEG-1 pack header (11172-1 2.4.3.2): 12 bytes, no stuffing.
            guard let bytes = buffer.getBytes(at: offset, length: 12) else { return nil }
            let scr = UInt64(bytes[4] >> 1 & 0x07) << 30 | UInt64(bytes[5]) << 22 | UInt64(bytes[6] >> 1) << 15
                | UInt64(bytes[7]) << 7 | UInt64(bytes[8] >> 1)
            let rate = UInt32(bytes[9] & 0x7F) << 15 | UInt32(bytes[10]) << 7 | UInt32(bytes[11] >> 1)
            return PSPackHeader(scrBase: scr, scrExtension: 0, muxRate: rate, stuffingLength: 0, isMPEG1: true, length: 12)
        }
        guard b4 & 0xC0 == 0x40 else {
            throw .invalidPackHeader(offset: streamOffset, reason: "byte 4 is 0x\(String(b4, radix: 16)), expected '01' marker bits of MPEG-2")
        }
        guard let bytes = buffer.getBytes(at: offset, length: 14) else { return nil }
        guard bytes[4] & 0x04 != 0, bytes[6] & 0x04 != 0, bytes[8] & 0x04 != 0, bytes[9] & 0x01 != 0 else {
            throw .invalidPackHeader(offset: streamOffset, reason: "SCR marker bits are not set")
        }
        let scr = UInt64(bytes[4] >> 3 & 0x07) << 30 | UInt64(bytes[4] & 0x03) << 28 | UInt64(bytes[5]) << 20
            | UInt64(bytes[6] >> 3) << 15 | UInt64(bytes[6] & 0x03) << 13 | UInt64(bytes[7]) << 5 | UInt64(bytes[8] >> 3)
        let ext = UInt16(bytes[8] & 0x03) << 7 | UInt16(bytes[9] >> 1)
        let rate = UInt32(bytes[10]) << 14 | UInt32(bytes[11]) << 6 | UInt32(bytes[12] >> 2)
        // Always skip the declared stuffing: it may contain start codes (spec §6.6, Hikvision/Tiandy).
        let stuffing = Int(bytes[13] & 0x07)
        guard buffer.writerIndex >= offset + 14 + stuffing else { return nil }
        return PSPackHeader(scrBase: scr, scrExtension: ext, muxRate: rate, stuffingLength: stuffing, isMPEG1: false, length: 14 + stuffing)
    }
}

/// One entry of the program stream map's elementary stream table.
public struct PSMEntry: Equatable, Sendable {
    public var streamType: UInt8
    public var streamID: UInt8
    public var codec: MediaCodec { MediaCodec(psStreamType: streamType) }
}

/// Program stream map (13818-1 2.5.4.1). The CRC is not checked (spec §6.3: devices write garbage).
public struct ProgramStreamMap: Equatable, Sendable {
    public var version: UInt8
    public var entries: [PSMEntry]

    /// Parses a whole PSM packet (`00 00 01 BC` + length + body) given as bytes.
    public static func parse(_ packet: ByteBuffer, streamOffset: Int = 0) throws(PSDemuxError) -> ProgramStreamMap {
        var b = packet
        func fail(_ reason: String) -> PSDemuxError { .malformedProgramStreamMap(offset: streamOffset, reason: reason) }
        guard b.readInteger(as: UInt32.self) == 0x0000_01BC else { throw fail("missing 00 00 01 BC") }
        guard let length = b.readInteger(as: UInt16.self), Int(length) <= b.readableBytes else {
            throw fail("program_stream_map_length exceeds the packet")
        }
        guard length >= 10, let flags = b.readInteger(as: UInt8.self), b.readInteger(as: UInt8.self) != nil,
              let infoLength = b.readInteger(as: UInt16.self) else {
            throw fail("program_stream_map_length \(length) shorter than the fixed fields")
        }
        // program_stream_info_length + elementary_stream_map_length + CRC must fit in the declared length.
        guard Int(infoLength) + 10 <= Int(length) else {
            throw fail("program_stream_info_length \(infoLength) exceeds program_stream_map_length \(length)")
        }
        b.moveReaderIndex(forwardBy: Int(infoLength))
        guard let mapLength = b.readInteger(as: UInt16.self), Int(infoLength) + Int(mapLength) + 10 <= Int(length) else {
            throw fail("elementary_stream_map_length exceeds program_stream_map_length \(length)")
        }
        guard var map = b.readSlice(length: Int(mapLength)) else { throw fail("elementary_stream_map truncated") }
        var entries: [PSMEntry] = []
        while map.readableBytes >= 4 {
            guard let type = map.readInteger(as: UInt8.self), let id = map.readInteger(as: UInt8.self),
                  let infoLen = map.readInteger(as: UInt16.self), map.readableBytes >= Int(infoLen) else {
                throw fail("elementary stream entry \(entries.count) truncated")
            }
            map.moveReaderIndex(forwardBy: Int(infoLen))
            entries.append(PSMEntry(streamType: type, streamID: id))
        }
        return ProgramStreamMap(version: flags & 0x1F, entries: entries)
    }
}

/// The part of a PES header the demuxer needs (13818-1 2.4.3.6; MPEG-1 2.4.3.7 of 11172-1).
public struct PESHeader: Equatable, Sendable {
    public var streamID: UInt8
    /// PES_packet_length; 0 = unbounded (video only).
    public var packetLength: Int
    public var pts: UInt64?
    public var dts: UInt64?
    /// Bytes from the start code to the first payload byte.
    public var headerLength: Int

    /// Parses the header at `offset`; nil when more bytes are needed.
    public static func parse(_ buffer: ByteBuffer, at offset: Int, streamOffset: Int = 0) throws(PSDemuxError) -> PESHeader? {
        guard let id = buffer.getInteger(at: offset + 3, as: UInt8.self),
              let length = buffer.getInteger(at: offset + 4, as: UInt16.self),
              let b6 = buffer.getInteger(at: offset + 6, as: UInt8.self) else { return nil }
        func fail(_ reason: String) -> PSDemuxError { .invalidPESHeader(streamID: id, offset: streamOffset, reason: reason) }
        if b6 & 0xC0 == 0x80 {
            guard let flags = buffer.getInteger(at: offset + 7, as: UInt8.self),
                  let dataLength = buffer.getInteger(at: offset + 8, as: UInt8.self) else { return nil }
            let headerLength = 9 + Int(dataLength)
            if length != 0 && headerLength > 6 + Int(length) {
                throw fail("PES_header_data_length \(dataLength) exceeds PES_packet_length \(length)")
            }
            guard let fields = buffer.getBytes(at: offset + 9, length: Int(dataLength)) else { return nil }
            var pts: UInt64?
            var dts: UInt64?
            let ptsFlags = flags >> 6
            if ptsFlags >= 2 {
                guard fields.count >= 5 else { throw fail("PTS flag set but header data is \(fields.count) bytes") }
                pts = try decodeTimestamp(fields, 0, fail)
            }
            if ptsFlags == 3 {
                guard fields.count >= 10 else { throw fail("DTS flag set but header data is \(fields.count) bytes") }
                dts = try decodeTimestamp(fields, 5, fail)
            }
            return PESHeader(streamID: id, packetLength: Int(length), pts: pts, dts: dts, headerLength: headerLength)
        }
        // MPEG-1 PES: stuffing 0xFF…, optional STD buffer (01xx), then 0010 PTS / 0011 PTS+DTS / 0x0F.
        var p = offset + 6
        let limit = length == 0 ? offset + 6 + 32 : offset + 6 + Int(length)
        while p < limit {
            guard let byte = buffer.getInteger(at: p, as: UInt8.self) else { return nil }
            if byte == 0xFF { p += 1; continue }
            if byte & 0xC0 == 0x40 { p += 2; continue }
            guard let rest = buffer.getBytes(at: p, length: byte >> 4 == 3 ? 10 : (byte >> 4 == 2 ? 5 : 1)) else { return nil }
            switch byte >> 4 {
            case 2:
                let pts = try decodeTimestamp(rest, 0, fail)
                return PESHeader(streamID: id, packetLength: Int(length), pts: pts, dts: nil, headerLength: p + 5 - offset)
            case 3:
                let pts = try decodeTimestamp(rest, 0, fail)
                let dts = try decodeTimestamp(rest, 5, fail)
                return PESHeader(streamID: id, packetLength: Int(length), pts: pts, dts: dts, headerLength: p + 10 - offset)
            default:
                guard byte == 0x0F else { throw fail("unexpected MPEG-1 PES header byte 0x\(String(byte, radix: 16))") }
                return PESHeader(streamID: id, packetLength: Int(length), pts: nil, dts: nil, headerLength: p + 1 - offset)
            }
        }
        throw fail("MPEG-1 PES header runs past the packet")
    }

    /// 33-bit timestamp from 5 bytes with marker bits (spec §6.2 "Timestamp bytes").
    static func decodeTimestamp(_ b: [UInt8], _ i: Int, _ fail: (String) -> PSDemuxError) throws(PSDemuxError) -> UInt64 {
        guard b[i] & 1 == 1, b[i + 2] & 1 == 1, b[i + 4] & 1 == 1 else { throw fail("timestamp marker bits are not set") }
        return UInt64(b[i] >> 1 & 0x07) << 30 | UInt64(b[i + 1]) << 22 | UInt64(b[i + 2] >> 1) << 15
            | UInt64(b[i + 3]) << 7 | UInt64(b[i + 4] >> 1)
    }

    /// The 5 bytes of a PTS/DTS field with the given 4-bit prefix (0010 PTS only, 0011 PTS, 0001 DTS).
    public static func encodeTimestamp(_ ts: UInt64, prefix: UInt8) -> [UInt8] {
        let t = ts & 0x1_FFFF_FFFF
        return [prefix << 4 | UInt8(t >> 29 & 0x0E) | 1, UInt8(t >> 22 & 0xFF), UInt8(t >> 14 & 0xFE) | 1,
                UInt8(t >> 7 & 0xFF), UInt8(t << 1 & 0xFE) | 1]
    }
}
