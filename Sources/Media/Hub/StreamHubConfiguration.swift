/// The hub's knobs, defaults in one place (style.md "Configuration has one home"); App fills it from
/// its `Config`.
public struct StreamHubConfiguration: Sendable {
    /// After the last live viewer leaves, keep the upstream this long before BYE (the issue: default 30 s),
    /// so a page reload or a second click does not cost the camera a new INVITE.
    public var gracePeriod: Duration = .seconds(30)
    /// A playback is positioned and paced for its viewer: nobody else can reuse it.
    public var playbackGracePeriod: Duration = .zero
    /// Spec §5.1: a 10–20 s answer timeout.
    public var answerTimeout: Duration = .seconds(20)
    /// Spec §5.1: "expect the first RTP within a few seconds of ACK, and BYE the session if none arrives".
    public var noRTPTimeout: Duration = .seconds(8)
    /// From the first RTP packet; GB cameras use GOPs of 1–4 s, some NVR channels up to 10 s.
    public var noKeyframeTimeout: Duration = .seconds(12)
    /// A running stream with no frame for this long is torn down.
    public var mediaStallTimeout: Duration = .seconds(15)

    /// The GOP cache (frames since the last keyframe) that lets a joining viewer start at once.
    /// Beyond either bound the cache is dropped until the next keyframe (joiners then wait for it).
    public var gopCacheMaxBytes = 8 << 20
    public var gopCacheMaxFrames = 300

    /// A viewer's queue; past either bound the viewer is skipped to the next keyframe. Larger than the
    /// GOP cache, so a joiner's first push never overflows.
    public var viewerQueueMaxBytes = 16 << 20
    public var viewerQueueMaxFrames = 500

    public init() {}

    func gracePeriod(for key: StreamKey) -> Duration {
        if case .playback = key.kind { return playbackGracePeriod }
        return gracePeriod
    }
}
