import Directory
import Fluent
import Foundation
import Vapor

/// Sets up a GBShare application: database, migrations, error handling, authentication and every
/// route. Starts nothing in the background: `GBShareServer` starts the services, the administrative
/// commands and the tests use the application as it is.
public func configure(_ app: Application, config: GBShareConfig) async throws {
    app.gbshareConfig = config
    app.upperLinks = UpperLinks()
    PrivateFiles.restrictProcess()
    try PrivateFiles.secure(dataDirectory: config.dataDirectory)
    app.loginThrottles = LoginThrottles(lockoutSeconds: config.lockoutSeconds)
    do {
        try DatabaseSetup.configure(app, config: config)
        try await DatabaseSetup.migrate(app)
    } catch {
        throw StartupDiagnosis.database(error, url: config.databaseURL)
    }
    app.http.server.configuration.hostname = config.httpHost
    app.http.server.configuration.port = config.httpPort
    app.middleware = Middlewares()
    app.middleware.use(APIErrorMiddleware())
    try routes(app, config: config)
}
