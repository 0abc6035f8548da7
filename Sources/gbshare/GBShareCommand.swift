import App
import ArgumentParser
import Foundation

/// `gbshare`: the server and the administrator's command line.
@main
struct GBShareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gbshare",
        abstract: "GBShare 视频图像共享交换平台 — city video image sharing and exchange platform.",
        subcommands: [ServeCommand.self, MigrateCommand.self, UserCommand.self, DirectoryCommand.self, PlatformCommand.self, AuditCommand.self, SimulateCommand.self]
    )
}

/// Options every command that touches the database shares.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: "Data folder holding gbshare.sqlite (default ./data).")
    var data: String?

    @Option(name: .long, help: "JSON config file (keys as in GBShareConfig).")
    var config: String?

    func load() throws -> GBShareConfig {
        var config = try GBShareConfig.load(file: config)
        if let data { config.dataDirectory = data }
        return config
    }
}

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the platform (HTTP API; SQLite by default, PostgreSQL with DATABASE_URL).")

    @OptionGroup var options: DataOptions

    @Option(name: .long, help: "HTTP port (default 8080).")
    var httpPort: Int?

    @Option(name: .long, help: "HTTP listen address (default 0.0.0.0).")
    var httpHost: String?

    @Option(name: .long, help: "The platform's 20-digit GB/T 28181 ID, type 200.")
    var sipID: String?

    @Option(name: .long, help: "SIP domain (default: the ID's first 10 digits).")
    var sipDomain: String?

    @Option(name: .long, help: "SIP port, UDP and TCP (default 5060).")
    var sipPort: Int?

    @Option(name: .long, help: "Address SIP binds to and puts in its headers (default 0.0.0.0).")
    var sipHost: String?

    @Option(name: .long, help: "Password for devices without their own (or GBSHARE_DEVICE_PASSWORD).")
    var devicePassword: String?

    @Option(name: .long, help: "Keepalive interval in seconds (default 60).")
    var keepaliveInterval: Int?

    @Option(name: .long, help: "Missed keepalives before a device is offline (default 3).")
    var keepaliveMisses: Int?

    @Option(name: .long, help: "Address devices send RTP to, put in the INVITE's SDP (default: --sip-host).")
    var mediaHost: String?

    @Option(name: .long, help: "Shared RTP port, UDP and TCP (default 30000).")
    var rtpPort: Int?

    @Option(name: .long, help: "A port per stream from this range, e.g. 30002-30500, instead of the shared port.")
    var rtpPortRange: String?

    @Option(name: .long, help: "How devices send RTP: udp, tcp-passive or tcp-active (default udp).")
    var rtpTransport: String?

    @Option(name: .long, help: "Concurrent H.265 to H.264 transcodes (default 4).")
    var transcodeLimit: Int?

    @Option(name: .long, help: "Seconds a stream stays up after its last viewer left (default 30).")
    var viewerGrace: Int?

    @Flag(name: .long, help: "Run the HTTP API only, without GB/T 28181 signalling.")
    var noSignalling = false

    func run() async throws {
        var config = try options.load()
        if let httpPort { config.httpPort = httpPort }
        if let httpHost { config.httpHost = httpHost }
        if let sipID { config.sipID = sipID }
        if let sipDomain { config.sipDomain = sipDomain }
        if let sipPort { config.sipPort = sipPort }
        if let sipHost { config.sipHost = sipHost }
        if let devicePassword { config.devicePassword = devicePassword }
        if let keepaliveInterval { config.keepaliveIntervalSeconds = keepaliveInterval }
        if let keepaliveMisses { config.keepaliveMisses = keepaliveMisses }
        if let mediaHost { config.mediaHost = mediaHost }
        if let rtpPort { config.rtpPort = rtpPort }
        if let rtpPortRange { config.rtpPortRange = rtpPortRange }
        if let rtpTransport { config.rtpTransport = rtpTransport }
        if let transcodeLimit { config.transcodeLimit = transcodeLimit }
        if let viewerGrace { config.viewerGraceSeconds = viewerGrace }
        if noSignalling { config.signallingEnabled = false }
        try await GBShareApplication.serve(config: config)
    }
}

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Create or update the database schema.")

    @OptionGroup var options: DataOptions

    func run() async throws {
        try await GBShareApplication.withApplication(config: options.load()) { _ in
            print("database is up to date")
        }
    }
}
