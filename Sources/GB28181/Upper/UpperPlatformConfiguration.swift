import NIOCore
import SIP

/// An upper platform this node registers to as a lower platform (spec §7): the province above a city,
/// or the city above a county. Kept by App (sealed password, audited changes); the library only uses it.
public struct UpperPlatformConfiguration: Sendable, Equatable {
    /// The upper's SIP server ID (20 digits, type 200) and domain (its first 10 digits, or as configured).
    public var platformID: String
    public var domain: String
    /// Where the upper listens, and over what.
    public var host: String
    public var port: Int
    public var transport: SIPTransportKind
    /// The digest user name the upper knows us by; nil: our own platform ID (what most uppers expect).
    public var username: String?
    public var password: String
    /// Registration lifetime asked for; refreshed at two thirds of what the upper grants.
    public var expires: Int
    /// Keepalive MESSAGE interval; `keepaliveMisses` unanswered in a row mean the link is lost.
    public var keepaliveInterval: Duration
    public var keepaliveMisses: Int
    /// What our MESSAGE bodies are written in towards this upper (many uppers want GB2312).
    public var charset: OutgoingCharset
    /// Waits between registration attempts after a failure: doubling from `first` up to `longest`,
    /// with up to a quarter of random jitter so a city's uppers do not retry in step.
    public var backoffFirst: Duration
    public var backoffLongest: Duration
    /// Catalog items per Response MESSAGE (some uppers take only 1; most take more) and how many pages
    /// may wait for their 200 at once; a page that fails is tried `catalogPageAttempts` times in all.
    /// A window of 8 keeps a lost datagram (retransmitted after T1) from stalling the push: with 1 %
    /// loss, 100,000 items took 35.5 s with a window of 4 and 19.6 s with 8 (`gbshare-bench cascade-catalog`).
    public var catalogItemsPerMessage = 4
    public var catalogWindow = 8
    public var catalogPageAttempts = 3

    public init(platformID: String, domain: String? = nil, host: String, port: Int, transport: SIPTransportKind = .udp,
                username: String? = nil, password: String, expires: Int = 3600, keepaliveInterval: Duration = .seconds(60),
                keepaliveMisses: Int = 3, charset: OutgoingCharset = .gb2312,
                backoffFirst: Duration = .seconds(1), backoffLongest: Duration = .seconds(300)) {
        self.platformID = platformID
        self.domain = domain ?? String(platformID.prefix(10))
        self.host = host
        self.port = port
        self.transport = transport
        self.username = username
        self.password = password
        self.expires = expires
        self.keepaliveInterval = keepaliveInterval
        self.keepaliveMisses = keepaliveMisses
        self.charset = charset
        self.backoffFirst = backoffFirst
        self.backoffLongest = backoffLongest
    }

    /// The wait before attempt `attempt` (1 for the first retry), jitter included.
    public func backoff(attempt: Int) -> Duration {
        let doubling = backoffFirst * (1 << min(max(attempt - 1, 0), 20))
        let base = min(doubling, backoffLongest)
        let jitter = Double.random(in: 0...0.25)
        return base + base * jitter
    }
}
