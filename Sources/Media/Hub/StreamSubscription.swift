/// One viewer of a stream: an async sequence of `ViewerEvent`s for a muxer to consume. It ends (nil)
/// when the viewer unsubscribes or the stream is stopped, and throws the `PlayFailure` when the play
/// fails. Cancelling the consuming task, calling `cancel()` or dropping the last reference all
/// unsubscribe, so a viewer that disappears never keeps an upstream alive.
public final class StreamSubscription: AsyncSequence, Sendable {
    public typealias Element = ViewerEvent

    public let key: StreamKey
    public let viewerID: UInt64
    let queue: ViewerQueue
    let fanout: StreamFanout
    private let hub: StreamHub

    init(key: StreamKey, viewerID: UInt64, queue: ViewerQueue, fanout: StreamFanout, hub: StreamHub) {
        self.key = key
        self.viewerID = viewerID
        self.queue = queue
        self.fanout = fanout
        self.hub = hub
    }

    deinit {
        guard !queue.isEnded else { return }
        let hub = hub, id = viewerID, key = key, generation = fanout.generation
        Task { await hub.unsubscribe(viewerID: id, key: key, generation: generation) }
    }

    /// This viewer's counters (frames and bytes taken, dropped, skips, queue depth).
    public var counters: ViewerCounters { queue.counters }
    /// The stream's counters.
    public var streamCounters: StreamCounters { fanout.counters }
    /// Which step the play reached, and the failure if it failed.
    public var timeline: PlayTimeline { fanout.timeline }

    public func cancel() async {
        await hub.unsubscribe(viewerID: viewerID, key: key, generation: fanout.generation)
    }

    public func makeAsyncIterator() -> Iterator { Iterator(subscription: self) }

    public struct Iterator: AsyncIteratorProtocol {
        // Holds the subscription so a consumer that keeps only the iterator keeps the viewer alive.
        let subscription: StreamSubscription

        public mutating func next() async throws -> ViewerEvent? {
            try await subscription.queue.next()
        }
    }
}
