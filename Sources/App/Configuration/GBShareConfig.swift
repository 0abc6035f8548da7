import Foundation
import Sharing

/// Every setting of a GBShare node, with its default, in one place. `ConfigKeys.swift` names each
/// one's config-file key, environment variable and flag; `ConfigLoader` reads them in the order
/// default < config file < environment < flags. Libraries keep their own defaults, but the App passes
/// every value it uses from here, so what runs is what `gbshare config show` prints.
public struct GBShareConfig: Codable, Sendable, Equatable {
    /// Folder for the SQLite file, uploads, recordings, the device-credential key and, by default,
    /// the config file `gbshare.json`.
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
    /// a password set through the API can register; the others are refused with a reason that says
    /// how to set it (`ConfigKey.devicePasswordHint`).
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

    // The web console.
    /// The console's own files; nil: the copy built into App's resource bundle. Pointing it at the
    /// source folder lets you edit the files and reload without rebuilding.
    public var consoleDirectory: String?
    /// Debian installs libjs-* packages here (`dpkg -L libjs-leaflet`); the browser tests point it
    /// at an empty folder to see the notices.
    public var javascriptDirectory = "/usr/share/javascript"
    /// A city's own tile server, e.g. `https://gis.example.gov.cn/tiles/{z}/{x}/{y}.png`. Unset:
    /// markers on a plain background with division centres.
    public var mapTileURL: String?
    public var mapAttribution: String?

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
}
