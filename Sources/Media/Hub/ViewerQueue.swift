import DequeModule
import NIOCore

/// What a viewer receives, in order: `.parameters` first and again whenever the codec set-up changes
/// (re-create the muxer then; the next frame is a keyframe), and frames starting at a keyframe.
public enum ViewerEvent: Sendable {
    case parameters(StreamParameters)
    case frame(MediaFrame)
}

/// One viewer's bounded queue between the stream's fan-out (producer, on an ingest thread) and the
/// viewer's muxer task (consumer). When it holds more than `maxFrames` or `maxBytes`, the viewer is
/// skipped forward: everything queued is dropped and so is every frame until the next keyframe (the
/// issue: "a slow viewer is skipped to the next keyframe, never allowed to grow memory").
///
/// State sits behind a lock rather than in an actor: the producer runs synchronously on an event-loop
/// thread for every frame and must neither suspend nor reorder; every critical section is O(1) apart
/// from the rare overflow, and the continuation is resumed after the lock is released.
final class ViewerQueue: Sendable {
    enum End: Sendable {
        case finished
        case failed(PlayFailure)
        case cancelled
    }

    private struct State {
        var events: Deque<ViewerEvent> = []
        var waiter: CheckedContinuation<ViewerEvent?, any Error>?
        var skippingToKeyframe = false
        var end: End?
        var counters = ViewerCounters()
    }

    let id: UInt64
    let maxBytes: Int
    let maxFrames: Int
    /// Called once when the consumer cancels (its task was cancelled): the hub unsubscribes it.
    private let onCancel: @Sendable () -> Void
    private let state = LockedState(State())

    init(id: UInt64, maxBytes: Int, maxFrames: Int, onCancel: @escaping @Sendable () -> Void) {
        self.id = id
        self.maxBytes = max(1, maxBytes)
        self.maxFrames = max(1, maxFrames)
        self.onCancel = onCancel
    }

    var counters: ViewerCounters { state.withLock { $0.counters } }
    var isEnded: Bool { state.withLock { $0.end != nil } }

    func push(_ event: ViewerEvent) {
        let handoff: CheckedContinuation<ViewerEvent?, any Error>? = state.withLock { s in
            guard s.end == nil else { return nil }
            if case let .frame(frame) = event, s.skippingToKeyframe {
                guard frame.isVideo && frame.isKeyframe else {
                    s.counters.droppedFrames += 1
                    s.counters.droppedBytes += frame.data.count
                    return nil
                }
                s.skippingToKeyframe = false
            }
            if let waiter = s.waiter {
                // The consumer is parked on an empty queue: hand the event over directly.
                s.waiter = nil
                Self.countOut(event, &s.counters)
                return waiter
            }
            s.events.append(event)
            if case let .frame(frame) = event {
                s.counters.queuedFrames += 1
                s.counters.queuedBytes += frame.data.count
                s.counters.peakQueuedBytes = max(s.counters.peakQueuedBytes, s.counters.queuedBytes)
                if s.counters.queuedFrames > maxFrames || s.counters.queuedBytes > maxBytes {
                    Self.skipAhead(&s, incoming: frame)
                }
            }
            return nil
        }
        handoff?.resume(returning: event)
    }

    /// Drops the queued frames, keeping the latest parameters; resumes at `incoming` if it is a keyframe.
    private static func skipAhead(_ s: inout State, incoming: MediaFrame) {
        s.counters.skips += 1
        var parameters: ViewerEvent?
        for event in s.events {
            switch event {
            case .parameters: parameters = event
            case let .frame(frame):
                s.counters.droppedFrames += 1
                s.counters.droppedBytes += frame.data.count
            }
        }
        s.events.removeAll()
        s.counters.queuedFrames = 0
        s.counters.queuedBytes = 0
        if let parameters { s.events.append(parameters) }
        if incoming.isVideo && incoming.isKeyframe {
            s.counters.droppedFrames -= 1
            s.counters.droppedBytes -= incoming.data.count
            s.events.append(.frame(incoming))
            s.counters.queuedFrames = 1
            s.counters.queuedBytes = incoming.data.count
        } else {
            s.skippingToKeyframe = true
        }
    }

    private static func countOut(_ event: ViewerEvent, _ c: inout ViewerCounters) {
        guard case let .frame(frame) = event else { return }
        c.framesOut += 1
        c.bytesOut += frame.data.count
        if frame.isVideo && frame.isKeyframe { c.keyframesOut += 1 }
    }

    /// Ends the queue from the producer side; queued events are still delivered first.
    func finish(_ end: End) {
        let waiter: CheckedContinuation<ViewerEvent?, any Error>? = state.withLock { s in
            guard s.end == nil else { return nil }
            s.end = end
            defer { s.waiter = nil }
            return s.waiter
        }
        if let waiter { Self.resume(waiter, with: end) }
    }

    /// The consumer went away: free the queue at once and tell the hub.
    func cancel() {
        let (first, waiter): (Bool, CheckedContinuation<ViewerEvent?, any Error>?) = state.withLock { s in
            let first = s.end == nil
            if first { s.end = .cancelled }
            s.events.removeAll()
            s.counters.queuedFrames = 0
            s.counters.queuedBytes = 0
            defer { s.waiter = nil }
            return (first, s.waiter)
        }
        waiter?.resume(returning: nil)
        if first { onCancel() }
    }

    /// One consumer at a time.
    func next() async throws -> ViewerEvent? {
        if let ready = take() { return try ready.get() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<ViewerEvent?, any Error>) in
                let ready: Result<ViewerEvent?, any Error>? = state.withLock { s in
                    if let ready = Self.take(&s) { return ready }
                    precondition(s.waiter == nil, "a StreamSubscription has one consumer")
                    s.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(with: ready) }
            }
        } onCancel: {
            self.cancel()
        }
    }

    private func take() -> Result<ViewerEvent?, any Error>? {
        state.withLock { Self.take(&$0) }
    }

    private static func take(_ s: inout State) -> Result<ViewerEvent?, any Error>? {
        if let event = s.events.popFirst() {
            if case let .frame(frame) = event {
                s.counters.queuedFrames -= 1
                s.counters.queuedBytes -= frame.data.count
            }
            countOut(event, &s.counters)
            return .success(event)
        }
        guard let end = s.end else { return nil }
        return result(of: end)
    }

    private static func result(of end: End) -> Result<ViewerEvent?, any Error> {
        switch end {
        case .finished, .cancelled: .success(nil)
        case let .failed(failure): .failure(failure)
        }
    }

    private static func resume(_ waiter: CheckedContinuation<ViewerEvent?, any Error>, with end: End) {
        waiter.resume(with: result(of: end))
    }
}
