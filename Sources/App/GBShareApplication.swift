import Directory
import Fluent
import Foundation
import GBCore
import Vapor

/// The administrative commands' application: the database ready and migrated, routes registered,
/// and nothing else: no HTTP server, no sharing jobs, no SIP, no media. The server starts in
/// `GBShareServer`.
public enum GBShareApplication {
    public static func withApplication<T>(config: GBShareConfig, _ body: (Application) async throws -> T) async throws -> T {
        GBShareLogging.bootstrap()
        try DataFolder.prepare(config.dataDirectory)
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

    private struct SettingsStorageKey: StorageKey { typealias Value = GBShareConfig }

    /// The configuration this application was set up with.
    public var gbshareConfig: GBShareConfig {
        get { storage[SettingsStorageKey.self] ?? GBShareConfig() }
        set { storage[SettingsStorageKey.self] = newValue }
    }
}
