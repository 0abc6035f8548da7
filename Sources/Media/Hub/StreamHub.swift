import Logging
import NIOCore

/// One upstream per stream key however many viewers (the issue's "a hundred users watching the same
/// camera cost the camera one stream"). The first `subscribe` starts the `StreamSource` (INVITE), the
/// last viewer leaving schedules the stop (BYE) after a grace period, and timers turn a silent failure
/// into a `PlayFailure` naming the step.
///
/// Split on purpose: this actor is the control plane (subscribe, start, stop, timers: rare, async,
/// must be serialised), while frames take the data plane — `deliver` is `nonisolated` and goes
/// straight to the stream's `StreamFanout` on the ingest thread, with no actor hop per frame.
public actor StreamHub: MediaFrameSink {
    private enum Phase {
        case starting(Task<Void, Never>)
        case running(UpstreamSession)
    }

    private struct Entry {
        let fanout: StreamFanout
        var viewers: Set<UInt64> = []
        var phase: Phase
        var graceTask: Task<Void, Never>?
        var watchdog: Task<Void, Never>?
    }

    public nonisolated let configuration: StreamHubConfiguration
    private let source: any StreamSource
    private let logger: Logger
    private var streams: [StreamKey: Entry] = [:]
    private var nextID: UInt64 = 0
    private var pendingStops: [UInt64: Task<Void, Never>] = [:]
    /// The data plane's view of the running streams, read from event-loop threads.
    private nonisolated let live = LockedState<[StreamKey: StreamFanout]>([:])
    private nonisolated let unroutedFrames = LockedState(0)

    public init(source: any StreamSource, configuration: StreamHubConfiguration = .init(),
                logger: Logger = Logger(label: "gbshare.media.hub")) {
        self.source = source
        self.configuration = configuration
        self.logger = logger
    }

    // MARK: Viewers

    /// Joins the stream, starting the upstream if this is its first viewer. Returns at once: frames
    /// (from the GOP cache first) or the failure come through the subscription.
    public func subscribe(_ key: StreamKey) -> StreamSubscription {
        if streams[key] == nil { open(key) }
        nextID += 1
        let viewerID = nextID
        guard var entry = streams[key] else { preconditionFailure("opened above") }
        let generation = entry.fanout.generation
        let queue = ViewerQueue(id: viewerID, maxBytes: configuration.viewerQueueMaxBytes,
                                maxFrames: configuration.viewerQueueMaxFrames) { [weak self] in
            guard let self else { return }
            Task { await self.unsubscribe(viewerID: viewerID, key: key, generation: generation) }
        }
        entry.graceTask?.cancel()
        entry.graceTask = nil
        entry.viewers.insert(viewerID)
        streams[key] = entry
        entry.fanout.addViewer(queue)
        return StreamSubscription(key: key, viewerID: viewerID, queue: queue, fanout: entry.fanout, hub: self)
    }

    func unsubscribe(viewerID: UInt64, key: StreamKey, generation: UInt64) {
        guard var entry = streams[key], entry.fanout.generation == generation,
              entry.viewers.remove(viewerID) != nil else { return }
        entry.fanout.removeViewer(id: viewerID)?.finish(.finished)
        if entry.viewers.isEmpty {
            let grace = configuration.gracePeriod(for: key)
            entry.graceTask = Task { [weak self] in
                guard (try? await Task.sleep(for: grace)) != nil else { return }
                await self?.graceExpired(key, generation)
            }
        }
        streams[key] = entry
    }

    private func graceExpired(_ key: StreamKey, _ generation: UInt64) {
        guard let entry = streams[key], entry.fanout.generation == generation, entry.viewers.isEmpty else { return }
        logger.debug("no viewer left, stopping upstream", metadata: ["stream": "\(key)"])
        close(key, failure: nil)
    }

    // MARK: Upstream

    private func open(_ key: StreamKey) {
        nextID += 1
        let generation = nextID
        let fanout = StreamFanout(key: key, generation: generation, configuration: configuration) { [weak self] failure in
            guard let self else { return }
            Task { await self.fail(key, generation, failure) }
        }
        fanout.mark(.requested)
        live.withLock { $0[key] = fanout }
        let start = Task { await self.runStart(key, generation) }
        let answerTimeout = configuration.answerTimeout
        let watchdog = Task { [weak self] in
            guard (try? await Task.sleep(for: answerTimeout)) != nil else { return }
            await self?.answerTimedOut(key, generation)
        }
        streams[key] = Entry(fanout: fanout, phase: .starting(start), watchdog: watchdog)
        logger.debug("starting upstream", metadata: ["stream": "\(key)"])
    }

    private func runStart(_ key: StreamKey, _ generation: UInt64) async {
        // Every viewer may have left before this task ran: send no INVITE then.
        guard let fanout = current(key, generation)?.fanout, !Task.isCancelled else { return }
        fanout.mark(.inviting)
        let session: UpstreamSession
        do {
            session = try await source.start(key)
        } catch {
            if current(key, generation) != nil { fail(key, generation, PlayFailure(error)) }
            return
        }
        guard var entry = current(key, generation) else {
            // Stopped, failed or timed out while the INVITE was in flight.
            stopUpstream(session)
            return
        }
        entry.phase = .running(session)
        entry.fanout.mark(.answered)
        entry.watchdog?.cancel()
        entry.watchdog = Task { await self.watch(key, generation, session) }
        streams[key] = entry
    }

    private func answerTimedOut(_ key: StreamKey, _ generation: UInt64) {
        guard let entry = current(key, generation), case .starting = entry.phase else { return }
        fail(key, generation, .noAnswer(timeout: configuration.answerTimeout))
    }

    /// The media checks after the answer: first RTP, first keyframe, then frames keep coming.
    private func watch(_ key: StreamKey, _ generation: UInt64, _ session: UpstreamSession) async {
        let c = configuration
        guard await sleep(until: .now + c.noRTPTimeout), let fanout = current(key, generation)?.fanout else { return }
        var progress = fanout.progress
        guard let firstPacket = progress.firstPacketAt else {
            return fail(key, generation, noRTPFailure(session, progress))
        }
        if !progress.playing {
            guard await sleep(until: firstPacket + c.noKeyframeTimeout), current(key, generation) != nil else { return }
            progress = fanout.progress
            guard progress.playing else { return fail(key, generation, .noKeyframe(timeout: c.noKeyframeTimeout)) }
        }
        while true {
            let last = progress.lastFrameAt ?? .now
            guard await sleep(until: last + c.mediaStallTimeout), current(key, generation) != nil else { return }
            progress = fanout.progress
            if let l = progress.lastFrameAt, ContinuousClock.now - l >= c.mediaStallTimeout {
                return fail(key, generation, .mediaStopped(timeout: c.mediaStallTimeout))
            }
        }
    }

    private func noRTPFailure(_ session: UpstreamSession, _ progress: StreamFanout.Progress) -> PlayFailure {
        let address = session.receiveAddressDescription
        var others = progress.mismatchedSSRCs
        if let diagnostics = session.lease?.diagnostics() {
            for ssrc in diagnostics.otherSSRCs where !others.contains(ssrc) { others.append(ssrc) }
        }
        if let expected = session.ssrc, !others.isEmpty {
            return .ssrcMismatch(expected: expected, received: others, address: address)
        }
        return .noRTP(address: address, timeout: configuration.noRTPTimeout)
    }

    private func sleep(until deadline: ContinuousClock.Instant) async -> Bool {
        (try? await Task.sleep(until: deadline, clock: .continuous)) != nil
    }

    /// Fails every viewer of that run of the stream and stops its upstream.
    func fail(_ key: StreamKey, _ generation: UInt64, _ failure: PlayFailure) {
        guard current(key, generation) != nil else { return }
        logger.warning("play failed", metadata: ["stream": "\(key)", "step": "\(failure.step)", "reason": "\(failure.message.en)"])
        close(key, failure: failure)
    }

    private func close(_ key: StreamKey, failure: PlayFailure?) {
        guard let entry = streams.removeValue(forKey: key) else { return }
        live.withLock { if $0[key] === entry.fanout { $0[key] = nil } }
        entry.graceTask?.cancel()
        entry.watchdog?.cancel()
        // Free the SSRC and port before viewers hear of the end, so a retry finds them available.
        switch entry.phase {
        case let .starting(task): task.cancel()
        case let .running(session): stopUpstream(session)
        }
        entry.fanout.close(failure)
    }

    /// Releases the SSRC/port at once (late packets then count as unknown), then sends BYE.
    private func stopUpstream(_ session: UpstreamSession) {
        session.lease?.release()
        nextID += 1
        let id = nextID
        let source = self.source
        pendingStops[id] = Task {
            await source.stop(session)
            self.stopFinished(id)
        }
    }

    private func stopFinished(_ id: UInt64) { pendingStops[id] = nil }

    private func current(_ key: StreamKey, _ generation: UInt64) -> Entry? {
        guard let entry = streams[key], entry.fanout.generation == generation else { return nil }
        return entry
    }

    /// The source reports that a running upstream ended by itself (the device sent BYE or went
    /// offline): its viewers get `failure` at once instead of waiting for the stall timeout. A report
    /// for an older run of the stream (another session id) is ignored.
    public func upstreamEnded(_ key: StreamKey, sessionID: String, failure: PlayFailure) {
        guard let entry = streams[key], case let .running(session) = entry.phase, session.id == sessionID else { return }
        fail(key, entry.fanout.generation, failure)
    }

    /// Stops every stream (viewers see the end of their sequence) and waits for the BYEs.
    public func shutdown() async {
        for key in Array(streams.keys) { close(key, failure: nil) }
        while let (id, task) = pendingStops.first {
            await task.value
            pendingStops[id] = nil
        }
    }

    // MARK: Data plane (nonisolated: called on ingest event loops)

    public nonisolated func deliver(_ frames: [MediaFrame], to key: StreamKey) {
        route(frames, to: key)
    }

    public nonisolated func deliver(_ frame: MediaFrame, to key: StreamKey) {
        route(CollectionOfOne(frame), to: key)
    }

    private nonisolated func route<Frames: Sequence<MediaFrame>>(_ frames: Frames, to key: StreamKey) {
        guard let fanout = live.withLock({ $0[key] }) else {
            unroutedFrames.withLock { $0 += frames.underestimatedCount }
            return
        }
        fanout.deliver(frames)
    }

    public nonisolated func report(_ event: IngestEvent, for key: StreamKey) {
        live.withLock { $0[key] }?.record(event)
    }

    // MARK: Observation

    public func counters(for key: StreamKey) -> StreamCounters? { streams[key]?.fanout.counters }
    public func allCounters() -> [StreamCounters] { streams.values.map(\.fanout.counters) }
    public func timeline(for key: StreamKey) -> PlayTimeline? { streams[key]?.fanout.timeline }
    public var streamCount: Int { streams.count }
    public func viewerCount(for key: StreamKey) -> Int { streams[key]?.viewers.count ?? 0 }
    /// True while the upstream of `key` is starting or running (false during nothing, true during grace).
    public func isUpstreamActive(_ key: StreamKey) -> Bool { streams[key] != nil }
    /// Frames that arrived for a key with no running stream (late packets after a stop).
    public nonisolated var unroutedFrameCount: Int { unroutedFrames.withLock { $0 } }
}
