import Foundation
import GBCore
import SIP

/// Everything the platform service needs to know about itself, with the defaults of spec §2 in one place.
/// App fills it from `--sip-id`, `--sip-domain`, `--sip-host`, `--sip-port`, `--device-password` and the config file.
public struct GBPlatformConfiguration: Sendable, Equatable {
    /// The platform's own 20-digit ID, type 200 (spec §1.2).
    public var platformID: String
    /// SIP domain and digest realm; by convention the first 10 digits of the platform ID (spec §1.2).
    public var domain: String
    /// Address to bind, and to write into our Via/Contact (and later SDP).
    public var host: String
    /// Bound on UDP and TCP; 0 picks an ephemeral port (tests).
    public var port: Int
    /// Password for devices whose directory record has none (spec §2.2: [W] allows a platform default).
    /// nil: no default, and a device without its own password is refused (never a built-in one:
    /// a well-known factory password would let anyone register as any filed camera).
    public var defaultPassword: String?
    /// Said to a device refused for want of a password, and logged: how this deployment sets one
    /// (the library does not know the application's flags or files).
    public var missingPasswordHint: String
    /// GB default 60 s (2016 §9.6, spec §2.1).
    public var keepaliveInterval: Duration
    /// Offline after this many missed keepalives (spec §2.1: 3).
    public var keepaliveMisses: Int
    /// How often the sweeper looks for silent devices, expired registrations and lost TCP connections.
    /// Must stay below `keepaliveInterval` so the directory status follows within one interval.
    public var sweepInterval: Duration
    /// A REGISTER asking for less is answered 423 with Min-Expires (RFC 3261 10.3 step 7).
    public var minimumRegistrationExpiry: Int
    /// A REGISTER asking for more is granted this much (the registrar may shorten, RFC 3261 10.3 step 7).
    public var maximumRegistrationExpiry: Int
    /// Query DeviceInfo and Catalog right after a device's first registration (spec §2.1 flow).
    public var queryCatalogOnRegister: Bool
    /// Idle/overall timeouts and item cap of a catalog or RecordInfo assembly (spec §3.6).
    public var catalogAssembly: AssemblyPolicy
    /// After the count reaches SumNum, fragments are still taken for this long before the result is final
    /// (🔧 a SumNum that lies low would otherwise cut the catalog short).
    public var assemblyGrace: Duration
    /// How long a single-response query (DeviceInfo, DeviceStatus, PresetQuery, control Result) waits.
    public var queryTimeout: Duration
    /// Charset for devices whose record sets none and that did not announce `X-GB-Ver: 3.0` (spec §1.5).
    public var defaultCharset: OutgoingCharset
    /// Expires of our catalog/alarm SUBSCRIBEs; refreshed at 80 % (spec §4: 600 s is the secondary-text default).
    public var subscriptionExpiry: Int
    /// Catalog progress goes to the sink at most this often per device (a 100 000-item catalog in 1-item
    /// fragments would otherwise be 100 000 events).
    public var progressReportInterval: Duration
    /// RFC 3261 timers of the transaction layer.
    public var sipTimers: SIPTimerConfiguration
    public var userAgent: String

    public init(
        platformID: String, domain: String? = nil, host: String = "127.0.0.1", port: Int = 5060,
        defaultPassword: String? = nil, missingPasswordHint: String = "configure a default device password or the device's own",
        keepaliveInterval: Duration = .seconds(60), keepaliveMisses: Int = 3,
        sweepInterval: Duration? = nil, minimumRegistrationExpiry: Int = 60, maximumRegistrationExpiry: Int = 86_400,
        queryCatalogOnRegister: Bool = true, catalogAssembly: AssemblyPolicy = AssemblyPolicy(),
        assemblyGrace: Duration = .milliseconds(300), queryTimeout: Duration = .seconds(10), defaultCharset: OutgoingCharset = .gb2312, subscriptionExpiry: Int = 600,
        progressReportInterval: Duration = .milliseconds(500), sipTimers: SIPTimerConfiguration = .rfc3261,
        userAgent: String = "GBShare"
    ) {
        self.platformID = platformID
        self.domain = domain ?? String(platformID.prefix(10))
        self.host = host
        self.port = port
        self.defaultPassword = defaultPassword
        self.missingPasswordHint = missingPasswordHint
        self.keepaliveInterval = keepaliveInterval
        self.keepaliveMisses = keepaliveMisses
        // A twelfth of the interval (5 s at the default 60 s), at least 50 ms: detection lands within
        // interval × misses + one sweep, well inside "within one interval" of the deadline.
        self.sweepInterval = sweepInterval ?? max(.milliseconds(50), min(.seconds(5), keepaliveInterval / 12))
        self.minimumRegistrationExpiry = minimumRegistrationExpiry
        self.maximumRegistrationExpiry = maximumRegistrationExpiry
        self.queryCatalogOnRegister = queryCatalogOnRegister
        self.catalogAssembly = catalogAssembly
        self.assemblyGrace = assemblyGrace
        self.queryTimeout = queryTimeout
        self.defaultCharset = defaultCharset
        self.subscriptionExpiry = subscriptionExpiry
        self.progressReportInterval = progressReportInterval
        self.sipTimers = sipTimers
        self.userAgent = userAgent
    }

    /// Silence after which a device is offline: interval × misses (spec §2.1, [W]).
    public var offlineAfter: Duration { keepaliveInterval * keepaliveMisses }

    /// Checks what would make the service misbehave rather than merely be unusual.
    public func validate() throws(GBPlatformError) {
        let code: DeviceCode
        do {
            code = try DeviceCode(parsing: platformID)
        } catch {
            throw .invalidConfiguration("--sip-id \(platformID): \(error.description)")
        }
        guard code.type == .signallingServer else {
            throw .invalidConfiguration("--sip-id \(platformID) has type \(code.type.value); a platform ID has type 200")
        }
        guard !domain.isEmpty, domain.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw .invalidConfiguration("--sip-domain \(domain) must be digits (by convention the ID's first 10)")
        }
        guard keepaliveMisses >= 1, keepaliveInterval > .zero, sweepInterval > .zero else {
            throw .invalidConfiguration("keepalive interval, misses and sweep interval must be positive")
        }
        guard minimumRegistrationExpiry <= maximumRegistrationExpiry else {
            throw .invalidConfiguration("minimum registration expiry exceeds the maximum")
        }
    }
}
