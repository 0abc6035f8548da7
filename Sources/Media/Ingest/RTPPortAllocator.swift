import NIOCore

/// Hands out ports from `--rtp-port-range` for streams that need a port of their own (spec §5.3 🔧:
/// devices that ignore y=). Even ports only (RFC 3550 11: RTP on even, RTCP on the odd one above).
/// Round-robin, so a port just freed is not reused at once while late packets may still arrive.
final class RTPPortAllocator: Sendable {
    let range: ClosedRange<Int>
    private let state: LockedState<(used: Set<Int>, next: Int)>

    init(range: ClosedRange<Int>) {
        self.range = range
        let first = range.lowerBound + range.lowerBound % 2
        state = LockedState((used: [], next: first))
    }

    var capacity: Int {
        let first = range.lowerBound + range.lowerBound % 2
        return first <= range.upperBound ? (range.upperBound - first) / 2 + 1 : 0
    }
    var inUse: Int { state.withLock { $0.used.count } }

    func allocate() -> Int? {
        state.withLock { s in
            let first = range.lowerBound + range.lowerBound % 2
            for _ in 0..<capacity {
                let port = s.next
                s.next = port + 2 > range.upperBound ? first : port + 2
                if !s.used.contains(port) {
                    s.used.insert(port)
                    return port
                }
            }
            return nil
        }
    }

    func free(_ port: Int) {
        _ = state.withLock { $0.used.remove(port) }
    }
}
