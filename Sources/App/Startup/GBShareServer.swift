import Foundation
import Logging
import ServiceLifecycle
import Vapor

/// The one place the node starts and stops: database and migrations → sharing jobs → SIP → media →
/// HTTP, each started after the one before is up; on SIGTERM or SIGINT the service group stops them
/// in reverse, and `run` returns (exit 0). A part that fails to start stops the ones already started
/// and throws a `StartupError` that says what to do.
public enum GBShareServer {
    /// Well under the 10 s a service manager typically waits before SIGKILL.
    static let shutdownDeadline: Duration = .seconds(8)

    public static func run(config: GBShareConfig) async throws {
        GBShareLogging.bootstrap()
        let logger = Logger(label: "gbshare.server")
        try DataFolder.prepare(config.dataDirectory)
        let app = try await Application.make(Environment(name: "production", arguments: ["gbshare", "serve"]))
        let started: [any NodeService]
        do {
            started = try await start(services(app, config: config), logger: logger)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        if config.signallingEnabled && config.devicePassword == nil {
            logger.warning("no device password: devices without their own are refused registration; \(ConfigKey.devicePasswordHint)")
        }
        logger.info("GBShare listening on http://\(config.httpHost):\(config.httpPort), database \(config.databaseURL == nil ? config.sqlitePath : "PostgreSQL")")
        var group = ServiceGroupConfiguration(
            services: started.map {
                ServiceGroupConfiguration.ServiceConfiguration(service: $0, successTerminationBehavior: .gracefullyShutdownGroup,
                                                               failureTerminationBehavior: .gracefullyShutdownGroup)
            },
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        group.maximumGracefulShutdownDuration = shutdownDeadline
        do {
            try await ServiceGroup(configuration: group).run()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
        logger.info("GBShare stopped")
    }

    /// The parts in start order; SIP and media only when signalling is on.
    static func services(_ app: Application, config: GBShareConfig) -> [any NodeService] {
        var services: [any NodeService] = [DatabaseService(app: app, config: config), SharingJobs(app: app, config: config)]
        if config.signallingEnabled {
            let signalling = Signalling(config: config)
            services += [SignallingService(app: app, signalling: signalling), MediaService(app: app, config: config, signalling: signalling),
                         CascadeService(app: app)]
        }
        services.append(HTTPService(app: app, config: config))
        return services
    }

    /// Starts each part after the one before; if one fails, stops those already started, last first.
    static func start(_ services: [any NodeService], logger: Logger) async throws -> [any NodeService] {
        var started: [any NodeService] = []
        for service in services {
            do {
                try await service.start()
            } catch {
                logger.error("\(service.name) did not start: \(error)")
                for running in started.reversed() { await running.stop() }
                throw error
            }
            logger.info("started \(service.name)")
            started.append(service)
        }
        return started
    }
}
