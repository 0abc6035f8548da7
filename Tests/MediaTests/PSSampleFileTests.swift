import Testing
@testable import Media

/// The ZLMediaKit and ffmpeg program streams of /work/shared/peers/ps, checked against what
/// `ffprobe -count_frames` says about the same files (288 / 295 / 250 frames, 1920x1080, GOP 50).
@Suite struct PSSampleFileTests {
    struct Expectation: Sendable, CustomTestStringConvertible {
        let file: String
        let codec: MediaCodec
        let frames: Int
        var testDescription: String { file }
    }

    static let samples = [
        Expectation(file: TestFiles.h264File, codec: .h264, frames: 288),
        Expectation(file: TestFiles.h265File, codec: .h265, frames: 295),
        Expectation(file: TestFiles.vobFile, codec: .h264, frames: 250),
    ]

    @Test(arguments: samples)
    func demuxSample(_ sample: Expectation) throws {
        let bytes = try TestFiles.psSample(sample.file)
        let (frames, stats) = demuxAll(bytes)
        #expect(frames.count == sample.frames)
        #expect(frames.allSatisfy { $0.codec == sample.codec })
        #expect(stats.corruptPackets == 0)
        #expect(stats.resyncs == 0)
        #expect(stats.pesLengthMismatches == 0)
        // GOP 50: keyframes at 0, 50, 100, ...
        let keyframes = frames.indices.filter { frames[$0].isKeyframe }
        #expect(keyframes == Array(stride(from: 0, to: sample.frames, by: 50)))
        // Monotonic, about 25 fps, and the same PTS as ffprobe reads (the H.264 file has one 3510 step;
        // the ffmpeg VOB puts a PTS on about half of the frames only, the rest are interpolated).
        for i in 1..<frames.count {
            let step = frames[i].pts - frames[i - 1].pts
            #expect(step > 3000 && step < 4000, "pts step \(step) at frame \(i)")
        }
        let probed = try FFprobe.packetPTS(TestFiles.shared.appendingPathComponent("peers/ps/\(sample.file)"))
        #expect(frames.count == probed.count)
        let mismatches = zip(frames, probed).enumerated().filter { i, pair in pair.1 != nil && pair.0.pts != pair.1 }
        #expect(mismatches.isEmpty, "first PTS mismatch at frame \(mismatches.first?.offset ?? -1)")
        #expect(stats.framesWithoutPTS == (sample.file == TestFiles.vobFile ? 120 : 0))
        let params = try #require(CodecParameters(frame: frames[0]))
        #expect(params.codec == sample.codec)
        #expect(params.width == 1920)
        #expect(params.height == 1080)
        #expect(params.frameRate == 25)
    }

    @Test(arguments: [1, 7, 188, 1400, 65536])
    func chunkSizeDoesNotChangeTheResult(chunk: Int) throws {
        let bytes = try TestFiles.psSample(TestFiles.h265File)
        let (frames, _) = demuxAll(bytes, chunk: chunk)
        let (reference, _) = demuxAll(bytes, chunk: bytes.count)
        #expect(frames.count == reference.count)
        #expect(frames.map(\.data) == reference.map(\.data))
    }
}
