import Foundation
import Synchronization

/// Announces grants that ended (revoked or expired) to whoever runs streams under them. Media
/// subscribes once and, for each event, ends or re-checks the streams of that grant.
public final class GrantEventHub: Sendable {
    private let subscribers = Mutex<[UUID: AsyncStream<GrantEnded>.Continuation]>([:])

    public init() {}

    /// A stream of every grant that ends from now on. Cancel the consuming task to unsubscribe.
    public func subscribe() -> AsyncStream<GrantEnded> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<GrantEnded>.makeStream(bufferingPolicy: .bufferingNewest(10_000))
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.removeValue(forKey: id) }
        }
        subscribers.withLock { $0[id] = continuation }
        return stream
    }

    public func publish(_ event: GrantEnded) {
        let current = subscribers.withLock { Array($0.values) }
        for continuation in current { continuation.yield(event) }
    }

    public var subscriberCount: Int { subscribers.withLock { $0.count } }

    /// Ends every subscription (shutdown).
    public func finish() {
        let current = subscribers.withLock { list -> [AsyncStream<GrantEnded>.Continuation] in
            defer { list.removeAll() }
            return Array(list.values)
        }
        for continuation in current { continuation.finish() }
    }
}
