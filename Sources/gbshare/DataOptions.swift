import App
import ArgumentParser
import Foundation

/// The settings flags, the same on every command that opens the data (so a flag meant for `serve`
/// never makes `user count` fail). Each is one of `ConfigKey.all`; the loader applies them over the
/// defaults, the config file and the environment. `gbshare config show` prints the result.
struct DataOptions: ParsableArguments {
    @Option(name: .customLong("config"), help: "JSON config file (default: <data folder>/gbshare.json if it exists; or GBSHARE_CONFIG).")
    var configFile: String?
    @Option(help: "Data folder holding gbshare.sqlite (default ./data; or GBSHARE_DATA).") var data: String?
    @Option(help: "postgres://user:password@host:5432/db (or DATABASE_URL); unset: SQLite in the data folder.") var databaseURL: String?
    @Option(help: "HTTP listen address (default 0.0.0.0).") var httpHost: String?
    @Option(help: "HTTP port (default 8080).") var httpPort: String?
    @Option(help: "Seconds a login token lives (default 28800).") var tokenLifetime: String?
    @Option(help: "Failed logins in a row that lock an account (default 5).") var lockoutThreshold: String?
    @Option(help: "Seconds an account stays locked (default 900).") var lockoutSeconds: String?
    @Option(help: "bcrypt cost of new password hashes (default 12).") var bcryptCost: String?
    @Option(name: .customLong("max-upload-mb"), help: "Largest import upload in MB (default 200).") var maxUploadMegabytes: String?
    @Option(help: "Radius of the duplicate-construction check in metres (default 30).") var duplicateRadius: String?
    @Option(help: "Audit entries between two anchors (default 1000).") var auditAnchorEvery: String?
    @Option(help: "Seconds between audit anchors when the log moved (default 60).") var auditAnchorSeconds: String?
    @Flag(help: "Run the HTTP API only, without GB/T 28181 signalling and media.") var noSignalling = false
    @Option(help: "The platform's 20-digit GB/T 28181 ID, type 200.") var sipID: String?
    @Option(help: "SIP domain (default: the ID's first 10 digits).") var sipDomain: String?
    @Option(help: "Address SIP binds to and puts in its headers (default 0.0.0.0).") var sipHost: String?
    @Option(help: "SIP port, UDP and TCP (default 5060).") var sipPort: String?
    @Option(help: "Password for devices without their own (or GBSHARE_DEVICE_PASSWORD); no default.") var devicePassword: String?
    @Option(help: "Keepalive interval in seconds (default 60).") var keepaliveInterval: String?
    @Option(help: "Missed keepalives before a device is offline (default 3).") var keepaliveMisses: String?
    @Flag(help: "Do not subscribe to the catalog and alarms of devices that come online.") var noSubscribe = false
    @Option(help: "Address devices send RTP to, put in the INVITE's SDP (default: --sip-host).") var mediaHost: String?
    @Option(help: "Shared RTP port, UDP and TCP (default 30000).") var rtpPort: String?
    @Option(help: "A port per stream from this range, e.g. 30002-30500, instead of the shared port.") var rtpPortRange: String?
    @Option(help: "How devices send RTP: udp, tcp-passive or tcp-active (default udp).") var rtpTransport: String?
    @Option(help: "Concurrent H.265 to H.264 transcodes (default 4).") var transcodeLimit: String?
    @Option(help: "Seconds a stream stays up after its last viewer left (default 30).") var viewerGrace: String?
    @Option(help: "The console's files (default: built in).") var consoleDir: String?
    @Option(help: "Debian's JavaScript libraries (default /usr/share/javascript).") var javascriptDir: String?
    @Option(help: "The city's map tile server, https://.../{z}/{x}/{y}.png.") var mapTileURL: String?
    @Option(help: "Attribution shown under the map tiles.") var mapAttribution: String?

    /// The flags given, by the names `ConfigKey.all` uses.
    var given: [String: String] {
        let options: [(String, String?)] = [
            ("--config", configFile), ("--data", data), ("--database-url", databaseURL), ("--http-host", httpHost),
            ("--http-port", httpPort), ("--token-lifetime", tokenLifetime), ("--lockout-threshold", lockoutThreshold),
            ("--lockout-seconds", lockoutSeconds), ("--bcrypt-cost", bcryptCost), ("--max-upload-mb", maxUploadMegabytes),
            ("--duplicate-radius", duplicateRadius), ("--audit-anchor-every", auditAnchorEvery), ("--audit-anchor-seconds", auditAnchorSeconds),
            ("--sip-id", sipID), ("--sip-domain", sipDomain), ("--sip-host", sipHost), ("--sip-port", sipPort),
            ("--device-password", devicePassword), ("--keepalive-interval", keepaliveInterval), ("--keepalive-misses", keepaliveMisses),
            ("--media-host", mediaHost), ("--rtp-port", rtpPort), ("--rtp-port-range", rtpPortRange), ("--rtp-transport", rtpTransport),
            ("--transcode-limit", transcodeLimit), ("--viewer-grace", viewerGrace), ("--console-dir", consoleDir),
            ("--javascript-dir", javascriptDir), ("--map-tile-url", mapTileURL), ("--map-attribution", mapAttribution),
            ("--no-signalling", noSignalling ? "" : nil), ("--no-subscribe", noSubscribe ? "" : nil),
        ]
        return Dictionary(uniqueKeysWithValues: options.compactMap { name, value in value.map { (name, $0) } })
    }

    func loadWithSources() throws -> ConfigLoader.Loaded {
        try ConfigLoader(flags: given).load()
    }

    func load() throws -> GBShareConfig {
        try loadWithSources().config
    }
}
