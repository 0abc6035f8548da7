import DequeModule

/// Reception statistics of one RTP stream (RFC 3550 6.4.1 / A.3 / A.8).
public struct RTPReceptionStats: Sendable, Equatable {
    public var received = 0
    public var delivered = 0
    public var lost = 0
    public var duplicates = 0
    public var reordered = 0
    /// Packets that arrived after their place was given up (counted lost, then dropped).
    public var late = 0
    /// Sequence jumps larger than `RTPStreamReceiver.maxDropout`: the sender restarted.
    public var restarts = 0
    /// Interarrival jitter in timestamp units, RFC 3550 A.8.
    public var jitter: Double = 0
    public init() {}
}

/// Puts one SSRC's packets back in sequence order with a small reorder buffer, and counts loss,
/// duplicates and jitter. Packets come out in order; a gap is given up (counted as lost) when the
/// buffer holds `reorderDepth` packets waiting behind it.
public struct RTPStreamReceiver: Sendable {
    public let ssrc: UInt32
    public let reorderDepth: Int
    public private(set) var stats = RTPReceptionStats()
    /// Set when the last `receive` gave up on missing packets: a PS demuxer downstream should resync.
    public private(set) var lossSinceLastDelivery = false

    /// RFC 3550 A.1: a jump this large is a restart, not loss.
    public static let maxDropout: Int64 = 3000

    private var nextExpected: Int64?
    private var highestExtended: Int64 = 0
    private var buffer: Deque<(sequence: Int64, packet: RTPPacket)> = []
    private var lastTransit: Int64?
    /// Bit i set: sequence `nextExpected - 1 - i` was delivered (tells duplicates from late packets).
    private var deliveredMask: UInt64 = 0
    private var timestamps = TimestampUnwrapper(bits: 32)

    public init(ssrc: UInt32, reorderDepth: Int = 16) {
        self.ssrc = ssrc
        self.reorderDepth = max(0, reorderDepth)
    }

    /// `arrival` is the arrival time in the stream's clock units (90 kHz for video), any origin.
    public mutating func receive(_ packet: RTPPacket, arrival: Int64) -> [RTPPacket] {
        stats.received += 1
        lossSinceLastDelivery = false
        updateJitter(packet, arrival: arrival)
        let sequence = extend(packet.sequenceNumber)
        guard let expected = nextExpected else {
            nextExpected = sequence
            highestExtended = sequence
            return insertAndRelease(sequence, packet)
        }
        if sequence < expected {
            if expected - sequence > Self.maxDropout {
                restart(at: sequence)
                return insertAndRelease(sequence, packet)
            }
            // Its slot is behind us: a copy of a delivered packet, or one given up as lost.
            let age = expected - 1 - sequence
            if age < 64 && deliveredMask & (1 << UInt64(age)) != 0 { stats.duplicates += 1 } else { stats.late += 1 }
            return []
        }
        if sequence - highestExtended > Self.maxDropout {
            stats.restarts += 1
            var flushed = flush()
            restart(at: sequence)
            flushed += insertAndRelease(sequence, packet)
            return flushed
        }
        if sequence < highestExtended { stats.reordered += 1 }
        highestExtended = max(highestExtended, sequence)
        return insertAndRelease(sequence, packet)
    }

    /// Everything still buffered, in order, with the gaps counted as lost.
    public mutating func flush() -> [RTPPacket] {
        var out: [RTPPacket] = []
        while let first = buffer.popFirst() {
            if let expected = nextExpected, first.sequence > expected {
                stats.lost += Int(first.sequence - expected)
                lossSinceLastDelivery = true
            }
            out.append(first.packet)
            markDelivered(first.sequence, after: nextExpected ?? first.sequence)
            nextExpected = first.sequence + 1
        }
        stats.delivered += out.count
        return out
    }

    private mutating func markDelivered(_ sequence: Int64, after expected: Int64) {
        let shift = sequence - expected + 1
        deliveredMask = shift >= 64 ? 1 : (deliveredMask << UInt64(max(1, shift))) | 1
    }

    private mutating func restart(at sequence: Int64) {
        buffer.removeAll()
        deliveredMask = 0
        nextExpected = sequence
        highestExtended = sequence
    }

    private mutating func insertAndRelease(_ sequence: Int64, _ packet: RTPPacket) -> [RTPPacket] {
        // Insert sorted; the buffer is tiny, so a linear scan from the back is cheapest.
        var index = buffer.count
        while index > 0 && buffer[index - 1].sequence > sequence { index -= 1 }
        if index > 0 && buffer[index - 1].sequence == sequence {
            stats.duplicates += 1
            return []
        }
        buffer.insert((sequence, packet), at: index)
        var out: [RTPPacket] = []
        while let first = buffer.first, let expected = nextExpected {
            if first.sequence == expected || buffer.count > reorderDepth {
                if first.sequence > expected {
                    stats.lost += Int(first.sequence - expected)
                    lossSinceLastDelivery = true
                }
                buffer.removeFirst()
                out.append(first.packet)
                markDelivered(first.sequence, after: expected)
                nextExpected = first.sequence + 1
            } else {
                break
            }
        }
        stats.delivered += out.count
        return out
    }

    /// 16-bit sequence → 64-bit, choosing the candidate nearest the highest seen (RFC 3550 A.1).
    private func extend(_ seq: UInt16) -> Int64 {
        guard nextExpected != nil else { return Int64(seq) }
        let cycle = highestExtended & ~0xFFFF
        var candidate = cycle | Int64(seq)
        if candidate - highestExtended > 0x8000 { candidate -= 0x10000 }
        else if highestExtended - candidate > 0x8000 { candidate += 0x10000 }
        return candidate
    }

    /// RFC 3550 A.8: J += (|D| - J) / 16, D the change in transit time.
    private mutating func updateJitter(_ packet: RTPPacket, arrival: Int64) {
        let transit = arrival - timestamps.unwrap(UInt64(packet.timestamp))
        if let lastTransit {
            let d = Double(abs(transit - lastTransit))
            stats.jitter += (d - stats.jitter) / 16
        }
        lastTransit = transit
    }
}
