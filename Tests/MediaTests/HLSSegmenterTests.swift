import Foundation
import NIOCore
import Testing
@testable import Media

/// HLS with fMP4 segments: cut at keyframes near the target, a ring of segments, the playlist, and
/// ffprobe reading the playlist and segments back from a temp directory.
@Suite struct HLSSegmenterTests {
    static func events(_ frames: [MediaFrame]) throws -> [ViewerEvent] {
        [.parameters(StreamParameters(video: try parameters(of: frames)))] + frames.map { .frame($0) }
    }

    static func segmenter(_ frames: [MediaFrame], configuration: HLSConfiguration = HLSConfiguration(),
                          finish: Bool = true) throws -> HLSSegmenter {
        var segmenter = HLSSegmenter(configuration: configuration)
        for event in try events(frames) { segmenter.append(event) }
        if finish { segmenter.finish() }
        return segmenter
    }

    /// Writes live.m3u8 and what it lists into a fresh temp directory.
    static func write(_ s: HLSSegmenter) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(s.playlist().utf8).write(to: dir.appendingPathComponent("live.m3u8"))
        for segment in s.segments {
            try Data(segment.data.readableBytesView).write(to: dir.appendingPathComponent(s.configuration.segmentURI(segment.number)))
            let version = segment.initializationVersion
            if let initial = s.initializationSegment(version: version) {
                try Data(initial.readableBytesView).write(to: dir.appendingPathComponent(s.configuration.initializationSegmentURI(version)))
            }
        }
        return dir
    }

    @Test func segmentsAreCutAtKeyframesNearTheTargetAndListed() throws {
        // 288 frames at 25 fps, a keyframe every 50 (2 s): five 2 s segments and a 1.52 s tail (one GOP of
        // the file is 179 910 ticks: the sender's millisecond clock).
        let s = try Self.segmenter(HubFixtures.h264Frames)
        #expect(s.segments.map(\.videoFrames) == [50, 50, 50, 50, 50, 38])
        #expect(s.segments.map { ($0.duration * 1000).rounded() } == [2000, 2000, 2000, 1999, 2000, 1520])
        #expect(s.playlist() == """
            #EXTM3U
            #EXT-X-VERSION:7
            #EXT-X-TARGETDURATION:2
            #EXT-X-MEDIA-SEQUENCE:0
            #EXT-X-INDEPENDENT-SEGMENTS
            #EXT-X-MAP:URI="init-1.mp4"
            #EXTINF:2.000,
            segment-0.m4s
            #EXTINF:2.000,
            segment-1.m4s
            #EXTINF:2.000,
            segment-2.m4s
            #EXTINF:1.999,
            segment-3.m4s
            #EXTINF:2.000,
            segment-4.m4s
            #EXTINF:1.520,
            segment-5.m4s
            #EXT-X-ENDLIST

            """)
        #expect(s.segment(0) != nil && s.segment(6) == nil)
        #expect(HLSConfiguration.segmentNumber(in: "segment-12.m4s?t=1") == 12)
        #expect(HLSConfiguration.initializationSegmentVersion(in: "init-3.mp4") == 3)
    }

    @Test func aLongerTargetTakesSeveralGOPsAndALivePlaylistHasNoEnd() throws {
        var configuration = HLSConfiguration()
        configuration.targetDuration = .seconds(4)
        let s = try Self.segmenter(HubFixtures.h264Frames, configuration: configuration, finish: false)
        // The last GOP is still open: only closed segments are listed.
        #expect(s.segments.map(\.videoFrames) == [100, 100])
        #expect(s.playlist().contains("#EXT-X-TARGETDURATION:4\n"))
        #expect(!s.playlist().contains("ENDLIST"))
    }

    @Test func theRingKeepsTheLastSegments() throws {
        var configuration = HLSConfiguration()
        configuration.segmentsKept = 3
        let s = try Self.segmenter(HubFixtures.h264Frames, configuration: configuration)
        #expect(s.segments.map(\.number) == [3, 4, 5])
        #expect(s.mediaSequence == 3)
        #expect(s.playlist().contains("#EXT-X-MEDIA-SEQUENCE:3\n"))
        #expect(s.segment(2) == nil && s.segment(3) != nil)
    }

    @Test func aCodecChangeStartsANewMapAfterADiscontinuity() throws {
        var configuration = HLSConfiguration()
        configuration.segmentsKept = 12
        var s = HLSSegmenter(configuration: configuration)
        for event in try Self.events(HubFixtures.h264Frames) + (try Self.events(HubFixtures.h265Frames)) { s.append(event) }
        s.finish()
        let playlist = s.playlist()
        #expect(playlist.contains("#EXT-X-MAP:URI=\"init-1.mp4\""))
        #expect(playlist.contains("#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"init-2.mp4\""))
        #expect(s.segments.filter(\.discontinuity).count == 1)
        #expect(s.initializationSegment(version: 2) != nil)
    }

    struct ProbeCase: Sendable, CustomTestStringConvertible {
        let file: String
        let codec: String
        var testDescription: String { codec }
    }

    @Test(arguments: [ProbeCase(file: TestFiles.h264File, codec: "h264"), ProbeCase(file: TestFiles.h265File, codec: "hevc")])
    func ffprobeReadsThePlaylistAndSegments(_ c: ProbeCase) throws {
        let frames = demuxAll(try TestFiles.psSample(c.file)).frames
        let s = try Self.segmenter(frames)
        let dir = try Self.write(s)
        defer { try? FileManager.default.removeItem(at: dir) }
        let (streams, errors) = try FFprobe.streams(dir.appendingPathComponent("live.m3u8"))
        #expect(errors.isEmpty, "ffprobe: \(errors)")
        let video = try #require(streams.first { $0.codec_type == "video" })
        #expect(video.codec_name == c.codec)
        #expect(video.width == 1920 && video.height == 1080)
        #expect(video.nb_read_frames == "\(frames.count)")
        #expect(s.segments.reduce(0) { $0 + $1.videoFrames } == frames.count)
        // Each segment alone, with its initialization segment, is a decodable fMP4 file too.
        let first = try #require(s.segments.first)
        var alone = try #require(s.initializationSegment(version: first.initializationVersion))
        var body = first.data
        alone.writeBuffer(&body)
        let single = dir.appendingPathComponent("single.mp4")
        try Data(alone.readableBytesView).write(to: single)
        let (singleStreams, _) = try FFprobe.streams(single)
        #expect(singleStreams.first?.nb_read_frames == "\(first.videoFrames)")
    }

    @Test func theLiveStreamFollowsAHubSubscription() async throws {
        let hub = StreamHub(source: ScriptedSource(), configuration: HubFixtures.configuration())
        let key = StreamKey.live("34020000001310000001")
        let hls = HLSLiveStream()
        let subscription = await hub.subscribe(key)
        let runner = Task { try await hls.run(subscription) }
        hub.deliver(HubFixtures.h264Frames, to: key)
        #expect(await eventually { hls.segmentCount == 5 })
        await hub.shutdown()
        try await runner.value
        #expect(hls.segmentCount == 6)
        #expect(hls.playlist().hasSuffix("#EXT-X-ENDLIST\n"))
        #expect(hls.initializationSegment(version: 1) != nil && hls.segment(5) != nil)
    }
}
