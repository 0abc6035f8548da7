import Directory
import Fluent
import Foundation
import GBCore
import Logging
import Vapor

/// Starting points for the `gbshare` commands: a running server, or an application with its
/// database ready and no HTTP server, for the administrative commands.
public enum GBShareApplication {
    private static let logging: Void = {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
            return handler
        }
    }()

    public static func serve(config: GBShareConfig) async throws {
        _ = logging
        let app = try await Application.make(Environment(name: "production", arguments: ["gbshare", "serve"]))
        do {
            try await configure(app, config: config)
            if config.signallingEnabled {
                let signalling = Signalling(config: config)
                app.signalling = signalling
                app.lifecycle.use(signalling)
                app.lifecycle.use(LiveMediaLifecycle(config: config))
            }
            app.logger.info("GBShare listening on http://\(config.httpHost):\(config.httpPort), database \(config.databaseURL == nil ? config.sqlitePath : "PostgreSQL")")
            try await app.execute()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    public static func withApplication<T>(config: GBShareConfig, _ body: (Application) async throws -> T) async throws -> T {
        _ = logging
        let app = try await Application.make(Environment(name: "production", arguments: ["gbshare"]))
        app.logger.logLevel = .warning
        do {
            try await configure(app, config: config)
            let result = try await body(app)
            try await app.asyncShutdown()
            return result
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }
}

extension Application {
    public var authService: AuthService { AuthService(database: db, config: gbshareConfig) }
    public var cameraStore: CameraStore { CameraStore(database: db) }

    private struct ConfigKey: StorageKey { typealias Value = GBShareConfig }

    /// The configuration this application was set up with.
    public var gbshareConfig: GBShareConfig {
        get { storage[ConfigKey.self] ?? GBShareConfig() }
        set { storage[ConfigKey.self] = newValue }
    }
}

extension AuthService.Failure {
    public var localizedMessage: LocalizedText { APIErrorMiddleware.translate(self).message }
}
