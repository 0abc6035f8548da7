import NIOCore
import Testing
@testable import Media

/// The SIPp media pcaps (ZLMediaKit PS over RTP/UDP, SSRC 100000001): pcap → UDP → RTP → PS → frames,
/// and the same facts as the PS files.
@Suite struct PcapRTPTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let pcap: String
        let psFile: String
        let codec: MediaCodec
        /// `ffprobe -count_frames` on the concatenated RTP payloads: the capture ends one frame before the PS file.
        let frames: Int
        var testDescription: String { pcap }
    }

    static let cases = [
        Case(pcap: "ps_h264_1080p25_ssrc100000001.pcap", psFile: TestFiles.h264File, codec: .h264, frames: 287),
        Case(pcap: "ps_h265_1080p25_ssrc100000001.pcap", psFile: TestFiles.h265File, codec: .h265, frames: 294),
    ]

    static func frames(from datagrams: [PcapReader.UDPDatagram], order: [Int]? = nil) throws -> (frames: [MediaFrame], receiver: PSOverRTPReceiver) {
        var table = RTPStreamTable<Int>()
        try table.register(ssrc: 100_000_001, stream: 0)
        var receiver = PSOverRTPReceiver(ssrc: 100_000_001)
        var frames: [MediaFrame] = []
        for index in order ?? Array(datagrams.indices) {
            let d = datagrams[index]
            let packet = try RTPPacket(parsing: ByteBuffer(bytes: d.payload))
            guard case .stream = table.route(ssrc: packet.ssrc) else { continue }
            frames += receiver.receive(packet, arrival: Int64(d.time * 90_000))
        }
        frames += receiver.flush()
        return (frames, receiver)
    }

    @Test(arguments: cases)
    func pcapGivesTheSameFramesAsThePSFile(_ c: Case) throws {
        let datagrams = try PcapReader.udpDatagrams(try TestFiles.pcap(c.pcap))
        #expect(datagrams.count > 100)
        let (frames, receiver) = try Self.frames(from: datagrams)
        let (reference, _) = demuxAll(try TestFiles.psSample(c.psFile))
        #expect(frames.count == c.frames)
        #expect(frames.allSatisfy { $0.codec == c.codec })
        // Same frames, byte for byte, as the PS file (which has one more at the end).
        #expect(frames.map(\.pts) == reference.prefix(frames.count).map(\.pts))
        #expect(frames.map(\.data) == reference.prefix(frames.count).map(\.data))
        #expect(frames.indices.filter { frames[$0].isKeyframe } == Array(stride(from: 0, to: frames.count, by: 50)))
        let params = try parameters(of: frames)
        #expect(params.width == 1920 && params.height == 1080)
        #expect(receiver.rtp.stats.lost == 0)
        #expect(receiver.rtp.stats.duplicates == 0)
        #expect(receiver.demuxer.stats.corruptPackets == 0)
    }

    @Test func reorderedAndLossyDeliveryStillYieldsDecodableFrames() throws {
        let datagrams = try PcapReader.udpDatagrams(try TestFiles.pcap(Self.cases[0].pcap))
        // Swap neighbours every 7 packets and drop every 100th packet.
        var order = Array(datagrams.indices)
        for i in stride(from: 0, to: order.count - 1, by: 7) { order.swapAt(i, i + 1) }
        let lossy = order.enumerated().filter { $0.offset % 100 != 99 }.map(\.element)
        let (frames, receiver) = try Self.frames(from: datagrams, order: lossy)
        #expect(receiver.rtp.stats.reordered > 0)
        #expect(receiver.rtp.stats.lost == order.count - lossy.count)
        #expect(receiver.framesDroppedAfterLoss > 0)
        #expect(frames.first?.isKeyframe == true)
        // After every loss, video resumes only at a keyframe; PTS stays monotonic.
        #expect(zip(frames, frames.dropFirst()).allSatisfy { $0.pts < $1.pts })
        #expect(frames.count < 287)
    }
}
