import Foundation
import NIOCore

/// The data plane of one stream: frames from the ingest go through the GOP cache to every viewer's
/// queue; the timeline and counters live here because the frames are what advance them.
///
/// Why a lock and not the hub actor: frames arrive synchronously on NIO event-loop threads (about 25
/// per second per stream, 7 500/s at 300 streams). Sending each through an actor means an unstructured
/// task per frame, which may reorder them, or a per-stream async queue, which adds a hop and latency.
/// Under this lock the work per frame is O(viewers) and never suspends; lock order is always
/// fan-out → viewer queue, and nothing here calls back into the ingest or the hub while holding it.
final class StreamFanout: Sendable {
    private struct State {
        var viewers: [ViewerQueue] = []
        var gop: GOPCache
        var parameters: StreamParameters?
        var audioSeen: MediaCodec?
        var counters: StreamCounters
        var timeline: PlayTimeline
        var lastFrameAt: ContinuousClock.Instant?
        var firstPacketAt: ContinuousClock.Instant?
        var mismatchedSSRCs: [UInt32] = []
        var end: ViewerQueue.End?
    }

    let key: StreamKey
    /// Distinguishes this run of the key from later ones (the hub's callbacks carry it).
    let generation: UInt64
    private let state: LockedState<State>
    /// Called (outside the lock) when the media shows the play cannot work, e.g. an unsupported codec.
    private let onFailure: @Sendable (PlayFailure) -> Void

    init(key: StreamKey, generation: UInt64, configuration: StreamHubConfiguration,
         onFailure: @escaping @Sendable (PlayFailure) -> Void) {
        self.key = key
        self.generation = generation
        self.onFailure = onFailure
        state = LockedState(State(
            gop: GOPCache(maxBytes: configuration.gopCacheMaxBytes, maxFrames: configuration.gopCacheMaxFrames),
            counters: StreamCounters(key: key), timeline: PlayTimeline()))
    }

    // MARK: Data plane

    func deliver<Frames: Sequence<MediaFrame>>(_ frames: Frames) {
        let now = ContinuousClock.now
        let failure: PlayFailure? = state.withLock { s in
            guard s.end == nil else { return nil }
            if s.firstPacketAt == nil {
                // Frames handed in without an ingest (a file, a test) count as RTP having arrived.
                s.firstPacketAt = now
                s.timeline.mark(.rtpReceived, now: now)
            }
            for frame in frames {
                if let failure = Self.accept(frame, &s, now: now) { return failure }
            }
            return nil
        }
        if let failure { onFailure(failure) }
    }

    private static func accept(_ frame: MediaFrame, _ s: inout State, now: ContinuousClock.Instant) -> PlayFailure? {
        s.counters.framesIn += 1
        s.counters.bytesIn += frame.data.count
        s.lastFrameAt = now
        if frame.codec.isAudio {
            s.counters.audioFrames += 1
            if s.audioSeen == nil { s.audioSeen = frame.codec }
        } else {
            guard frame.codec == .h264 || frame.codec == .h265 else {
                return .codecNotSupported(codec: frame.codec == .unknown ? "unknown" : frame.codec.rawValue.uppercased())
            }
            s.counters.videoFrames += 1
            if frame.isKeyframe {
                s.counters.keyframes += 1
                announceParameters(of: frame, &s, now: now)
            }
        }
        guard s.parameters != nil else {
            s.counters.droppedBeforeKeyframe += 1
            return nil
        }
        s.gop.append(frame)
        let event = ViewerEvent.frame(frame)
        for viewer in s.viewers { viewer.push(event) }
        return nil
    }

    /// GB devices repeat the parameter sets before every IDR; a changed SPS (resolution switch) or newly
    /// seen audio is announced just before the keyframe so muxers re-initialise there.
    private static func announceParameters(of frame: MediaFrame, _ s: inout State, now: ContinuousClock.Instant) {
        guard let video = CodecParameters(frame: frame) ?? s.parameters?.video else { return }
        let parameters = StreamParameters(video: video, audio: s.audioSeen)
        guard parameters != s.parameters else { return }
        if s.parameters != nil { s.counters.parameterChanges += 1 }
        s.parameters = parameters
        s.counters.parameters = parameters
        s.timeline.mark(.playing, now: now)
        let event = ViewerEvent.parameters(parameters)
        for viewer in s.viewers { viewer.push(event) }
    }

    func record(_ event: IngestEvent) {
        let failure: PlayFailure? = state.withLock { s in
            switch event {
            case let .rtpArrived(ssrc, from):
                if s.firstPacketAt == nil { s.firstPacketAt = .now }
                s.timeline.mark(.rtpReceived)
                if let from { s.timeline.note("first RTP SSRC \(PlayFailure.ssrc(ssrc)) from \(from)") }
                return nil
            case let .ssrcMismatch(expected, received, from, accepted):
                if !s.mismatchedSSRCs.contains(received), s.mismatchedSSRCs.count < 8 { s.mismatchedSSRCs.append(received) }
                s.timeline.note("SSRC \(PlayFailure.ssrc(received)) from \(from ?? "?") instead of \(PlayFailure.ssrc(expected)): "
                    + (accepted ? "accepted (only stream on its port)" : "dropped"))
                return nil
            case let .connectionClosed(address):
                return s.end == nil ? .connectionClosed(address: address) : nil
            case let .connectFailed(address, reason):
                return s.end == nil ? .connectFailed(address: address, reason: reason) : nil
            case let .failed(failure):
                return s.end == nil ? failure : nil
            }
        }
        if let failure { onFailure(failure) }
    }

    // MARK: Control plane (called by the hub)

    func addViewer(_ viewer: ViewerQueue) {
        let end: ViewerQueue.End? = state.withLock { s in
            if let end = s.end { return end }
            s.viewers.append(viewer)
            s.counters.viewers = s.viewers.count
            s.counters.peakViewers = max(s.counters.peakViewers, s.viewers.count)
            if let parameters = s.parameters, s.gop.isValid {
                viewer.push(.parameters(parameters))
                for frame in s.gop.frames { viewer.push(.frame(frame)) }
            } else if let parameters = s.parameters {
                // Cache overflowed: the viewer starts at the next keyframe.
                viewer.push(.parameters(parameters))
            }
            return nil
        }
        if let end { viewer.finish(end) }
    }

    func removeViewer(id: UInt64) -> ViewerQueue? {
        state.withLock { s in
            guard let index = s.viewers.firstIndex(where: { $0.id == id }) else { return nil }
            let viewer = s.viewers.remove(at: index)
            s.counters.viewers = s.viewers.count
            return viewer
        }
    }

    /// Ends the stream for every viewer (nil failure: a normal end).
    func close(_ failure: PlayFailure?) {
        let viewers: [ViewerQueue] = state.withLock { s in
            guard s.end == nil else { return [] }
            s.end = failure.map { .failed($0) } ?? .finished
            if let failure { s.timeline.fail(failure) }
            s.gop.clear()
            defer { s.viewers.removeAll() }
            s.counters.viewers = 0
            return s.viewers
        }
        for viewer in viewers { viewer.finish(failure.map { .failed($0) } ?? .finished) }
    }

    func mark(_ step: PlayStep) { state.withLock { $0.timeline.mark(step) } }
    func note(_ text: String) { state.withLock { $0.timeline.note(text) } }

    var timeline: PlayTimeline { state.withLock { $0.timeline } }

    var counters: StreamCounters {
        state.withLock { s in
            var c = s.counters
            c.gopCacheFrames = s.gop.frames.count
            c.gopCacheBytes = s.gop.bytes
            c.gopCacheOverflows = s.gop.overflows
            if let last = s.lastFrameAt { c.lastFrameAt = Date(timeIntervalSinceNow: -Self.seconds(.now - last)) }
            return c
        }
    }

    struct Progress: Sendable {
        var firstPacketAt: ContinuousClock.Instant?
        var lastFrameAt: ContinuousClock.Instant?
        var playing: Bool
        var mismatchedSSRCs: [UInt32]
        var viewers: Int
    }

    var progress: Progress {
        state.withLock { s in
            Progress(firstPacketAt: s.firstPacketAt, lastFrameAt: s.lastFrameAt, playing: s.parameters != nil,
                     mismatchedSSRCs: s.mismatchedSSRCs, viewers: s.viewers.count)
        }
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
