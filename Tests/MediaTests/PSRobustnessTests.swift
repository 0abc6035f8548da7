import NIOCore
import Testing
@testable import Media

/// Damaged and unusual program streams: counted in the stats, never a crash, memory bounded.
@Suite struct PSRobustnessTests {
    static let es = PSVectorTests.es
    static let pack = PSVectorTests.packHeader

    /// A GB-layout stream built by our own muxer from the H.264 sample's frames.
    static func remuxedH264() throws -> (bytes: [UInt8], frames: [MediaFrame]) {
        let (frames, _) = demuxAll(try TestFiles.psSample(TestFiles.h264File))
        let muxer = PSMuxer(videoCodec: .h264, audioCodec: .g711a)
        var out = ByteBuffer()
        for frame in frames { muxer.mux(frame, into: &out) }
        return (Array(out.readableBytesView), frames)
    }

    @Test func psMuxerRoundTripsTheSample() throws {
        let (bytes, frames) = try Self.remuxedH264()
        let (again, stats) = demuxAll(bytes)
        #expect(again.map(\.data) == frames.map(\.data))
        #expect(again.map(\.pts) == frames.map(\.pts))
        #expect(again.map(\.isKeyframe) == frames.map(\.isKeyframe))
        #expect(stats.programStreamMaps == 6)
        #expect(stats.corruptPackets == 0)
        // ffprobe agrees with the remuxed PS too.
        let url = try TemporaryFile.write(bytes, suffix: ".ps")
        defer { TemporaryFile.remove(url) }
        let (streams, errors) = try FFprobe.streams(url)
        #expect(errors.isEmpty, "ffprobe complained: \(errors)")
        #expect(streams.first?.codec_name == "h264")
        #expect(streams.first?.nb_read_frames == "288")
    }

    @Test func bigFramesAreSplitIntoSeveralPES() throws {
        var data = [UInt8](Self.es)
        data += [0, 0, 0, 1, 0x65] + [UInt8](repeating: 0x5A, count: 200_000)
        let frame = MediaFrame(codec: .h264, pts: 90000, annexB: data)
        let ps = Array(PSMuxer(videoCodec: .h264).mux(frame).readableBytesView)
        var demuxer = PSDemuxer()
        let frames = demuxer.feed(ps) + demuxer.flush()
        #expect(demuxer.stats.pesPackets == 4)
        #expect(frames.count == 1)
        #expect(frames.first?.data == data)
    }

    @Test func truncatedStreamIsCountedNotFatal() throws {
        let (bytes, _) = try Self.remuxedH264()
        for cut in [3, 13, 20, 60, 1000, bytes.count / 2 + 7] {
            var demuxer = PSDemuxer()
            _ = demuxer.feed(Array(bytes.prefix(cut)))
            _ = demuxer.flush()
            #expect(demuxer.stats.truncatedPackets >= 1, "cut at \(cut)")
        }
    }

    @Test func pesLengthThatLiesIsRepaired() throws {
        // Too long: declared 0x0100 but the next pack follows after 39 bytes.
        var tooLong = PSVectorTests.wholePack
        tooLong[60] = 0x01; tooLong[61] = 0x00
        var demuxer = PSDemuxer()
        var frames = demuxer.feed(tooLong + PSVectorTests.wholePack + PSVectorTests.wholePack)
        frames += demuxer.flush()
        #expect(frames.count == 3)
        #expect(frames.allSatisfy { $0.data == Self.es })
        #expect(demuxer.stats.pesLengthMismatches == 1)
        if case .pesLengthMismatch(0xE0, _, 0x100, 0x27)? = demuxer.stats.lastError {} else {
            Issue.record("unexpected lastError \(String(describing: demuxer.stats.lastError))")
        }
        // Too short: declared 0x20, the ES runs 7 bytes further.
        var tooShort = PSVectorTests.wholePack
        tooShort[61] = 0x20
        var demuxer2 = PSDemuxer()
        let frames2 = demuxer2.feed(tooShort + PSVectorTests.wholePack) + demuxer2.flush()
        #expect(frames2.count == 2)
        #expect(frames2.first?.data == Self.es)
        #expect(demuxer2.stats.pesLengthMismatches == 1)
    }

    @Test func unboundedVideoPESRunsToTheNextStartCode() {
        let pes = hex("00 00 01 E0 00 00 80 80 05 21 00 05 BF 21") + Self.es
        var demuxer = PSDemuxer()
        let frames = demuxer.feed(Self.pack + pes + Self.pack + pes) + demuxer.flush()
        #expect(frames.count == 2)
        #expect(frames.allSatisfy { $0.data == Self.es })
        #expect(demuxer.stats.unboundedPESPackets == 2)
    }

    @Test func missingPSMIsSniffedAndWrongPSMIsOverruled() throws {
        // No PSM at all (H.265 sample without BB/BC packets would need rewriting: use the vector ES).
        let pes = Array(PSVectorTests.videoPES)
        var demuxer = PSDemuxer()
        let frames = demuxer.feed(Self.pack + pes) + demuxer.flush()
        #expect(frames.first?.codec == .h264)
        // PSM says H.264 (0x1B), the NALs are H.265 (spec §6.6, [Z] issue 1192).
        let h265 = try TestFiles.psSample(TestFiles.h265File)
        var lying = h265
        for i in 0..<(lying.count - 16) where lying[i] == 0 && lying[i + 1] == 0 && lying[i + 2] == 1 && lying[i + 3] == 0xBC {
            let entries = i + 12 + (Int(lying[i + 8]) << 8 | Int(lying[i + 9]))
            if lying[entries] == 0x24 { lying[entries] = 0x1B }
        }
        let (frames2, stats2) = demuxAll(lying)
        #expect(frames2.count == 295)
        #expect(frames2.allSatisfy { $0.codec == .h265 })
        #expect(stats2.codecCorrections >= 1)
    }

    @Test func hikvisionTruncatedPackHeaderIsSkipped() {
        var demuxer = PSDemuxer()
        let frames = demuxer.feed(hex("00 00 01 BA") + PSVectorTests.videoPES) + demuxer.flush()
        #expect(frames.count == 1)
        #expect(demuxer.stats.truncatedPackHeaders == 1)
    }

    @Test func bareAnnexBWithoutPSUsesTheRTPTimestamp() {
        var demuxer = PSDemuxer()
        var frames: [MediaFrame] = []
        frames += demuxer.feed(Self.es, timestamp: 90000)
        frames += demuxer.feed(Self.es, timestamp: 93600)
        frames += demuxer.flush()
        #expect(frames.map(\.pts) == [90000, 93600])
        #expect(frames.allSatisfy { $0.codec == .h264 && $0.data == Self.es })
        #expect(demuxer.stats.elementaryStreamBytes == 2 * Self.es.count)
    }

    @Test func privateAndPaddingStreamsAreSkipped() {
        let privateData = hex("00 00 01 BD 00 04 DE AD BE EF 00 00 01 BE 00 02 FF FF")
        var demuxer = PSDemuxer()
        let frames = demuxer.feed(Self.pack + privateData + PSVectorTests.videoPES) + demuxer.flush()
        #expect(frames.count == 1)
        #expect(demuxer.stats.privateOrPaddingPackets == 2)
    }

    @Test func garbageBetweenPacksIsSkippedAndCounted() {
        let garbage: [UInt8] = [0x12, 0x34, 0x56, 0x78, 0x9A]
        var demuxer = PSDemuxer()
        let frames = demuxer.feed(garbage + PSVectorTests.wholePack + PSVectorTests.wholePack) + demuxer.flush()
        #expect(frames.count == 2)
        #expect(demuxer.stats.resyncs == 1)
        #expect(demuxer.stats.skippedBytes == 5)
    }

    @Test(arguments: [1, 2, 3, 4, 5])
    func randomBytesNeverCrashAndStayBounded(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var demuxer = PSDemuxer()
        var frames = 0
        for _ in 0..<400 {
            var chunk = (0..<1400).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            // Sprinkle start codes so the parser takes every branch, not only resync.
            for _ in 0..<6 {
                let at = Int(rng.next() % 1390)
                chunk.replaceSubrange(at..<(at + 4), with: [0, 0, 1, [0xBA, 0xBB, 0xBC, 0xE0, 0xC0, 0xBD, 0x65, 0x67][Int(rng.next() % 8)]])
            }
            frames += demuxer.feed(chunk).count
        }
        frames += demuxer.flush().count
        #expect(demuxer.stats.bytesIn == 400 * 1400)
        #expect(demuxer.stats.resyncs + demuxer.stats.corruptPackets > 0)
        _ = frames
    }

    @Test func oversizedAccessUnitIsDroppedAndCounted() {
        var configuration = PSDemuxer.Configuration()
        configuration.maxAccessUnitBytes = 64 * 1024
        var demuxer = PSDemuxer(configuration: configuration)
        // One unbounded PES carrying 1 MB of a single slice: no access unit boundary ever comes.
        let header = Self.pack + hex("00 00 01 E0 00 00 80 80 05 21 00 05 BF 21") + Self.es
        _ = demuxer.feed(header)
        let filler = [UInt8](repeating: 0x5A, count: 1400)
        for _ in 0..<750 { _ = demuxer.feed(filler) }
        let frames = demuxer.feed(PSVectorTests.wholePack) + demuxer.flush()
        #expect(demuxer.stats.oversizedDrops >= 1)
        #expect(frames.last?.data == Self.es)
    }
}

/// Deterministic generator for reproducible fuzz-style tests.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
