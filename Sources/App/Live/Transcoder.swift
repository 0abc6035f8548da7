import Foundation
import Logging
import Media

/// One H.265 → H.264 transcode: an ffmpeg child fed Annex B access units on stdin, whose stdout is cut
/// into access units that get the timestamps of the input frames they came from.
///
/// Timestamps: raw Annex B carries none, so they are matched by order. ffmpeg runs without B-frames and
/// with `-fps_mode passthrough`, so output frame n is input frame n; the input PTS wait in a FIFO until
/// their output arrives. If the decoder ever drops a (damaged) frame the FIFO would drift, so at each
/// output IDR (IDRs are forced where the camera's keyframes are) the FIFO skips to the next input keyframe.
/// Audio frames (G.711/AAC) wait until the video has caught up with their PTS, so outputs see the two
/// interleaved as the camera sent them.
///
/// `onFrames` and `onFailure` are called on the transcoder's I/O thread (never on an event loop);
/// `onFailure` at most once, and never after `stop()` was called.
final class H265ToH264Transcoder: Sendable {
    struct Counters: Sendable, Equatable {
        var framesIn = 0
        var framesOut = 0
        /// Input frames dropped: before the first keyframe, or because ffmpeg fell behind.
        var droppedIn = 0
        /// Times the timestamp FIFO had to skip to a keyframe (ffmpeg lost a frame).
        var resyncs = 0
        var bytesIn = 0
        var bytesOut = 0
    }

    private struct Pending {
        var pts: Int64
        var isKeyframe: Bool
        var at: ContinuousClock.Instant
    }

    private struct State {
        var splitter = TranscodeOutputSplitter(codec: .h264)
        var pending: [Pending] = []
        var pendingHead = 0
        var audio: [MediaFrame] = []
        var waitingForKeyframe = true
        var lastInputPTS: Int64?
        var frameDuration: Int64 = 3600
        var lastOutputPTS: Int64?
        var outputsSinceKeyframe = 0
        var lastOutputAt: ContinuousClock.Instant?
        var counters = Counters()
        var stopped = false
        var failed = false
        var watchdog: Task<Void, Never>?
    }

    /// H.265 access unit delimiter (type 35, pic_type 2), written after every frame: it tells ffmpeg's
    /// HEVC parser at once that the frame is complete, instead of when the next frame's first bytes come
    /// (one frame, 40 ms, less latency).
    static let h265AUD: [UInt8] = [0, 0, 0, 1, 0x46, 0x01, 0x50]
    static let maxHeldAudioFrames = 256

    let configuration: TranscodeConfiguration
    private let state = FFmpegLocked(State())
    private let process = FFmpegLocked<FFmpegProcess?>(nil)
    private let onFrames: @Sendable ([MediaFrame]) -> Void
    private let onFailure: @Sendable (String) -> Void
    private let logger: Logger

    /// Starts ffmpeg; throws `FFmpegSpawnError` when it cannot run.
    init(configuration: TranscodeConfiguration, logger: Logger,
         onFrames: @escaping @Sendable ([MediaFrame]) -> Void,
         onFailure: @escaping @Sendable (String) -> Void) throws {
        self.configuration = configuration
        self.onFrames = onFrames
        self.onFailure = onFailure
        self.logger = logger
        let child = try FFmpegProcess(
            executable: configuration.ffmpegPath, arguments: configuration.ffmpegArguments(),
            maxPendingInputBytes: configuration.maxPendingInputBytes,
            onStdout: { [weak self] bytes in self?.output(bytes) },
            onExit: { [weak self] exit in self?.exited(exit) })
        process.withLock { $0 = child }
        let stall = configuration.stallTimeout
        let watchdog = Task { [weak self] in
            let tick = min(Duration.seconds(1), stall / 4)
            while (try? await Task.sleep(for: tick)) != nil {
                guard let self, self.checkStall() else { return }
            }
        }
        state.withLock { $0.watchdog = watchdog }
    }

    deinit {
        // Dropped without stop(): never leave an ffmpeg behind (a no-op once it has exited).
        process.withLock { $0 }?.kill()
    }

    var pid: pid_t? { process.withLock { $0?.pid } }
    var pipeInodes: [UInt64] { process.withLock { $0?.pipeInodes } ?? [] }
    var counters: Counters { state.withLock { $0.counters } }

    // MARK: Input

    /// Takes one frame of the original stream: H.265 video goes to ffmpeg, audio is held for interleaving.
    func push(_ frame: MediaFrame) {
        guard let child = process.withLock({ $0 }) else { return }
        state.withLock { s in
            guard !s.stopped, !s.failed else { return }
            if frame.codec.isAudio {
                s.audio.append(frame)
                if s.audio.count > Self.maxHeldAudioFrames { s.audio.removeFirst(s.audio.count - Self.maxHeldAudioFrames) }
                return
            }
            guard frame.codec == .h265 else {
                s.counters.droppedIn += 1
                return
            }
            if s.waitingForKeyframe {
                guard frame.isKeyframe else {
                    s.counters.droppedIn += 1
                    return
                }
                s.waitingForKeyframe = false
            }
            if let last = s.lastInputPTS, frame.pts > last, frame.pts - last < MediaFrame.clockRate {
                s.frameDuration = frame.pts - last
            }
            s.lastInputPTS = frame.pts
            var bytes = frame.data
            bytes += Self.h265AUD
            // Under the state lock, so the FIFO and ffmpeg's stdin stay in the same order.
            guard child.write(bytes) else {
                // ffmpeg is slower than real time: skip to the next keyframe rather than queue without end.
                s.counters.droppedIn += 1
                s.waitingForKeyframe = true
                return
            }
            s.pending.append(Pending(pts: frame.pts, isKeyframe: frame.isKeyframe, at: .now))
            s.counters.framesIn += 1
            s.counters.bytesIn += frame.data.count
        }
    }

    // MARK: Output (the I/O thread)

    private func output(_ bytes: [UInt8]) {
        let frames: [MediaFrame] = state.withLock { s in
            guard !s.stopped, !s.failed else { return [] }
            s.lastOutputAt = .now
            var frames: [MediaFrame] = []
            for unit in s.splitter.push(bytes) {
                let pts = Self.timestamp(for: unit, &s, maxGOP: configuration.maxGOPFrames)
                // Audio up to this picture first, as it was interleaved in the original stream.
                var released = 0
                while released < s.audio.count, s.audio[released].pts <= pts { released += 1 }
                if released > 0 {
                    frames += s.audio[0..<released]
                    s.audio.removeFirst(released)
                }
                frames.append(MediaFrame(codec: .h264, pts: pts, dts: pts, isKeyframe: unit.isKeyframe, annexB: unit.data))
                s.counters.framesOut += 1
                s.counters.bytesOut += unit.data.count
            }
            return frames
        }
        if !frames.isEmpty { onFrames(frames) }
    }

    private static func timestamp(for unit: TranscodeOutputSplitter.AccessUnit, _ s: inout State, maxGOP: Int) -> Int64 {
        defer { s.outputsSinceKeyframe = unit.isKeyframe ? 0 : s.outputsSinceKeyframe + 1 }
        guard s.pendingHead < s.pending.count else {
            // More out than in (not expected): continue at the frame rate.
            let pts = (s.lastOutputPTS ?? 0) + s.frameDuration
            s.lastOutputPTS = pts
            return pts
        }
        // An IDR that x264 made for a camera keyframe (not because its own GOP cap ran out) while the FIFO
        // head is not a keyframe: the decoder lost frames; realign on the next input keyframe.
        if unit.isKeyframe, !s.pending[s.pendingHead].isKeyframe, s.outputsSinceKeyframe + 1 < maxGOP,
           let next = s.pending[s.pendingHead...].firstIndex(where: \.isKeyframe) {
            s.pendingHead = next
            s.counters.resyncs += 1
        }
        let pts = s.pending[s.pendingHead].pts
        s.pendingHead += 1
        if s.pendingHead > 256 && s.pendingHead * 2 > s.pending.count {
            s.pending.removeFirst(s.pendingHead)
            s.pendingHead = 0
        }
        s.lastOutputPTS = pts
        return pts
    }

    // MARK: Failure

    private func exited(_ exit: FFmpegExit) {
        fail("\(exit)")
    }

    /// True while the watchdog should go on.
    private func checkStall() -> Bool {
        let stall = configuration.stallTimeout
        let stalled: Bool = state.withLock { s in
            guard !s.stopped, !s.failed else { return false }
            guard s.pendingHead < s.pending.count else { return false }
            let now = ContinuousClock.now
            let oldest = s.pending[s.pendingHead].at
            return now - oldest >= stall && (s.lastOutputAt.map { now - $0 >= stall } ?? true)
        }
        if stalled {
            let line = process.withLock { $0?.lastStderrLine } ?? ""
            fail("ffmpeg produced no frame for \(PlayFailureSeconds.format(stall)) s" + (line.isEmpty ? "" : ": \(line)"))
            process.withLock { $0 }?.kill()
            return false
        }
        return state.withLock { !$0.stopped && !$0.failed }
    }

    private func fail(_ reason: String) {
        let first: Bool = state.withLock { s in
            guard !s.stopped, !s.failed else { return false }
            s.failed = true
            s.watchdog?.cancel()
            return true
        }
        guard first else { return }
        logger.warning("transcoder failed", metadata: ["reason": "\(reason)"])
        onFailure(reason)
    }

    // MARK: Stop

    /// Stops ffmpeg (stdin closed, SIGTERM, SIGKILL after the grace) and waits until it is reaped.
    func stop() async {
        let watchdog: Task<Void, Never>? = state.withLock { s in
            s.stopped = true
            s.pending.removeAll()
            s.pendingHead = 0
            s.audio.removeAll()
            return s.watchdog
        }
        watchdog?.cancel()
        guard let child = process.withLock({ $0 }) else { return }
        child.terminate(grace: configuration.stopGrace)
        _ = await child.waitForExit()
    }
}

/// Seconds as PlayFailure prints them ("10", "2.5").
enum PlayFailureSeconds {
    static func format(_ d: Duration) -> String {
        let ms = d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
        return ms % 1000 == 0 ? "\(ms / 1000)" : String(Double(ms) / 1000)
    }
}
