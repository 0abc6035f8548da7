import NIOCore
import Testing
@testable import Media

/// The byte vectors of spec §6.3, parsed to exact values.
@Suite struct PSVectorTests {
    static let packHeader = hex("00 00 01 BA 44 00 16 FC 84 01 00 5F 6B F8")
    static let systemHeader = hex("00 00 01 BB 00 0C 80 CC F5 04 E1 7F E0 E1 90 C0 C0 20")
    static let psmH264 = hex("00 00 01 BC 00 12 E0 FF 00 00 00 08 1B E0 00 00 90 C0 00 00 FE DF B1 D7")
    static let es = hex("00 00 00 01 67 4D 00 1F 9A 66 02 80 0B 74 20 00 00 00 01 68 EE 3C 80 00 00 00 01 65 88 84 10")
    static let videoPES = hex("00 00 01 E0 00 27 80 80 05 21 00 05 BF 21") + es
    static let wholePack = hex("""
        00 00 01 BA 44 00 16 FC 84 01 00 5F 6B F8 00 00 01 BB 00 0C 80 CC F5 04 E1 7F E0 E1 90 C0 C0 20
        00 00 01 BC 00 12 E0 FF 00 00 00 08 1B E0 00 00 90 C0 00 00 FE DF B1 D7 00 00 01 E0 00 27 80 80
        05 21 00 05 BF 21 00 00 00 01 67 4D 00 1F 9A 66 02 80 0B 74 20 00 00 00 01 68 EE 3C 80 00 00 00
        01 65 88 84 10
        """)

    @Test func packHeaderWithoutStuffing() throws {
        let header = try #require(try PSPackHeader.parse(ByteBuffer(bytes: Self.packHeader), at: 0))
        #expect(header.scrBase == 90000)
        #expect(header.scrExtension == 0)
        #expect(header.muxRate == 6106)
        #expect(header.stuffingLength == 0)
        #expect(header.length == 14)
        #expect(!header.isMPEG1)
    }

    @Test func packHeaderWithHikvisionStuffingContainingAStartCode() throws {
        let bytes = hex("00 00 01 BA 44 00 16 FC 84 01 00 5F 6B FE FF FF 00 00 01 AF")
        let header = try #require(try PSPackHeader.parse(ByteBuffer(bytes: bytes), at: 0))
        #expect(header.scrBase == 90000)
        #expect(header.stuffingLength == 6)
        #expect(header.length == 20)
        // The demuxer must not see the `00 00 01 AF` in the stuffing as a start code.
        var demuxer = PSDemuxer()
        _ = demuxer.feed(bytes + Self.videoPES)
        let frames = demuxer.flush()
        #expect(frames.count == 1)
        #expect(demuxer.stats.resyncs == 0)
        #expect(demuxer.stats.corruptPackets == 0)
    }

    @Test func packHeaderNeedsMoreBytes() throws {
        #expect(try PSPackHeader.parse(ByteBuffer(bytes: Array(Self.packHeader.prefix(10))), at: 0) == nil)
    }

    @Test func packHeaderWithBrokenMarkerBitsThrows() {
        var bytes = Self.packHeader
        bytes[4] = 0x00
        #expect(throws: PSDemuxError.self) { try PSPackHeader.parse(ByteBuffer(bytes: bytes), at: 0) }
    }

    @Test(arguments: [
        ("00 00 01 BC 00 12 E0 FF 00 00 00 08 1B E0 00 00 90 C0 00 00 FE DF B1 D7", MediaCodec.h264, MediaCodec.g711a),
        ("00 00 01 BC 00 12 E0 FF 00 00 00 08 24 E0 00 00 90 C0 00 00 5E 5F 92 C2", MediaCodec.h265, MediaCodec.g711a),
        ("00 00 01 BC 00 12 E0 FF 00 00 00 08 1B E0 00 00 0F C0 00 00 4A 45 C7 08", MediaCodec.h264, MediaCodec.aac),
    ])
    func programStreamMap(vector: String, videoCodec: MediaCodec, audioCodec: MediaCodec) throws {
        let map = try ProgramStreamMap.parse(ByteBuffer(bytes: hex(vector)))
        #expect(map.entries.count == 2)
        #expect(map.entries[0].streamID == 0xE0)
        #expect(map.entries[0].codec == videoCodec)
        #expect(map.entries[1].streamID == 0xC0)
        #expect(map.entries[1].codec == audioCodec)
        #expect(map.version == 0)
    }

    @Test func programStreamMapCRCMatchesMPEG2CRC() {
        // Built by our muxer; the spec's vector carries the standard CRC (which the parser does not check).
        #expect(PSMuxer.crc32MPEG2(Array(Self.psmH264.dropLast(4))) == 0xFEDF_B1D7)
    }

    @Test func malformedProgramStreamMapThrows() {
        var bytes = Self.psmH264
        bytes[11] = 0x40  // elementary_stream_map_length far beyond the packet
        #expect(throws: PSDemuxError.self) { try ProgramStreamMap.parse(ByteBuffer(bytes: bytes)) }
    }

    @Test func videoPESHeaderWithPTS() throws {
        let header = try #require(try PESHeader.parse(ByteBuffer(bytes: Self.videoPES), at: 0))
        #expect(header.streamID == 0xE0)
        #expect(header.packetLength == 0x27)
        #expect(header.pts == 90000)
        #expect(header.dts == nil)
        #expect(header.headerLength == 14)
    }

    @Test func videoPESHeaderWithPTSAndDTS() throws {
        let bytes = hex("00 00 01 E0 00 0D 80 C0 0A 31 00 05 F7 61 11 00 05 DB 41")
        let header = try #require(try PESHeader.parse(ByteBuffer(bytes: bytes), at: 0))
        #expect(header.pts == 97200)
        #expect(header.dts == 93600)
        #expect(PESHeader.encodeTimestamp(97200, prefix: 3) == hex("31 00 05 F7 61"))
        #expect(PESHeader.encodeTimestamp(93600, prefix: 1) == hex("11 00 05 DB 41"))
        #expect(PESHeader.encodeTimestamp(90000, prefix: 2) == hex("21 00 05 BF 21"))
    }

    @Test func audioPES() throws {
        var demuxer = PSDemuxer()
        let frames = demuxer.feed(Self.packHeader + hex("00 00 01 C0 00 10 80 80 05 21 00 05 BF 21 D5 D5 D5 D5 D5 D5 D5 D5"))
            + demuxer.flush()
        #expect(frames.count == 1)
        #expect(frames.first?.codec == .g711a)
        #expect(frames.first?.pts == 90000)
        #expect(frames.first?.data == [UInt8](repeating: 0xD5, count: 8))
    }

    @Test func wholePackGivesOneKeyframe() throws {
        #expect(Self.wholePack.count == 101)
        var demuxer = PSDemuxer()
        let frames = demuxer.feed(Self.wholePack) + demuxer.flush()
        let frame = try #require(frames.first)
        #expect(frames.count == 1)
        #expect(frame.codec == .h264)
        #expect(frame.pts == 90000)
        #expect(frame.dts == 90000)
        #expect(frame.isKeyframe)
        #expect(frame.data == Self.es)
        #expect(frame.nalUnitSlices.map { $0.first } == [0x67, 0x68, 0x65])
        #expect(demuxer.stats.packHeaders == 1)
        #expect(demuxer.stats.systemHeaders == 1)
        #expect(demuxer.stats.programStreamMaps == 1)
        #expect(demuxer.stats.pesPackets == 1)
        #expect(demuxer.stats.corruptPackets == 0)
        #expect(demuxer.streamMap[0xC0] == .g711a)
    }

    @Test func wholePackFedByteByByte() {
        var demuxer = PSDemuxer()
        var frames: [MediaFrame] = []
        for byte in Self.wholePack { frames += demuxer.feed([byte]) }
        frames += demuxer.flush()
        #expect(frames.count == 1)
        #expect(frames.first?.data == Self.es)
    }
}
