/// Hands out SSRCs for one SIP domain and takes them back (spec §5.3: the 4-digit stream number is not reused
/// by another current stream). Live and historical streams share one number space, as [W]'s pool does.
///
/// A value type owned by one actor (the invite-session owner); use `SharedSSRCAllocator` when several own it.
/// No time or SIP here: a lease lives until `release`.
public struct SSRCAllocator: Sendable {
    public let domainDigits: String
    /// Stream numbers handed out: `1...capacity` (0 is kept back so no SSRC reads as "unset").
    public let capacity: Int
    private var leases: [Int: GBSSRC.Kind] = [:]
    private var cursor = 0

    /// - Parameter domainID: the platform's 10-digit SIP domain or 20-digit server ID.
    /// - Parameter capacity: at most 9999; lower it to bound concurrent streams per domain.
    public init(domainID: String, capacity: Int = 9999) throws(SSRCError) {
        guard let digits = GBSSRC.domainDigits(of: domainID) else { throw .invalidDomainID(domainID) }
        self.domainDigits = digits
        self.capacity = max(1, min(capacity, 9999))
    }

    public var count: Int { leases.count }

    /// Next free stream number after the last one handed out (round-robin, so a just-released number is not
    /// reused at once while late RTP of the old stream may still arrive).
    public mutating func allocate(_ kind: GBSSRC.Kind) throws(SSRCError) -> GBSSRC {
        guard leases.count < capacity else { throw .exhausted(capacity: capacity) }
        for step in 1...capacity {
            let candidate = (cursor + step - 1) % capacity + 1
            if leases[candidate] == nil {
                cursor = candidate
                leases[candidate] = kind
                return try GBSSRC(kind: kind, domainDigits: domainDigits, sequence: candidate)
            }
        }
        throw .exhausted(capacity: capacity)
    }

    /// Marks an SSRC chosen elsewhere (an answer's `y=`, an upper platform's offer) as in use.
    /// Returns false if it belongs to another domain, is out of range, or its number is already leased.
    @discardableResult
    public mutating func reserve(_ ssrc: GBSSRC) -> Bool {
        guard ssrc.domainDigits == domainDigits, (1...capacity).contains(ssrc.sequence),
              leases[ssrc.sequence] == nil else { return false }
        leases[ssrc.sequence] = ssrc.kind
        return true
    }

    /// Returns the lease; false if this exact SSRC was not leased (double release, other kind or domain).
    @discardableResult
    public mutating func release(_ ssrc: GBSSRC) -> Bool {
        guard contains(ssrc) else { return false }
        leases[ssrc.sequence] = nil
        return true
    }

    public func contains(_ ssrc: GBSSRC) -> Bool {
        ssrc.domainDigits == domainDigits && leases[ssrc.sequence] == ssrc.kind
    }
}

/// `SSRCAllocator` behind an actor, for when several owners (live, playback, cascade relay) draw from one domain.
public actor SharedSSRCAllocator {
    private var allocator: SSRCAllocator

    public init(domainID: String, capacity: Int = 9999) throws(SSRCError) {
        allocator = try SSRCAllocator(domainID: domainID, capacity: capacity)
    }

    public func allocate(_ kind: GBSSRC.Kind) throws(SSRCError) -> GBSSRC { try allocator.allocate(kind) }
    @discardableResult public func reserve(_ ssrc: GBSSRC) -> Bool { allocator.reserve(ssrc) }
    @discardableResult public func release(_ ssrc: GBSSRC) -> Bool { allocator.release(ssrc) }
    public func contains(_ ssrc: GBSSRC) -> Bool { allocator.contains(ssrc) }
    public var count: Int { allocator.count }
}
