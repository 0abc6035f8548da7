import Foundation
import Media
import Testing
@testable import App

#if canImport(Glibc)
import Glibc
#endif

/// The H.265 → H.264 transcoder with the real ffmpeg (scripts/test installs it) on the ZLMediaKit PS
/// samples of /work/shared/peers/ps (1080p25, GOP 50, no B-frames).
@Suite(.serialized) struct TranscodingStreamSourceTests {
    // MARK: The splitter

    @Test func splitterCutsAnnexBInAnyPiecesIntoTheSameAccessUnits() throws {
        let frames = try LiveTestSamples.frames(.h264)
        let stream = frames.flatMap(\.data)
        for chunk in [1, 7, 1400, 65536] {
            var splitter = TranscodeOutputSplitter(codec: .h264)
            var units: [TranscodeOutputSplitter.AccessUnit] = []
            var i = 0
            while i < stream.count {
                units += splitter.push(Array(stream[i..<min(stream.count, i + chunk)]))
                i += chunk
            }
            #expect(units.count == frames.count - 1, "the last one waits for the next access unit")
            units += splitter.flush()
            #expect(units.count == frames.count)
            #expect(units.map(\.isKeyframe) == frames.map(\.isKeyframe))
            #expect(zip(units, frames).allSatisfy { $0.data == $1.data }, "chunk \(chunk)")
        }
    }

    // MARK: The transcoder alone

    @Test func h265FramesComeOutAsH264WithTheirTimestamps() async throws {
        let input = try LiveTestSamples.frames(.h265)
        #expect(input.count > 200 && input[0].isKeyframe)
        let collected = FFmpegLocked([MediaFrame]())
        let failures = FFmpegLocked([String]())
        let transcoder = try H265ToH264Transcoder(
            configuration: LiveTestSamples.transcodeConfiguration(), logger: .init(label: "test"),
            onFrames: { frames in collected.withLock { $0 += frames } },
            onFailure: { reason in failures.withLock { $0.append(reason) } })
        for frame in input { transcoder.push(frame) }
        // Every frame but the last (it waits for a next access unit that never comes).
        try await LiveTestSamples.wait("transcoded frames", timeout: .seconds(120)) {
            collected.withLock { $0.count } >= input.count - 1
        }
        await transcoder.stop()
        let output = collected.withLock { $0 }
        #expect(failures.withLock { $0 }.isEmpty)
        #expect(output.allSatisfy { $0.codec == .h264 })
        let first = try #require(output.first)
        #expect(first.isKeyframe)
        let parameters = try #require(CodecParameters(frame: first), "SPS/PPS in the first keyframe")
        #expect(parameters.codec == .h264 && parameters.width == 1920 && parameters.height == 1080)
        // Output frame n carries input frame n's PTS; keyframes where the camera's were.
        #expect(output.map(\.pts) == input.prefix(output.count).map(\.pts))
        #expect(zip(output, output.dropFirst()).allSatisfy { $0.pts < $1.pts })
        #expect(output.map(\.isKeyframe) == input.prefix(output.count).map(\.isKeyframe))
        #expect(output.filter(\.isKeyframe).allSatisfy { CodecParameters(frame: $0) != nil })
        let counters = transcoder.counters
        #expect(counters.framesIn == input.count && counters.droppedIn == 0 && counters.resyncs == 0)
        try LiveTestSamples.expectGone(transcoder.pid)
        #expect(transcoder.pipeInodes.count == 5)
        #expect(LiveTestSamples.openPipes(transcoder.pipeInodes).isEmpty, "every pipe end closed")
    }

    @Test func framesBeforeTheFirstKeyframeAreDropped() async throws {
        let input = try LiveTestSamples.frames(.h265)
        let firstKey = try #require(input.dropFirst().firstIndex { $0.isKeyframe })
        let collected = FFmpegLocked([MediaFrame]())
        let transcoder = try H265ToH264Transcoder(
            configuration: LiveTestSamples.transcodeConfiguration(), logger: .init(label: "test"),
            onFrames: { frames in collected.withLock { $0 += frames } }, onFailure: { _ in })
        for frame in input[3..<(firstKey + 5)] { transcoder.push(frame) }
        try await LiveTestSamples.wait("transcoded frames", timeout: .seconds(60)) { collected.withLock { $0.count } >= 4 }
        await transcoder.stop()
        let output = collected.withLock { $0 }
        #expect(output.first?.pts == input[firstKey].pts && output.first?.isKeyframe == true)
        #expect(transcoder.counters.droppedIn == firstKey - 3)
    }

    @Test func timestampsRealignAtTheNextKeyframeWhenTheDecoderLosesFrames() async throws {
        let input = Array(try LiveTestSamples.frames(.h265).prefix(150))
        #expect(input.indices.filter { input[$0].isKeyframe } == [0, 50, 100])
        // What ffmpeg makes of these frames, with three pictures of the first GOP lost on the way.
        let configuration = LiveTestSamples.transcodeConfiguration()
        let written = input.flatMap { $0.data + H265ToH264Transcoder.h265AUD }
        let real = try await FFmpegProcess.run(executable: configuration.ffmpegPath, arguments: configuration.ffmpegArguments(),
                                               input: written, timeout: .seconds(300))
        var splitter = TranscodeOutputSplitter(codec: .h264)
        var units = splitter.push(real) + splitter.flush()
        #expect(units.count == input.count)
        units.removeSubrange(10..<13)
        let expected = units.count - 1
        // A stand-in ffmpeg that swallows the input, then writes that output.
        let prepared = FileManager.default.temporaryDirectory.appendingPathComponent("gbshare-live-\(UUID().uuidString).h264")
        try Data(units.flatMap(\.data)).write(to: prepared)
        defer { try? FileManager.default.removeItem(at: prepared) }
        var fake = configuration
        fake.ffmpegPath = try LiveTestSamples.fakeFFmpeg("head -c \(written.count) > /dev/null\ncat '\(prepared.path)'\nexec cat > /dev/null")
        defer { try? FileManager.default.removeItem(atPath: fake.ffmpegPath) }

        let collected = FFmpegLocked([MediaFrame]())
        let transcoder = try H265ToH264Transcoder(
            configuration: fake, logger: .init(label: "test"),
            onFrames: { frames in collected.withLock { $0 += frames } }, onFailure: { _ in })
        for frame in input { transcoder.push(frame) }
        try await LiveTestSamples.wait("the stand-in's output", timeout: .seconds(60)) {
            collected.withLock { $0.count } >= expected
        }
        await transcoder.stop()
        let output = collected.withLock { $0 }
        #expect(transcoder.counters.resyncs == 1)
        // Keyframes carry the camera keyframes' PTS; after the realignment every frame has its own again.
        #expect(output.filter(\.isKeyframe).map(\.pts) == [input[0].pts, input[50].pts, input[100].pts])
        #expect(output[47...].map(\.pts) == input[50..<(50 + output.count - 47)].map(\.pts))
        #expect(zip(output, output.dropFirst()).allSatisfy { $0.pts < $1.pts })
    }

    @Test func anFFmpegThatProducesNothingFailsTheStreamAfterTheStallTimeout() async throws {
        var configuration = LiveTestSamples.transcodeConfiguration()
        configuration.ffmpegPath = try LiveTestSamples.fakeFFmpeg("echo 'stuck on purpose' >&2\nexec cat > /dev/null")
        defer { try? FileManager.default.removeItem(atPath: configuration.ffmpegPath) }
        configuration.stallTimeout = .seconds(1)
        let rig = LiveTestRig(configuration)
        let key = StreamKey.live("34020000001320000041")
        let viewer = await rig.h264Hub.subscribe(key)
        try await rig.feedWhenSubscribed(key, try LiveTestSamples.frames(.h265))
        let source = rig.source
        try await LiveTestSamples.wait("the stand-in started", timeout: .seconds(30)) { !source.transcoderProcessIDs.isEmpty }
        let pid = try #require(source.transcoderProcessIDs.first)
        await #expect(throws: PlayFailure.transcodeFailed(reason: "ffmpeg produced no frame for 1 s: stuck on purpose")) {
            for try await _ in viewer {}
        }
        try await rig.waitIdle()
        try LiveTestSamples.expectGone(pid)
        await rig.shutdown()
    }

    // MARK: Through the hubs

    @Test func aViewerOfTheH264HubGetsTheTranscodedStream() async throws {
        let rig = LiveTestRig()
        let key = StreamKey.live("34020000001320000001")
        let viewer = await rig.h264Hub.subscribe(key)
        try await rig.feedWhenSubscribed(key, try LiveTestSamples.frames(.h265))
        var parameters: StreamParameters?
        var frames: [MediaFrame] = []
        for try await event in viewer {
            switch event {
            case let .parameters(p): parameters = p
            case let .frame(f): frames.append(f)
            }
            if frames.count == 60 { break }
        }
        #expect(parameters?.video.codec == .h264)
        #expect(parameters?.video.width == 1920)
        #expect(frames.first?.isKeyframe == true && frames.allSatisfy { $0.codec == .h264 })
        #expect(zip(frames, frames.dropFirst()).allSatisfy { $0.pts < $1.pts })
        #expect(rig.source.activeTranscodes == 1)
        let pid = try #require(rig.source.transcoderProcessIDs.first)
        await viewer.cancel()
        try await rig.waitIdle()
        try LiveTestSamples.expectGone(pid)
        #expect(await rig.upstreamHub.viewerCount(for: key) == 0, "the transcoder left the original stream")
        await rig.shutdown()
    }

    @Test func anH264CameraIsPassedThroughWithoutASlot() async throws {
        let rig = LiveTestRig()
        let key = StreamKey.live("34020000001320000002")
        let input = try LiveTestSamples.frames(.h264)
        let viewer = await rig.h264Hub.subscribe(key)
        try await rig.feedWhenSubscribed(key, input)
        var frames: [MediaFrame] = []
        for try await event in viewer {
            if case let .frame(f) = event { frames.append(f) }
            if frames.count == 20 { break }
        }
        #expect(frames.map(\.data) == input.prefix(20).map(\.data))
        #expect(rig.source.activeTranscodes == 0 && rig.source.transcoderProcessIDs.isEmpty)
        await viewer.cancel()
        await rig.shutdown()
    }

    @Test func theCapRefusesOneMoreAndASlotFreesAfterStop() async throws {
        var configuration = LiveTestSamples.transcodeConfiguration()
        configuration.maxConcurrentTranscodes = 2
        let rig = LiveTestRig(configuration)
        let keys = (1...3).map { StreamKey.live("3402000000132000001\($0)") }
        let first = await rig.h264Hub.subscribe(keys[0])
        let second = await rig.h264Hub.subscribe(keys[1])
        try await LiveTestSamples.wait("two slots taken", timeout: .seconds(30)) { rig.source.activeTranscodes == 2 }
        let third = await rig.h264Hub.subscribe(keys[2])
        await #expect(throws: PlayFailure.transcodeLimit(limit: 2)) {
            for try await _ in third {}
        }
        #expect(rig.source.activeTranscodes == 2)
        await first.cancel()
        try await LiveTestSamples.wait("a slot freed", timeout: .seconds(30)) { rig.source.activeTranscodes == 1 }
        let again = await rig.h264Hub.subscribe(keys[2])
        try await rig.feedWhenSubscribed(keys[2], try LiveTestSamples.frames(.h265))
        var gotFrame = false
        for try await event in again {
            if case .frame = event { gotFrame = true; break }
        }
        #expect(gotFrame)
        #expect(rig.source.activeTranscodes == 2)
        await second.cancel()
        await again.cancel()
        try await rig.waitIdle()
        await rig.shutdown()
    }

    @Test func killingFFmpegFailsTheStreamWithTranscodeFailed() async throws {
        let rig = LiveTestRig()
        let key = StreamKey.live("34020000001320000021")
        let viewer = await rig.h264Hub.subscribe(key)
        try await rig.feedWhenSubscribed(key, try LiveTestSamples.frames(.h265))
        var iterator = viewer.makeAsyncIterator()
        while let event = try await iterator.next() {
            if case .frame = event { break }
        }
        let pid = try #require(rig.source.transcoderProcessIDs.first)
        #expect(kill(pid, SIGKILL) == 0)
        var failure: PlayFailure?
        do {
            while try await iterator.next() != nil {}
        } catch let error as PlayFailure {
            failure = error
        }
        guard case let .transcodeFailed(reason) = failure else {
            Issue.record("expected .transcodeFailed, got \(String(describing: failure))")
            return
        }
        #expect(reason.contains("signal 9"), "\(reason)")
        #expect(failure?.message.zh.hasPrefix("转码失败") == true)
        try await rig.waitIdle()
        try LiveTestSamples.expectGone(pid)
        await rig.shutdown()
    }

    @Test func theOriginalStreamsFailureReachesTheH264ViewerAsItself() async throws {
        let upstream = StreamHub(source: LiveTestRig.FailingSource())
        let (hub, source) = TranscodingStreamSource.makeHub(upstream: upstream, configuration: LiveTestSamples.transcodeConfiguration())
        let viewer = await hub.subscribe(.live("34020000001320000061"))
        await #expect(throws: PlayFailure.deviceOffline(device: "34020000001320000061")) {
            for try await _ in viewer {}
        }
        try await LiveTestSamples.wait("the slot freed", timeout: .seconds(30)) { source.activeTranscodes == 0 }
        #expect(TranscodingStreamSource.hubConfiguration(for: StreamHubConfiguration()).answerTimeout == .seconds(45))
        await hub.shutdown()
        await upstream.shutdown()
    }

    @Test func ffmpegThatCannotRunFailsTheStart() async throws {
        var configuration = LiveTestSamples.transcodeConfiguration()
        configuration.ffmpegPath = "/nonexistent/ffmpeg"
        let rig = LiveTestRig(configuration)
        let key = StreamKey.live("34020000001320000031")
        let viewer = await rig.h264Hub.subscribe(key)
        try await rig.feedWhenSubscribed(key, try LiveTestSamples.frames(.h265))
        do {
            for try await _ in viewer {}
            Issue.record("the play did not fail")
        } catch let error as PlayFailure {
            guard case let .transcodeFailed(reason) = error else { Issue.record("\(error)"); return }
            #expect(reason.contains("/nonexistent/ffmpeg"))
        }
        try await rig.waitIdle()
        await rig.shutdown()
    }
}

// MARK: - Support (shared with SnapshotRendererTests)

/// An original hub whose source answers at once (frames are delivered by the test), and the H.264 hub
/// of a `TranscodingStreamSource` on it.
struct LiveTestRig {
    struct AnsweringSource: StreamSource {
        func start(_ key: StreamKey) async throws -> UpstreamSession { UpstreamSession(id: "test-\(key)") }
        func stop(_ session: UpstreamSession) async {}
    }

    struct FailingSource: StreamSource {
        func start(_ key: StreamKey) async throws -> UpstreamSession { throw PlayFailure.deviceOffline(device: key.camera) }
        func stop(_ session: UpstreamSession) async {}
    }

    let upstreamHub: StreamHub
    let h264Hub: StreamHub
    let source: TranscodingStreamSource

    init(_ configuration: TranscodeConfiguration = LiveTestSamples.transcodeConfiguration()) {
        var hubConfiguration = StreamHubConfiguration()
        hubConfiguration.gracePeriod = .zero
        // Generous: a loaded 2-core machine runs these next to other builds.
        hubConfiguration.answerTimeout = .seconds(120)
        hubConfiguration.noRTPTimeout = .seconds(120)
        hubConfiguration.noKeyframeTimeout = .seconds(120)
        hubConfiguration.mediaStallTimeout = .seconds(120)
        upstreamHub = StreamHub(source: AnsweringSource(), configuration: hubConfiguration)
        (h264Hub, source) = TranscodingStreamSource.makeHub(upstream: upstreamHub, configuration: configuration,
                                                            hubConfiguration: hubConfiguration)
    }

    /// Waits until the transcoder has joined the original stream, then delivers `frames` to it.
    func feedWhenSubscribed(_ key: StreamKey, _ frames: [MediaFrame]) async throws {
        let hub = upstreamHub
        try await LiveTestSamples.wait("the transcoder subscribes to the original", timeout: .seconds(30)) {
            await hub.viewerCount(for: key) > 0
        }
        hub.deliver(frames, to: key)
    }

    /// Every slot free and every H.264 stream gone.
    func waitIdle() async throws {
        let source = source, hub = h264Hub
        try await LiveTestSamples.wait("transcodes stopped", timeout: .seconds(30)) {
            await hub.streamCount == 0 && source.activeTranscodes == 0 && source.transcoderProcessIDs.isEmpty
        }
    }

    func shutdown() async {
        await h264Hub.shutdown()
        await upstreamHub.shutdown()
        #expect(source.activeTranscodes == 0)
    }
}

enum LiveTestSamples {
    enum Codec { case h264, h265 }

    static let shared = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared").standardizedFileURL

    /// The video frames of a ZLMediaKit PS sample, demuxed by Media.
    static func frames(_ codec: Codec) throws -> [MediaFrame] {
        let name = codec == .h264 ? "gb_ps_h264_1080p25_zlm.ps" : "gb_ps_h265_1080p25_zlm.ps"
        let bytes = [UInt8](try Data(contentsOf: shared.appendingPathComponent("peers/ps/\(name)")))
        var demuxer = PSDemuxer()
        var frames: [MediaFrame] = []
        var i = 0
        while i < bytes.count {
            frames += demuxer.feed(Array(bytes[i..<min(bytes.count, i + 1400)]))
            i += 1400
        }
        frames += demuxer.flush()
        return frames.filter(\.isVideo)
    }

    static func keyframe(_ codec: Codec) throws -> MediaFrame {
        guard let frame = try frames(codec).first(where: \.isKeyframe) else { throw Missing(what: "keyframe") }
        return frame
    }

    /// An executable shell script standing in for ffmpeg (it ignores ffmpeg's arguments).
    static func fakeFFmpeg(_ body: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gbshare-fake-ffmpeg-\(UUID().uuidString)").path
        try "#!/bin/sh\n\(body)\n".write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    static func transcodeConfiguration() -> TranscodeConfiguration {
        var configuration = TranscodeConfiguration()
        // One core per ffmpeg is plenty for the tests and leaves room for the rest of the machine.
        configuration.encoderThreads = 1
        configuration.stallTimeout = .seconds(60)
        return configuration
    }

    struct Missing: Error, CustomStringConvertible {
        let what: String
        var description: String { "missing: \(what)" }
    }

    struct TimedOut: Error, CustomStringConvertible {
        let what: String
        var description: String { "timed out waiting for \(what)" }
    }

    static func wait(_ what: String, timeout: Duration, _ condition: @Sendable () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while !(try await condition()) {
            guard ContinuousClock.now < deadline else { throw TimedOut(what: what) }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// The process is reaped: no zombie, no process (kill(pid, 0) finds nothing).
    static func expectGone(_ pid: Int32?, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let pid = try #require(pid, sourceLocation: sourceLocation)
        #expect(kill(pid, 0) == -1 && errno == ESRCH, "ffmpeg \(pid) still exists (zombie?)", sourceLocation: sourceLocation)
    }

    /// Descriptors of this process still open on any of these pipes (Linux /proc).
    static func openPipes(_ inodes: [UInt64]) -> [String] {
        let names = Set(inodes.map { "pipe:[\($0)]" })
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return fds.filter { fd in
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)")).map(names.contains) ?? false
        }
    }

    /// Runs ffprobe on bytes written to a temporary file; returns `codec,width,height`.
    static func probe(_ bytes: [UInt8], suffix: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gbshare-live-\(UUID().uuidString).\(suffix)")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ffprobe")
        process.arguments = ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name,width,height",
                             "-of", "csv=p=0", url.path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
