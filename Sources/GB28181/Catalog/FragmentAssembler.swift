/// An item that can be de-duplicated across fragments of a multi-message answer.
public protocol AssemblableItem: Sendable {
    associatedtype AssemblyKey: Hashable & Sendable
    var assemblyKey: AssemblyKey { get }
}

/// Bounds and timeouts of one assembly. Defaults: 30 s idle as in one 2022 implementation (spec §3.6),
/// 10 minutes overall, and a cap on items so a lying or hostile peer cannot grow memory without end.
public struct AssemblyPolicy: Sendable, Equatable {
    public var idleTimeout: Duration
    public var overallTimeout: Duration
    public var maxItems: Int

    public init(idleTimeout: Duration = .seconds(30), overallTimeout: Duration = .seconds(600), maxItems: Int = 500_000) {
        self.idleTimeout = idleTimeout
        self.overallTimeout = overallTimeout
        self.maxItems = maxItems
    }
}

/// Where an assembly stands at a given time.
public enum AssemblyState: Sendable, Equatable {
    /// The count reached SumNum (or SumNum was 0 with no items). Items may still overshoot if fragments keep
    /// coming (a SumNum that lies low); close now or after a short grace, as the caller prefers.
    case complete
    /// Not complete; decide again at `deadline` unless a fragment arrives first.
    case waiting(deadline: ContinuousClock.Instant)
    /// No fragment for `idleTimeout` or the whole thing took longer than `overallTimeout`. The items received
    /// so far are kept and usable (a SumNum that lies high never completes otherwise).
    case timedOut(TimeoutReason)

    public enum TimeoutReason: Sendable, Equatable { case idle, overall }
}

/// Progress for display and logs.
public struct AssemblyProgress: Sendable, Equatable {
    public var received: Int
    /// nil while the peer has not given a usable SumNum.
    public var expected: Int?

    /// received / expected, capped at 1; nil when expected is unknown; 1 for an empty answer.
    public var fraction: Double? {
        guard let expected else { return nil }
        guard expected > 0 else { return 1 }
        return min(1, Double(received) / Double(expected))
    }
}

/// Collects one multi-message answer (catalog, catalog notify, RecordInfo) for one (peer, SN): items keyed and
/// de-duplicated, SumNum never trusted blindly (spec §3.6 receiver algorithm: [W], [L]).
///
/// A pure value: the registrar keeps one per (device, SN) inside its own actor and asks `state(at:)` when a
/// fragment arrives or its timer fires. No clock is read here; every time is passed in.
public struct FragmentAssembler<Item: AssemblableItem>: Sendable {
    public let deviceID: String
    public let sn: Int
    public let policy: AssemblyPolicy
    public let startedAt: ContinuousClock.Instant
    public private(set) var lastFragmentAt: ContinuousClock.Instant

    /// Items in first-arrival order; a duplicate replaces the earlier copy in place (later data wins).
    public private(set) var items: [Item] = []
    private var positions: [Item.AssemblyKey: Int] = [:]

    /// The latest usable SumNum.
    public private(set) var expected: Int?
    public private(set) var fragments = 0
    /// Items seen again under a key already held.
    public private(set) var duplicates = 0
    /// Items refused because `policy.maxItems` was reached.
    public private(set) var droppedItems = 0
    /// How often SumNum changed between fragments (🔧 tolerated, the latest value is used).
    public private(set) var sumNumChanges = 0
    /// A fragment said SumNum 0 but carried items: that SumNum is ignored as a lie.
    public private(set) var sawZeroSumNumWithItems = false

    public init(deviceID: String, sn: Int, startedAt: ContinuousClock.Instant, policy: AssemblyPolicy = .init()) {
        self.deviceID = deviceID
        self.sn = sn
        self.policy = policy
        self.startedAt = startedAt
        self.lastFragmentAt = startedAt
    }

    /// Adds one fragment. `sumNum` nil (absent or garbage) leaves the expectation unchanged.
    public mutating func add(sumNum: Int?, items newItems: [Item], at time: ContinuousClock.Instant) {
        fragments += 1
        lastFragmentAt = time
        for item in newItems {
            let key = item.assemblyKey
            if let position = positions[key] {
                items[position] = item
                duplicates += 1
            } else if items.count < policy.maxItems {
                positions[key] = items.count
                items.append(item)
            } else {
                droppedItems += 1
            }
        }
        record(sumNum: sumNum, fragmentHadItems: !newItems.isEmpty)
    }

    private mutating func record(sumNum: Int?, fragmentHadItems: Bool) {
        guard let sumNum, sumNum >= 0 else { return }
        if sumNum == 0 && (fragmentHadItems || !items.isEmpty) {
            sawZeroSumNumWithItems = true
            return
        }
        if let expected, expected != sumNum { sumNumChanges += 1 }
        expected = sumNum
    }

    public var progress: AssemblyProgress { AssemblyProgress(received: items.count, expected: expected) }

    public var isComplete: Bool {
        guard let expected else { return false }
        return items.count >= min(expected, policy.maxItems)
    }

    /// Items beyond SumNum (a SumNum that lies low).
    public var overshoot: Int { expected.map { max(0, items.count - $0) } ?? 0 }

    /// The decision at `now`: complete, keep waiting until a deadline, or give up keeping what arrived.
    public func state(at now: ContinuousClock.Instant) -> AssemblyState {
        if isComplete { return .complete }
        let idleDeadline = lastFragmentAt.advanced(by: policy.idleTimeout)
        let overallDeadline = startedAt.advanced(by: policy.overallTimeout)
        if now >= overallDeadline { return .timedOut(.overall) }
        if now >= idleDeadline { return .timedOut(.idle) }
        return .waiting(deadline: min(idleDeadline, overallDeadline))
    }
}
