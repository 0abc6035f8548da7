import Foundation
import NIOCore
import Testing
@testable import Media

/// PS sample → frames → fMP4 file → ffprobe reads the right codec, size and frame count.
@Suite struct FragmentedMP4Tests {
    struct Case: Sendable, CustomTestStringConvertible {
        let file: String
        let probedCodec: String
        let frames: Int
        let codecString: String
        var testDescription: String { file }
    }

    static let cases = [
        Case(file: TestFiles.h264File, probedCodec: "h264", frames: 288, codecString: "avc1.4d4028"),
        Case(file: TestFiles.h265File, probedCodec: "hevc", frames: 295, codecString: "hvc1.1.6.L120.90"),
        Case(file: TestFiles.vobFile, probedCodec: "h264", frames: 250, codecString: "avc1.4d4028"),
    ]

    static func remux(_ frames: [MediaFrame], mode: FragmentedMP4Muxer.FragmentMode) throws -> (muxer: FragmentedMP4Muxer, bytes: [UInt8], fragments: Int) {
        let params = try parameters(of: frames)
        var muxer = FragmentedMP4Muxer(video: params, mode: mode)
        var out = muxer.initializationSegment()
        var fragments = 0
        for frame in frames {
            if var fragment = muxer.append(frame) {
                out.writeBuffer(&fragment)
                fragments += 1
            }
        }
        if var fragment = muxer.flush() {
            out.writeBuffer(&fragment)
            fragments += 1
        }
        return (muxer, Array(out.readableBytesView), fragments)
    }

    @Test(arguments: cases)
    func remuxedFileReadsBackInFFprobe(_ c: Case) throws {
        let (frames, _) = demuxAll(try TestFiles.psSample(c.file))
        let (muxer, bytes, fragments) = try Self.remux(frames, mode: .perGOP)
        #expect(fragments == (c.frames + 49) / 50)
        #expect(muxer.video.rfc6381Codec == c.codecString)
        #expect(muxer.mimeType == "video/mp4; codecs=\"\(c.codecString)\"")
        let url = try TemporaryFile.write(bytes, suffix: ".mp4")
        defer { TemporaryFile.remove(url) }
        let (streams, errors) = try FFprobe.streams(url)
        #expect(errors.isEmpty, "ffprobe complained: \(errors)")
        let stream = try #require(streams.first)
        #expect(streams.count == 1)
        #expect(stream.codec_name == c.probedCodec)
        #expect(stream.width == 1920)
        #expect(stream.height == 1080)
        #expect(stream.nb_read_frames == String(c.frames))
        // The sample timeline must start at 0 and advance 3600 per frame (25 fps).
        let pts = try FFprobe.packetPTS(url)
        #expect(pts.first == 0)
        #expect(pts.count == c.frames)
    }

    @Test func perFrameFragmentsAlsoRead() throws {
        let (frames, _) = demuxAll(try TestFiles.psSample(TestFiles.h264File))
        let (_, bytes, fragments) = try Self.remux(frames, mode: .perFrame)
        #expect(fragments == 288)
        let url = try TemporaryFile.write(bytes, suffix: ".mp4")
        defer { TemporaryFile.remove(url) }
        let (streams, errors) = try FFprobe.streams(url)
        #expect(errors.isEmpty, "ffprobe complained: \(errors)")
        #expect(streams.first?.nb_read_frames == "288")
    }

    @Test func initializationSegmentStartsWithFtypAndMoov() throws {
        let (frames, _) = demuxAll(try TestFiles.psSample(TestFiles.h264File))
        let params = try parameters(of: frames)
        let init_ = Array(FragmentedMP4Muxer(video: params).initializationSegment().readableBytesView)
        #expect(Array(init_[4..<8]) == Array("ftyp".utf8))
        let ftypSize = Int(init_[3])
        #expect(Array(init_[(ftypSize + 4)..<(ftypSize + 8)]) == Array("moov".utf8))
        // avcC carries the SPS's profile/compat/level bytes.
        let avcC = try #require(findBox("avcC", in: init_))
        #expect(Array(init_[(avcC + 8)..<(avcC + 12)]) == [1, 0x4D, 0x40, 0x28])
    }

    @Test func framesBeforeTheFirstKeyframeAreDropped() throws {
        let (frames, _) = demuxAll(try TestFiles.psSample(TestFiles.h264File))
        let params = try parameters(of: frames)
        var muxer = FragmentedMP4Muxer(video: params)
        for frame in frames[1..<10] { #expect(muxer.append(frame) == nil) }
        #expect(muxer.droppedBeforeKeyframe == 9)
    }

    @Test func g711AudioTrackIsReadAlongsideVideo() throws {
        let (frames, _) = demuxAll(try TestFiles.psSample(TestFiles.h264File))
        let params = try parameters(of: frames)
        var muxer = FragmentedMP4Muxer(video: params, audio: .g711a)
        var out = muxer.initializationSegment()
        for frame in frames {
            // 40 ms of A-law silence (320 samples) per video frame.
            let audio = MediaFrame(audio: .g711a, pts: frame.pts, data: [UInt8](repeating: 0xD5, count: 320))
            if var f = muxer.append(frame) { out.writeBuffer(&f) }
            _ = muxer.append(audio)
        }
        if var f = muxer.flush() { out.writeBuffer(&f) }
        let url = try TemporaryFile.write(Array(out.readableBytesView), suffix: ".mp4")
        defer { TemporaryFile.remove(url) }
        let (streams, errors) = try FFprobe.streams(url)
        #expect(errors.isEmpty, "ffprobe complained: \(errors)")
        #expect(streams.map(\.codec_name) == ["h264", "pcm_alaw"])
    }
}

/// Offset of the first box of `type` (searching the raw bytes for its FourCC).
func findBox(_ type: String, in bytes: [UInt8]) -> Int? {
    let tag = Array(type.utf8)
    guard bytes.count >= 8 else { return nil }
    for i in 4..<(bytes.count - 4) where Array(bytes[i..<(i + 4)]) == tag { return i - 4 }
    return nil
}

enum TemporaryFile {
    static func write(_ bytes: [UInt8], suffix: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("gbshare-media-\(UUID().uuidString)\(suffix)")
        try Data(bytes).write(to: url)
        return url
    }

    static func remove(_ url: URL) {
        try? FileManager.default.removeItem(at: url)
    }
}
