import Foundation

/// The codec set-up a muxer needs: announced before the first frame and again when it changes (new SPS).
public struct StreamParameters: Sendable, Equatable {
    public var video: CodecParameters
    /// The audio codec seen in the stream so far (G.711 muxes into fMP4/FLV; others are ignored).
    public var audio: MediaCodec?

    public init(video: CodecParameters, audio: MediaCodec? = nil) {
        self.video = video
        self.audio = audio
    }
}

/// Per-stream counters (the issue: "per-stream and per-viewer byte/frame counters").
public struct StreamCounters: Sendable {
    public var key: StreamKey
    public var startedAt = Date()
    public var framesIn = 0
    public var bytesIn = 0
    public var videoFrames = 0
    public var audioFrames = 0
    public var keyframes = 0
    /// Frames before the first keyframe with parameter sets: no viewer could decode them.
    public var droppedBeforeKeyframe = 0
    /// How often the codec parameters changed after the first announcement.
    public var parameterChanges = 0
    public var gopCacheFrames = 0
    public var gopCacheBytes = 0
    /// Times a GOP outgrew the cache bounds.
    public var gopCacheOverflows = 0
    public var viewers = 0
    public var peakViewers = 0
    public var parameters: StreamParameters?
    public var lastFrameAt: Date?

    init(key: StreamKey) { self.key = key }
}

/// Per-viewer counters.
public struct ViewerCounters: Sendable {
    public var joinedAt = Date()
    /// Frames and bytes the viewer took from its queue.
    public var framesOut = 0
    public var bytesOut = 0
    public var keyframesOut = 0
    /// Frames discarded because the viewer was too slow, and how many times it was skipped ahead.
    public var droppedFrames = 0
    public var droppedBytes = 0
    public var skips = 0
    public var queuedFrames = 0
    public var queuedBytes = 0
    public var peakQueuedBytes = 0

    init() {}
}
