import Foundation
import NIOCore
import Testing
@testable import Media

/// What a browser viewer receives: the fMP4 bytes of a hub subscription, read back by ffprobe.
@Suite struct HubViewerWriterTests {
    @Test(arguments: [FragmentedMP4Muxer.FragmentMode.perFrame, .perGOP])
    func aViewersFragmentedMP4IsDecodable(mode: FragmentedMP4Muxer.FragmentMode) async throws {
        let hub = StreamHub(source: ScriptedSource(), configuration: HubFixtures.configuration())
        let key = StreamKey.live("34020000001310000001")
        let subscription = await hub.subscribe(key)
        let frames = HubFixtures.h264Frames
        hub.deliver(frames, to: key)
        var writer = FragmentedMP4ViewerWriter(mode: mode)
        var out = ByteBuffer()
        var taken = 0
        for try await event in subscription {
            for var bytes in writer.write(event) { out.writeBuffer(&bytes) }
            if case .frame = event { taken += 1 }
            if taken == frames.count { break }
        }
        if var last = writer.finish() { out.writeBuffer(&last) }
        #expect(writer.initializationSegments == 1)
        #expect(writer.fragments == (mode == .perFrame ? frames.count : 6))
        #expect(writer.mimeType?.hasPrefix("video/mp4; codecs=\"avc1.") == true)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("viewer-\(UUID().uuidString).mp4")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(out.readableBytesView).write(to: file)
        let (streams, errors) = try FFprobe.streams(file)
        #expect(errors.isEmpty, "ffprobe: \(errors)")
        #expect(streams.first?.codec_name == "h264")
        #expect(streams.first?.nb_read_frames == "\(frames.count)")
        await hub.shutdown()
    }
}
