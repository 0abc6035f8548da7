import Sharing

extension SharingPolicy: JSONConfigValue {}
extension SyslogTarget: JSONConfigValue {}

extension ConfigKey {
    /// Every setting, in the order `config show` and the README list them. Defaults live in
    /// `GBShareConfig`; the names people type live here.
    public static var all: [ConfigKey] {
        [
            .setting("dataDirectory", \.dataDirectory, environment: "GBSHARE_DATA", flag: .option("--data"),
                     "data folder: SQLite file, uploads, keys, gbshare.json"),
            .setting("databaseURL", \.databaseURL, environment: "DATABASE_URL", flag: .option("--database-url"), secret: true,
                     "postgres://user:password@host:5432/db switches to PostgreSQL; unset: SQLite in the data folder"),
            .setting("httpHost", \.httpHost, environment: "GBSHARE_HTTP_HOST", flag: .option("--http-host"), "HTTP listen address"),
            .setting("httpPort", \.httpPort, environment: "GBSHARE_HTTP_PORT", flag: .option("--http-port"), "HTTP port"),
            .setting("tokenLifetimeSeconds", \.tokenLifetimeSeconds, environment: "GBSHARE_TOKEN_LIFETIME_SECONDS",
                     flag: .option("--token-lifetime"), "seconds a login token lives"),
            .setting("lockoutThreshold", \.lockoutThreshold, environment: "GBSHARE_LOCKOUT_THRESHOLD", flag: .option("--lockout-threshold"),
                     "failed logins in a row that lock an account"),
            .setting("lockoutSeconds", \.lockoutSeconds, environment: "GBSHARE_LOCKOUT_SECONDS", flag: .option("--lockout-seconds"),
                     "seconds a locked account stays locked"),
            .setting("bcryptCost", \.bcryptCost, environment: "GBSHARE_BCRYPT_COST", flag: .option("--bcrypt-cost"),
                     "bcrypt cost of new password hashes"),
            .setting("maxUploadMegabytes", \.maxUploadMegabytes, environment: "GBSHARE_MAX_UPLOAD_MEGABYTES", flag: .option("--max-upload-mb"),
                     "largest directory or platform import upload, in MB"),
            .setting("duplicateRadiusMetres", \.duplicateRadiusMetres, environment: "GBSHARE_DUPLICATE_RADIUS_METRES",
                     flag: .option("--duplicate-radius"), "radius of the duplicate-construction check, in metres"),
            .setting("sharing", \.sharing, environment: "GBSHARE_SHARING", flag: nil,
                     "sharing policy (JSON object: approval steps, deadlines, purposes, maxGrantDays...)"),
            .setting("auditAnchorEvery", \.auditAnchorEvery, environment: "GBSHARE_AUDIT_ANCHOR_EVERY", flag: .option("--audit-anchor-every"),
                     "audit entries between two anchors"),
            .setting("auditAnchorSeconds", \.auditAnchorSeconds, environment: "GBSHARE_AUDIT_ANCHOR_SECONDS",
                     flag: .option("--audit-anchor-seconds"), "seconds between anchors when the log moved"),
            .setting("auditSyslog", \.auditSyslog, environment: "GBSHARE_AUDIT_SYSLOG", flag: nil,
                     "forward audit entries to syslog (JSON object: host, port, transport...); unset: off"),
            .setting("signallingEnabled", \.signallingEnabled, environment: "GBSHARE_SIGNALLING_ENABLED",
                     flag: .toggle("--no-signalling", sets: "false"), "run GB/T 28181 SIP and media with the server"),
            .setting("sipID", \.sipID, environment: "GBSHARE_SIP_ID", flag: .option("--sip-id"), "the platform's 20-digit ID, type 200"),
            .setting("sipDomain", \.sipDomain, environment: "GBSHARE_SIP_DOMAIN", flag: .option("--sip-domain"),
                     "SIP domain and digest realm; unset: the ID's first 10 digits"),
            .setting("sipHost", \.sipHost, environment: "GBSHARE_SIP_HOST", flag: .option("--sip-host"), "SIP address (UDP and TCP)"),
            .setting("sipPort", \.sipPort, environment: "GBSHARE_SIP_PORT", flag: .option("--sip-port"), "SIP port (UDP and TCP)"),
            .setting("devicePassword", \.devicePassword, environment: "GBSHARE_DEVICE_PASSWORD", flag: .option("--device-password"),
                     secret: true, "password for devices without their own; unset: those devices are refused"),
            .setting("keepaliveIntervalSeconds", \.keepaliveIntervalSeconds, environment: "GBSHARE_KEEPALIVE_INTERVAL",
                     flag: .option("--keepalive-interval"), "seconds between a device's keepalives"),
            .setting("keepaliveMisses", \.keepaliveMisses, environment: "GBSHARE_KEEPALIVE_MISSES", flag: .option("--keepalive-misses"),
                     "missed keepalives before a device is offline"),
            .setting("subscribeOnRegister", \.subscribeOnRegister, environment: "GBSHARE_SUBSCRIBE_ON_REGISTER",
                     flag: .toggle("--no-subscribe", sets: "false"), "subscribe to catalog and alarm events of devices that come online"),
            .setting("mediaHost", \.mediaHost, environment: "GBSHARE_MEDIA_HOST", flag: .option("--media-host"),
                     "address devices send RTP to (SDP c=); unset: the SIP host"),
            .setting("rtpPort", \.rtpPort, environment: "GBSHARE_RTP_PORT", flag: .option("--rtp-port"), "shared RTP port (UDP and TCP)"),
            .setting("rtpPortRange", \.rtpPortRange, environment: "GBSHARE_RTP_PORT_RANGE", flag: .option("--rtp-port-range"),
                     "a port per stream from this range (30002-30500) instead of the shared port"),
            .setting("rtpTransport", \.rtpTransport, environment: "GBSHARE_RTP_TRANSPORT", flag: .option("--rtp-transport"),
                     "udp, tcp-passive or tcp-active"),
            .setting("transcodeLimit", \.transcodeLimit, environment: "GBSHARE_TRANSCODE_LIMIT", flag: .option("--transcode-limit"),
                     "concurrent H.265 to H.264 transcodes"),
            .setting("viewerGraceSeconds", \.viewerGraceSeconds, environment: "GBSHARE_VIEWER_GRACE", flag: .option("--viewer-grace"),
                     "seconds a stream outlives its last viewer"),
            .setting("consoleDirectory", \.consoleDirectory, environment: "GBSHARE_CONSOLE_DIR", flag: .option("--console-dir"),
                     "the console's files; unset: the copy built in"),
            .setting("javascriptDirectory", \.javascriptDirectory, environment: "GBSHARE_JAVASCRIPT_DIR", flag: .option("--javascript-dir"),
                     "where Debian's libjs-* packages are"),
            .setting("mapTileURL", \.mapTileURL, environment: "GBSHARE_MAP_TILE_URL", flag: .option("--map-tile-url"),
                     "the city's tile server, https://.../{z}/{x}/{y}.png; unset: plain background"),
            .setting("mapAttribution", \.mapAttribution, environment: "GBSHARE_MAP_ATTRIBUTION", flag: .option("--map-attribution"),
                     "attribution shown under the map tiles"),
        ]
    }

    /// The file, variable and flag that choose where the settings come from (they are not settings
    /// themselves: a config file cannot name another).
    public static let configFileFlag = "--config"
    public static let configFileEnvironment = "GBSHARE_CONFIG"
    /// Looked for in the data folder when neither names a file.
    public static let defaultConfigFileName = "gbshare.json"

    /// What a device without a password is told, and what `serve` warns: every way to set one.
    public static let devicePasswordHint =
        "set a device password with --device-password, GBSHARE_DEVICE_PASSWORD or devicePassword in gbshare.json, "
        + "or the device's own with PUT /api/v1/devices/{code}/password"

    public static func named(_ name: String) -> ConfigKey? { all.first { $0.name == name } }
}
