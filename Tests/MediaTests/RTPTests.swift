import NIOCore
import Testing
@testable import Media

@Suite struct RTPTests {
    @Test func specHeaderVector() throws {
        let packet = try RTPPacket(parsing: ByteBuffer(bytes: hex("80 E0 00 01 00 01 5F 90 0B EB C2 01") + [0xAB]))
        #expect(packet.marker)
        #expect(packet.payloadType == 96)
        #expect(packet.sequenceNumber == 1)
        #expect(packet.timestamp == 90000)
        #expect(packet.ssrc == 200_000_001)
        #expect(Array(packet.payload.readableBytesView) == [0xAB])
        var out = ByteBuffer()
        packet.write(into: &out)
        #expect(Array(out.readableBytesView) == hex("80 E0 00 01 00 01 5F 90 0B EB C2 01 AB"))
    }

    @Test func wholePackAsOneRTPPacketAndOverTCP() throws {
        let rtp = hex("80 E0 00 01 00 01 5F 90 0B EB C2 01") + PSVectorTests.wholePack
        #expect(rtp.count == 113)
        var decoder = RFC4571FrameDecoder()
        var stream = ByteBuffer(bytes: hex("00 71") + rtp + hex("00 71") + rtp.prefix(50))
        let frame = try #require(try decoder.nextFrame(&stream))
        #expect(Array(frame.readableBytesView) == rtp)
        #expect(try decoder.nextFrame(&stream) == nil)  // second one is incomplete
        let packet = try RTPPacket(parsing: frame)
        var demuxer = PSDemuxer()
        let frames = demuxer.feed(packet.payload) + demuxer.flush()
        #expect(frames.count == 1)
        #expect(frames.first?.pts == 90000)
    }

    @Test func packetizerMatchesTheSpecSplit() {
        var packetizer = RTPPacketizer(ssrc: 200_000_001, maxPayload: 40, firstSequenceNumber: 0x64)
        let packets = packetizer.packetize(ByteBuffer(bytes: PSVectorTests.wholePack), timestamp: 90000)
        #expect(packets.map(\.payload.readableBytes) == [40, 40, 21])
        #expect(packets.map(\.marker) == [false, false, true])
        let headers = packets.map { p -> [UInt8] in
            var b = ByteBuffer()
            p.write(into: &b)
            return Array(b.readableBytesView.prefix(8))
        }
        #expect(headers == [hex("80 60 00 64 00 01 5F 90"), hex("80 60 00 65 00 01 5F 90"), hex("80 E0 00 66 00 01 5F 90")])
    }

    @Test func csrcExtensionAndPaddingAreStripped() throws {
        // V=2 P=1 X=1 CC=1, one CSRC, a one-word extension, payload AA BB, 2 bytes of padding.
        let bytes = hex("B1 60 00 02 00 00 00 10 00 00 00 01  00 00 00 09  BE DE 00 01 11 22 33 44  AA BB  00 02")
        let packet = try RTPPacket(parsing: ByteBuffer(bytes: bytes))
        #expect(packet.csrcs == [9])
        #expect(packet.headerExtension?.profile == 0xBEDE)
        #expect(packet.headerExtension?.data.readableBytes == 4)
        #expect(Array(packet.payload.readableBytesView) == [0xAA, 0xBB])
    }

    @Test(arguments: [
        ("40 60 00 01 00 01 5F 90 0B EB C2 01", RTPPacketError.unsupportedVersion(1)),
        ("80 60 00 01 00 01 5F 90 0B EB C2", RTPPacketError.tooShort(length: 11)),
        ("8F 60 00 01 00 01 5F 90 0B EB C2 01 00 00 00 01", RTPPacketError.csrcListOverrun(count: 15, length: 16)),
        ("90 60 00 01 00 01 5F 90 0B EB C2 01 BE DE 00 04 00", RTPPacketError.extensionOverrun(declaredBytes: 16, available: 1)),
        ("A0 60 00 01 00 01 5F 90 0B EB C2 01 AA 09", RTPPacketError.paddingOverrun(padding: 9, available: 2)),
    ])
    func malformedPacketsThrowTypedErrors(bytes: String, expected: RTPPacketError) {
        #expect(throws: expected) { try RTPPacket(parsing: ByteBuffer(bytes: hex(bytes))) }
    }

    @Test func oversizedTCPFrameIsRejected() {
        var decoder = RFC4571FrameDecoder(maxFrameLength: 1500)
        var stream = ByteBuffer(bytes: hex("FF FF 00"))
        #expect(throws: RFC4571FramingError.frameTooLong(length: 65535, limit: 1500)) { try decoder.nextFrame(&stream) }
    }

    @Test func rtspInterleavedFramingIsDetected() throws {
        var decoder = RFC4571FrameDecoder()
        var stream = ByteBuffer(bytes: hex("24 00 00 03 AA BB CC 24 00 00 01 DD"))
        #expect(try decoder.nextFrame(&stream).map { Array($0.readableBytesView) } == [0xAA, 0xBB, 0xCC])
        #expect(try decoder.nextFrame(&stream).map { Array($0.readableBytesView) } == [0xDD])
    }

    static func packet(_ seq: UInt16, ts: UInt32 = 0) -> RTPPacket {
        RTPPacket(marker: false, payloadType: 96, sequenceNumber: seq, timestamp: ts, ssrc: 1, payload: ByteBuffer(bytes: [UInt8(seq & 0xFF)]))
    }

    @Test func receiverReordersWithinItsDepth() {
        var r = RTPStreamReceiver(ssrc: 1, reorderDepth: 4)
        var out: [UInt16] = []
        for seq: UInt16 in [10, 12, 11, 13, 13, 15, 14] {
            out += r.receive(Self.packet(seq), arrival: 0).map(\.sequenceNumber)
        }
        #expect(out == [10, 11, 12, 13, 14, 15])
        #expect(r.stats.duplicates == 1)
        #expect(r.stats.reordered == 2)
        #expect(r.stats.lost == 0)
        _ = r.receive(Self.packet(12), arrival: 0)
        #expect(r.stats.duplicates == 2)
    }

    @Test func receiverGivesUpAGapWhenTheBufferIsFull() {
        var r = RTPStreamReceiver(ssrc: 1, reorderDepth: 2)
        var out: [UInt16] = []
        for seq: UInt16 in [1, 3, 4, 5, 6] { out += r.receive(Self.packet(seq), arrival: 0).map(\.sequenceNumber) }
        #expect(out == [1, 3, 4, 5, 6])
        #expect(r.stats.lost == 1)
        _ = r.receive(Self.packet(2), arrival: 0)
        #expect(r.stats.late == 1)
    }

    @Test func receiverHandlesSequenceWrap() {
        var r = RTPStreamReceiver(ssrc: 1, reorderDepth: 4)
        var out: [UInt16] = []
        for seq: UInt16 in [65534, 0, 65535, 1] { out += r.receive(Self.packet(seq), arrival: 0).map(\.sequenceNumber) }
        #expect(out == [65534, 65535, 0, 1])
        #expect(r.stats.lost == 0)
    }

    @Test func jitterFollowsRFC3550() {
        var r = RTPStreamReceiver(ssrc: 1)
        // Perfectly paced packets: no jitter. Then one packet 160 units late: J = 160/16 = 10.
        for i in 0..<10 { _ = r.receive(Self.packet(UInt16(i), ts: UInt32(i * 3600)), arrival: Int64(i * 3600)) }
        #expect(r.stats.jitter == 0)
        _ = r.receive(Self.packet(10, ts: 36000), arrival: 36000 + 160)
        #expect(r.stats.jitter == 10)
    }

    @Test func ssrcTableStaysBoundedUnderAFlood() throws {
        var table = RTPStreamTable<Int>(capacity: 8, unknownCapacity: 32)
        try table.register(ssrc: 200_000_001, stream: 1)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<100_000 { _ = table.route(ssrc: generator.next()) }
        #expect(table.unknownPackets == 100_000)
        #expect(table.unknownSSRCs.count <= 32)
        #expect(table.unknownEvictions > 99_000)
        guard case .stream(1) = table.route(ssrc: 200_000_001) else {
            Issue.record("registered stream not routed")
            return
        }
        for i in 0..<7 { try table.register(ssrc: UInt32(i), stream: i) }
        #expect(throws: RTPStreamTable<Int>.RegistrationError.full(capacity: 8)) { try table.register(ssrc: 99, stream: 99) }
        table.fallback = 42
        guard case .fallback(42) = table.route(ssrc: 12345) else {
            Issue.record("fallback stream not used")
            return
        }
    }
}
