/// Extends a wrapping timestamp (33-bit PES PTS, 32-bit RTP timestamp) to a monotonic 64-bit value.
/// A jump backwards by more than half the range is taken as a wrap (13818-1 2.4.3.7 PTS is modulo 2^33).
public struct TimestampUnwrapper: Sendable {
    public let bits: Int
    private var last: Int64?
    private var epoch: Int64 = 0

    public init(bits: Int) { self.bits = bits }

    public mutating func unwrap(_ raw: UInt64) -> Int64 {
        let range = Int64(1) << Int64(bits)
        let value = Int64(raw & UInt64(range - 1))
        if let last {
            let lastRaw = last - epoch
            if value - lastRaw < -range / 2 {
                epoch += range
            } else if value - lastRaw > range / 2 && epoch >= range {
                // A late packet from before the wrap.
                let extended = epoch - range + value
                return extended
            }
        }
        let extended = epoch + value
        last = extended
        return extended
    }
}
