import NIOCore

/// A stream's HLS for App's routes: `run` feeds the segmenter from a hub subscription (one task per
/// stream, however many HLS players), and the accessors serve `live.m3u8`, the initialization segment
/// and the segments from any thread.
public final class HLSLiveStream: Sendable {
    private let state: LockedState<HLSSegmenter>

    public init(configuration: HLSConfiguration = HLSConfiguration()) {
        state = LockedState(HLSSegmenter(configuration: configuration))
    }

    /// Consumes the subscription until it ends (the playlist then gets EXT-X-ENDLIST) or fails (thrown).
    public func run(_ subscription: StreamSubscription) async throws {
        defer { state.withLock { $0.finish() } }
        for try await event in subscription {
            state.withLock { $0.append(event) }
        }
    }

    /// For a consumer that reads the subscription itself (App's viewers peek at the parameters first).
    public func append(_ event: ViewerEvent) { state.withLock { $0.append(event) } }
    /// The stream ended: the playlist gets EXT-X-ENDLIST.
    public func finish() { state.withLock { $0.finish() } }

    public func playlist() -> String { state.withLock { $0.playlist() } }
    public func segment(_ number: Int) -> ByteBuffer? { state.withLock { $0.segment(number) } }
    public func initializationSegment(version: Int) -> ByteBuffer? { state.withLock { $0.initializationSegment(version: version) } }
    public var mediaSequence: Int { state.withLock { $0.mediaSequence } }
    public var segmentCount: Int { state.withLock { $0.segments.count } }
}
