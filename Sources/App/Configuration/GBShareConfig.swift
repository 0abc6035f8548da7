import Foundation
import Sharing

/// Every setting of a GBShare node, with its default, in one place. Read from a JSON config file,
/// then the environment, then command-line flags (each overriding the one before).
public struct GBShareConfig: Codable, Sendable, Equatable {
    /// Folder for the SQLite file, uploads and recordings.
    public var dataDirectory = "data"
    public var httpHost = "0.0.0.0"
    public var httpPort = 8080
    /// `postgres://...` switches every table to PostgreSQL; unset means SQLite in `dataDirectory`.
    public var databaseURL: String?
    /// How long a login token lives.
    public var tokenLifetimeSeconds = 8 * 3600
    /// Failed logins in a row that lock an account, and for how long.
    public var lockoutThreshold = 5
    public var lockoutSeconds = 15 * 60
    /// bcrypt cost for new password hashes (12 ≈ 250 ms here: slow for attackers, fine for people).
    public var bcryptCost = 12
    /// Largest upload accepted for a directory import.
    public var maxUploadMegabytes = 200
    /// Radius of the duplicate-construction check.
    public var duplicateRadiusMetres = 30.0
    /// Sharing rules: approval chains per share attribute, the owners' deadline in working days,
    /// when a purpose is required, open access to unconditional cameras (off).
    public var sharing = SharingPolicy()
    /// The audit log writes its chain head to `audit/anchors.log` in the data folder every this
    /// many entries, and at least every `auditAnchorSeconds` when it moved.
    public var auditAnchorEvery = 1000
    public var auditAnchorSeconds = 60.0
    /// Forwarding of every audit entry to the police log system (RFC 5424 syslog); nil: off.
    public var auditSyslog: SyslogTarget?

    // GB/T 28181 signalling.
    /// Start the SIP side with the server (tests of the HTTP API alone turn it off).
    public var signallingEnabled = true
    /// The platform's own 20-digit ID (type 200). The common factory default of devices is used when
    /// none is configured, so a camera set up the usual way finds the platform; a city sets its own.
    public var sipID = "34020000002000000001"
    /// SIP domain and digest realm; nil means the ID's first 10 digits.
    public var sipDomain: String?
    /// The address put in our SIP headers (and SDP); also the address SIP binds to.
    public var sipHost = "0.0.0.0"
    public var sipPort = 5060
    /// Password for devices without their own. No built-in default: without one, only devices with
    /// a password set through the API can register.
    public var devicePassword: String?
    public var keepaliveIntervalSeconds = 60
    public var keepaliveMisses = 3
    /// Subscribe to each device's catalog and alarm events when it comes online (spec §4).
    public var subscribeOnRegister = true

    // Live video (spec §5-6).
    /// The address devices send RTP to, written into the INVITE's SDP (`c=`). nil: `sipHost` when it is
    /// a specific address, else 127.0.0.1 with a warning (a real node must set it).
    public var mediaHost: String?
    /// The shared RTP port (UDP and TCP), streams told apart by SSRC.
    public var rtpPort = 30000
    /// "30002-30500": a port per stream from this range instead of the shared port.
    public var rtpPortRange: String?
    /// How devices send RTP: "udp", "tcp-passive" (the device connects to us) or "tcp-active".
    public var rtpTransport = "udp"
    /// Concurrent H.265→H.264 transcodes (about one core each at 1080p).
    public var transcodeLimit = 4
    /// Seconds an upstream stays up after its last viewer left (a viewer coming back finds it running).
    public var viewerGraceSeconds = 30

    public init() {}

    public static let sqliteFileName = "gbshare.sqlite"

    public var sqlitePath: String {
        URL(fileURLWithPath: dataDirectory).appendingPathComponent(Self.sqliteFileName).path
    }

    public var auditAnchorPath: String {
        URL(fileURLWithPath: dataDirectory).appendingPathComponent("audit").appendingPathComponent("anchors.log").path
    }

    public var importsDirectory: String {
        URL(fileURLWithPath: dataDirectory).appendingPathComponent("imports").path
    }

    /// Reads a config file (keys as in this struct: `{"httpPort": 8081}`); missing keys keep defaults.
    public static func load(file: String?) throws -> GBShareConfig {
        var config = GBShareConfig()
        if let file {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: file))
            } catch {
                throw ConfigError.unreadable(file, "\(error.localizedDescription)")
            }
            do {
                config = try JSONDecoder().decode(PartialConfig.self, from: data).applied(to: config)
            } catch {
                throw ConfigError.unreadable(file, "\(error)")
            }
        }
        config.applyEnvironment(ProcessInfo.processInfo.environment)
        return config
    }

    mutating func applyEnvironment(_ environment: [String: String]) {
        if let url = environment["DATABASE_URL"], !url.isEmpty { databaseURL = url }
        if let data = environment["GBSHARE_DATA"], !data.isEmpty { dataDirectory = data }
        if let password = environment["GBSHARE_DEVICE_PASSWORD"], !password.isEmpty { devicePassword = password }
    }
}

/// A config file may name any subset of the settings.
struct PartialConfig: Decodable {
    var dataDirectory: String?
    var httpHost: String?
    var httpPort: Int?
    var databaseURL: String?
    var tokenLifetimeSeconds: Int?
    var lockoutThreshold: Int?
    var lockoutSeconds: Int?
    var bcryptCost: Int?
    var maxUploadMegabytes: Int?
    var duplicateRadiusMetres: Double?
    var sharing: SharingPolicy?
    var auditAnchorEvery: Int?
    var auditAnchorSeconds: Double?
    var auditSyslog: SyslogTarget?
    var signallingEnabled: Bool?
    var sipID: String?
    var sipDomain: String?
    var sipHost: String?
    var sipPort: Int?
    var devicePassword: String?
    var keepaliveIntervalSeconds: Int?
    var keepaliveMisses: Int?
    var subscribeOnRegister: Bool?
    var mediaHost: String?
    var rtpPort: Int?
    var rtpPortRange: String?
    var rtpTransport: String?
    var transcodeLimit: Int?
    var viewerGraceSeconds: Int?

    func applied(to base: GBShareConfig) -> GBShareConfig {
        var config = base
        config.dataDirectory = dataDirectory ?? config.dataDirectory
        config.httpHost = httpHost ?? config.httpHost
        config.httpPort = httpPort ?? config.httpPort
        config.databaseURL = databaseURL ?? config.databaseURL
        config.tokenLifetimeSeconds = tokenLifetimeSeconds ?? config.tokenLifetimeSeconds
        config.lockoutThreshold = lockoutThreshold ?? config.lockoutThreshold
        config.lockoutSeconds = lockoutSeconds ?? config.lockoutSeconds
        config.bcryptCost = bcryptCost ?? config.bcryptCost
        config.maxUploadMegabytes = maxUploadMegabytes ?? config.maxUploadMegabytes
        config.duplicateRadiusMetres = duplicateRadiusMetres ?? config.duplicateRadiusMetres
        config.sharing = sharing ?? config.sharing
        config.auditAnchorEvery = auditAnchorEvery ?? config.auditAnchorEvery
        config.auditAnchorSeconds = auditAnchorSeconds ?? config.auditAnchorSeconds
        config.auditSyslog = auditSyslog ?? config.auditSyslog
        config.signallingEnabled = signallingEnabled ?? config.signallingEnabled
        config.sipID = sipID ?? config.sipID
        config.sipDomain = sipDomain ?? config.sipDomain
        config.sipHost = sipHost ?? config.sipHost
        config.sipPort = sipPort ?? config.sipPort
        config.devicePassword = devicePassword ?? config.devicePassword
        config.keepaliveIntervalSeconds = keepaliveIntervalSeconds ?? config.keepaliveIntervalSeconds
        config.keepaliveMisses = keepaliveMisses ?? config.keepaliveMisses
        config.subscribeOnRegister = subscribeOnRegister ?? config.subscribeOnRegister
        config.mediaHost = mediaHost ?? config.mediaHost
        config.rtpPort = rtpPort ?? config.rtpPort
        config.rtpPortRange = rtpPortRange ?? config.rtpPortRange
        config.rtpTransport = rtpTransport ?? config.rtpTransport
        config.transcodeLimit = transcodeLimit ?? config.transcodeLimit
        config.viewerGraceSeconds = viewerGraceSeconds ?? config.viewerGraceSeconds
        return config
    }
}

public enum ConfigError: Error, CustomStringConvertible {
    case unreadable(String, String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason): "config file \(file) cannot be read: \(reason)"
        }
    }
}
