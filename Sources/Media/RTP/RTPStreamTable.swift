/// Tells RTP streams apart by SSRC on a shared port (architecture.md: one port, many streams).
/// Pure and bounded: registered streams up to `capacity`; unknown SSRCs are only counted, in a table of
/// at most `unknownCapacity` entries, so a flood of random SSRCs cannot grow memory.
public struct RTPStreamTable<Stream> {
    public enum Route {
        case stream(Stream)
        /// Spec §5.3/§6.6: devices that ignore y= — the port's single stream takes any SSRC.
        case fallback(Stream)
        case unknown
    }

    public enum RegistrationError: Error, Equatable {
        case full(capacity: Int)
    }

    public let capacity: Int
    public let unknownCapacity: Int
    /// Set for "one port, one stream" mode.
    public var fallback: Stream?
    public private(set) var unknownPackets = 0
    public private(set) var unknownEvictions = 0
    /// Packet counts of recently seen unknown SSRCs, for "ssrc mismatched" diagnostics.
    public private(set) var unknownSSRCs: [UInt32: Int] = [:]
    private var streams: [UInt32: Stream] = [:]

    public init(capacity: Int = 4096, unknownCapacity: Int = 64) {
        self.capacity = capacity
        self.unknownCapacity = max(1, unknownCapacity)
    }

    public var count: Int { streams.count }

    public mutating func register(ssrc: UInt32, stream: Stream) throws(RegistrationError) {
        guard streams[ssrc] != nil || streams.count < capacity else { throw .full(capacity: capacity) }
        streams[ssrc] = stream
        unknownSSRCs[ssrc] = nil
    }

    @discardableResult
    public mutating func remove(ssrc: UInt32) -> Stream? {
        streams.removeValue(forKey: ssrc)
    }

    public mutating func route(ssrc: UInt32) -> Route {
        if let stream = streams[ssrc] { return .stream(stream) }
        if let fallback { return .fallback(fallback) }
        unknownPackets += 1
        if let n = unknownSSRCs[ssrc] {
            unknownSSRCs[ssrc] = n + 1
        } else {
            if unknownSSRCs.count >= unknownCapacity, let victim = unknownSSRCs.min(by: { $0.value < $1.value })?.key {
                unknownSSRCs[victim] = nil
                unknownEvictions += 1
            }
            unknownSSRCs[ssrc] = 1
        }
        return .unknown
    }
}

extension RTPStreamTable: Sendable where Stream: Sendable {}
