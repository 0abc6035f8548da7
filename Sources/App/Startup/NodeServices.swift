import Foundation
import Vapor

/// The database: connection, migrations and routes (routes need nothing running, only registered).
/// Stopping it is the application's shutdown, after the group has stopped every other part.
struct DatabaseService: NodeService {
    let app: Application
    let config: GBShareConfig
    var name: String { "database" }

    func start() async throws {
        try await configure(app, config: config)
    }

    func stop() async {}
}

/// Sharing's background jobs: expired grants, overdue requests, audit anchors. Only the server runs
/// them; an administrative command (`migrate`, `user add`, `audit verify`) must not sweep grants or
/// write anchors as a side effect.
public struct SharingJobs: NodeService {
    let app: Application
    let config: GBShareConfig
    public var name: String { "sharing jobs" }

    public init(app: Application, config: GBShareConfig) {
        self.app = app
        self.config = config
    }

    public func start() async throws {
        try await app.sharing.start(anchorSeconds: config.auditAnchorSeconds)
    }

    /// Ends the sweeps and writes a last audit anchor.
    public func stop() async {
        await app.sharing.shutdown()
    }
}

/// GB/T 28181 signalling: SIP on UDP and TCP.
struct SignallingService: NodeService {
    let app: Application
    let signalling: Signalling
    var name: String { "SIP" }

    func start() async throws {
        let config = signalling.config
        do {
            try await signalling.start(app)
        } catch {
            throw StartupDiagnosis.bind(error, service: "SIP", host: config.sipHost, port: config.sipPort, key: "sipPort")
        }
        app.signalling = signalling
    }

    func stop() async {
        await signalling.stop()
    }
}

/// Live media: the RTP ingest port and the hubs; INVITEs go out through signalling.
struct MediaService: NodeService {
    let app: Application
    let config: GBShareConfig
    let signalling: Signalling
    var name: String { "media" }

    func start() async throws {
        do {
            app.liveMedia = try await LiveMedia.start(app: app, config: config, signalling: signalling)
        } catch {
            throw StartupDiagnosis.bind(error, service: "RTP (media)", host: config.sipHost, port: config.rtpPort, key: "rtpPort")
        }
    }

    func stop() async {
        await app.liveMedia?.shutdown()
    }
}

/// The links to upper platforms (the province): after signalling (they register over its socket) and
/// media (an upper's INVITE is relayed from the hub). A link that cannot start is logged, not fatal.
struct CascadeService: NodeService {
    let app: Application
    var name: String { "cascade" }

    func start() async throws {
        do {
            try await app.upperLinks.start(app)
        } catch {
            app.logger.error("upper platforms not linked: \(error)")
        }
    }

    /// The links themselves stop with signalling (they unregister over its socket).
    func stop() async { app.upperLinks.stop() }
}

/// The HTTP server: API, console and streams to viewers. Started last, so a request never finds a
/// part missing; stopped first, so none arrives while the others stop.
struct HTTPService: NodeService {
    let app: Application
    let config: GBShareConfig
    var name: String { "HTTP" }

    func start() async throws {
        do {
            try await app.server.start(address: .hostname(config.httpHost, port: config.httpPort))
        } catch {
            throw StartupDiagnosis.bind(error, service: "HTTP", host: config.httpHost, port: config.httpPort, key: "httpPort")
        }
    }

    func stop() async {
        await app.server.shutdown()
    }
}
