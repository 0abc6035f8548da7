/// RFC 3261 17 timer values. T1 is the RTT estimate, T2 the cap on non-INVITE retransmission
/// intervals, T4 how long the network holds a message. Tests shrink them.
public struct SIPTimerConfiguration: Sendable, Hashable {
    public var t1: Duration
    public var t2: Duration
    public var t4: Duration

    public init(t1: Duration = .milliseconds(500), t2: Duration = .seconds(4), t4: Duration = .seconds(5)) {
        self.t1 = t1
        self.t2 = t2
        self.t4 = t4
    }

    public static let rfc3261 = SIPTimerConfiguration()

    /// Timer B / F / H / J / L / M: 64 × T1.
    public var transactionTimeout: Duration { t1 * 64 }
}
