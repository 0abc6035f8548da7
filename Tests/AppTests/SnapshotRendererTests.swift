import Foundation
import Media
import Testing
@testable import App

/// JPEG snapshots of keyframes with the real ffmpeg, checked with ffprobe.
@Suite struct SnapshotRendererTests {
    @Test(arguments: [LiveTestSamples.Codec.h264, .h265])
    func aKeyframeBecomesAJPEG(_ codec: LiveTestSamples.Codec) async throws {
        let renderer = SnapshotRenderer()
        let keyframe = try LiveTestSamples.keyframe(codec)
        let jpeg = try await renderer.snapshot(camera: "34020000001320000001", keyframe: keyframe)
        #expect(jpeg.starts(with: [0xFF, 0xD8]) && jpeg.suffix(2) == [0xFF, 0xD9])
        #expect(try LiveTestSamples.probe(jpeg, suffix: "jpg") == "mjpeg,640,360")

        let full = try await renderer.render(keyframe, maxWidth: nil)
        #expect(full.starts(with: [0xFF, 0xD8]) && full.suffix(2) == [0xFF, 0xD9])
        #expect(try LiveTestSamples.probe(full, suffix: "jpg") == "mjpeg,1920,1080")
    }

    @Test func theSameKeyframeIsRenderedOnceAndSharedByConcurrentRequests() async throws {
        let renderer = SnapshotRenderer()
        let keyframe = try LiveTestSamples.keyframe(.h265)
        let pictures = try await withThrowingTaskGroup(of: [UInt8].self) { group in
            for _ in 0..<4 {
                group.addTask { try await renderer.snapshot(camera: "cam", keyframe: keyframe) }
            }
            return try await group.reduce(into: [[UInt8]]()) { $0.append($1) }
        }
        #expect(Set(pictures).count == 1)
        _ = try await renderer.snapshot(camera: "cam", keyframe: keyframe)
        #expect(await renderer.renderCount == 1)
        // A newer keyframe (another PTS) or another width renders again.
        var later = keyframe
        later.pts += 90_000
        _ = try await renderer.snapshot(camera: "cam", keyframe: later)
        _ = try await renderer.snapshot(camera: "cam", keyframe: later, maxWidth: 320)
        #expect(await renderer.renderCount == 3)
        #expect(await renderer.cachedCameras == 1)
    }

    @Test func garbageGivesATypedErrorNotAHang() async throws {
        let renderer = SnapshotRenderer()
        var random = SystemRandomNumberGenerator()
        let noise = (0..<5000).map { _ in UInt8.random(in: 0...255, using: &random) }
        await #expect(throws: SnapshotError.notAKeyframe) {
            try await renderer.render(MediaFrame(codec: .h265, pts: 0, isKeyframe: true, annexB: noise))
        }
        await #expect(throws: SnapshotError.codecNotSupported(codec: "G711A")) {
            try await renderer.render(MediaFrame(audio: .g711a, pts: 0, data: noise))
        }
        // Real parameter sets, the slices replaced by noise: ffmpeg runs and makes no picture.
        let keyframe = try LiveTestSamples.keyframe(.h264)
        let parameterSets = keyframe.nalUnits.filter {
            let type = NALUnitKind.h264Type(keyframe.data[$0.lowerBound])
            return type == NALUnitKind.h264SPS || type == NALUnitKind.h264PPS
        }.map { Array(keyframe.data[$0]) }
        let damaged = AnnexB.join(parameterSets + [[0x65] + noise])
        do {
            let jpeg = try await renderer.render(MediaFrame(codec: .h264, pts: 0, isKeyframe: true, annexB: damaged))
            // The decoder may conceal and still give a picture; then it must be a whole JPEG.
            #expect(jpeg.starts(with: [0xFF, 0xD8]) && jpeg.suffix(2) == [0xFF, 0xD9])
        } catch {
            guard case .renderFailed = error else { Issue.record("\(error)"); return }
            #expect(!error.message.zh.isEmpty && !error.message.en.isEmpty)
        }
        // Parameter sets only: nothing to decode.
        await #expect(throws: SnapshotError.self) {
            try await renderer.render(MediaFrame(codec: .h264, pts: 0, isKeyframe: true, annexB: AnnexB.join(parameterSets)))
        }
    }

    @Test func aTimeoutKillsFFmpegAndSaysSo() async throws {
        var configuration = SnapshotRenderer.Configuration()
        // An ffmpeg that hangs (reads nothing, writes nothing).
        configuration.ffmpegPath = try LiveTestSamples.fakeFFmpeg("echo hanging >&2\nexec sleep 600")
        defer { try? FileManager.default.removeItem(atPath: configuration.ffmpegPath) }
        configuration.timeout = .milliseconds(500)
        let renderer = SnapshotRenderer(configuration: configuration)
        await #expect(throws: SnapshotError.timedOut(.milliseconds(500))) {
            try await renderer.render(try LiveTestSamples.keyframe(.h265))
        }
        #expect(SnapshotError.timedOut(.milliseconds(1500)).message.zh == "截图超时（1.5 秒）")
    }

    @Test func theConcurrencyCapQueuesThenRefuses() async throws {
        var configuration = SnapshotRenderer.Configuration()
        configuration.maxConcurrent = 1
        configuration.maxWaiting = 0
        let renderer = SnapshotRenderer(configuration: configuration)
        let keyframe = try LiveTestSamples.keyframe(.h265)
        let results = await withTaskGroup(of: Result<[UInt8], SnapshotError>.self) { group in
            for camera in ["a", "b"] {
                group.addTask {
                    do throws(SnapshotError) { return .success(try await renderer.snapshot(camera: camera, keyframe: keyframe)) } catch {
                        return .failure(error)
                    }
                }
            }
            return await group.reduce(into: [Result<[UInt8], SnapshotError>]()) { $0.append($1) }
        }
        let refused = results.filter { if case .failure(.busy(limit: 0)) = $0 { true } else { false } }
        #expect(refused.count == 1 && results.count == 2)

        configuration.maxWaiting = 8
        let queued = SnapshotRenderer(configuration: configuration)
        let pictures = try await withThrowingTaskGroup(of: Int.self) { group in
            for camera in ["a", "b", "c"] {
                group.addTask { try await queued.snapshot(camera: camera, keyframe: keyframe).count }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(pictures.count == 3 && pictures.allSatisfy { $0 > 1000 })
        #expect(await queued.renderCount == 3)
    }

    @Test func aSnapshotOfAStreamTakesItsKeyframeFromTheHub() async throws {
        let rig = LiveTestRig()
        let renderer = SnapshotRenderer()
        let key = StreamKey.live("34020000001320000051")
        // A running stream: the keyframe comes from the GOP cache.
        let viewer = await rig.upstreamHub.subscribe(key)
        rig.upstreamHub.deliver(try LiveTestSamples.frames(.h265), to: key)
        let jpeg = try await renderer.snapshot(of: key, on: rig.upstreamHub)
        #expect(jpeg.starts(with: [0xFF, 0xD8]) && jpeg.suffix(2) == [0xFF, 0xD9])
        #expect(await rig.upstreamHub.viewerCount(for: key) == 1, "the snapshot left the stream")
        await viewer.cancel()
        // A stream that never sends a frame.
        await #expect(throws: SnapshotError.noKeyframe(timeout: .milliseconds(300))) {
            try await renderer.snapshot(of: .live("34020000001320000052"), on: rig.upstreamHub, timeout: .milliseconds(300))
        }
        // A stream that fails.
        let failing = StreamHub(source: LiveTestRig.FailingSource())
        await #expect(throws: SnapshotError.playFailed(.deviceOffline(device: "34020000001320000053"))) {
            try await renderer.snapshot(of: .live("34020000001320000053"), on: failing)
        }
        await failing.shutdown()
        await rig.shutdown()
    }

    @Test func missingFFmpegIsNamed() async throws {
        var configuration = SnapshotRenderer.Configuration()
        configuration.ffmpegPath = "/nonexistent/ffmpeg"
        let renderer = SnapshotRenderer(configuration: configuration)
        let error = await #expect(throws: SnapshotError.self) {
            try await renderer.render(try LiveTestSamples.keyframe(.h264))
        }
        #expect(error == .ffmpegMissing(path: "/nonexistent/ffmpeg"))
        #expect(error?.message.zh.contains("ffmpeg") == true)
    }
}
