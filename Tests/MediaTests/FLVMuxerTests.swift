import Foundation
import NIOCore
import Testing
@testable import Media

/// PS sample → frames → FLV file; ffprobe reads H.264 FLV. Debian 12's ffprobe (FFmpeg 5.1) predates
/// enhanced FLV, so the H.265 file is checked by walking its tags here and by ffprobe reading the container.
@Suite struct FLVMuxerTests {
    static func remux(_ file: String, audio: Bool = false) throws -> (bytes: [UInt8], frames: [MediaFrame], params: CodecParameters) {
        let (frames, _) = demuxAll(try TestFiles.psSample(file))
        let params = try parameters(of: frames)
        var muxer = FLVMuxer(video: params, audio: audio ? .g711a : nil)
        var out = muxer.header()
        for frame in frames {
            if var tag = muxer.append(frame) { out.writeBuffer(&tag) }
            if audio, var tag = muxer.append(MediaFrame(audio: .g711a, pts: frame.pts, data: [UInt8](repeating: 0xD5, count: 320))) {
                out.writeBuffer(&tag)
            }
        }
        return (Array(out.readableBytesView), frames, params)
    }

    /// (tag type, timestamp ms, body) of every tag; checks PreviousTagSize on the way.
    static func tags(_ bytes: [UInt8]) throws -> [(type: UInt8, timestamp: Int, body: ArraySlice<UInt8>)] {
        guard bytes.count >= 13, Array(bytes[0..<3]) == Array("FLV".utf8) else { throw MissingValue(description: "no FLV header") }
        var tags: [(UInt8, Int, ArraySlice<UInt8>)] = []
        var i = 13
        while i + 11 <= bytes.count {
            let size = Int(bytes[i + 1]) << 16 | Int(bytes[i + 2]) << 8 | Int(bytes[i + 3])
            let ts = Int(bytes[i + 7]) << 24 | Int(bytes[i + 4]) << 16 | Int(bytes[i + 5]) << 8 | Int(bytes[i + 6])
            guard i + 11 + size + 4 <= bytes.count else { throw MissingValue(description: "tag at \(i) truncated") }
            let prev = bytes[(i + 11 + size)..<(i + 15 + size)].reduce(0) { $0 << 8 | Int($1) }
            guard prev == size + 11 else { throw MissingValue(description: "PreviousTagSize \(prev) at \(i)") }
            tags.append((bytes[i], ts, bytes[(i + 11)..<(i + 11 + size)]))
            i += 15 + size
        }
        guard i == bytes.count else { throw MissingValue(description: "trailing bytes at \(i)") }
        return tags
    }

    @Test func h264FLVReadsBackInFFprobe() throws {
        let (bytes, _, _) = try Self.remux(TestFiles.h264File)
        let url = try TemporaryFile.write(bytes, suffix: ".flv")
        defer { TemporaryFile.remove(url) }
        let (streams, errors) = try FFprobe.streams(url)
        #expect(errors.isEmpty, "ffprobe complained: \(errors)")
        let stream = try #require(streams.first)
        #expect(stream.codec_name == "h264")
        #expect(stream.width == 1920)
        #expect(stream.height == 1080)
        #expect(stream.nb_read_frames == "288")
        let tags = try Self.tags(bytes)
        #expect(tags.map(\.type).prefix(2) == [18, 9])
        #expect(Array(tags[1].body.prefix(2)) == [0x17, 0x00])
        #expect(tags.filter { $0.type == 9 }.count == 289)
    }

    @Test func h264FLVWithG711AudioReadsBack() throws {
        let (bytes, _, _) = try Self.remux(TestFiles.h264File, audio: true)
        let url = try TemporaryFile.write(bytes, suffix: ".flv")
        defer { TemporaryFile.remove(url) }
        let (streams, errors) = try FFprobe.streams(url)
        #expect(errors.isEmpty, "ffprobe complained: \(errors)")
        #expect(Set(streams.compactMap(\.codec_name)) == ["h264", "pcm_alaw"])
    }

    @Test func h265FLVUsesTheEnhancedHeader() throws {
        let (bytes, frames, params) = try Self.remux(TestFiles.h265File)
        let tags = try Self.tags(bytes)
        let video = tags.filter { $0.type == 9 }
        #expect(video.count == frames.count + 1)
        // SequenceStart: ExHeader | keyframe | 0, FourCC hvc1, then the hvcC record.
        let sequenceStart = try #require(video.first).body
        #expect(sequenceStart.first == 0x90)
        #expect(Array(sequenceStart.dropFirst().prefix(4)) == Array("hvc1".utf8))
        #expect(Array(sequenceStart.dropFirst(5)) == DecoderConfigurationRecord.hevc(params))
        // Coded frames: ExHeader | frame type | CodedFrames(1), keyframes every 50 frames, 40 ms apart.
        let coded = video.dropFirst()
        #expect(coded.filter { $0.body.first == 0x91 }.count == 6)
        #expect(coded.filter { $0.body.first == 0xA1 }.count == frames.count - 6)
        #expect(coded.map(\.timestamp).prefix(3) == [0, 40, 80])
        // ffprobe 5.1 has no enhanced-FLV support but must still read the container without failing.
        let url = try TemporaryFile.write(bytes, suffix: ".flv")
        defer { TemporaryFile.remove(url) }
        _ = try FFprobe.run(["-v", "error", "-show_format", "-of", "json", url.path])
    }
}
