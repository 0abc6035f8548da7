import Directory
import Fluent
import Foundation
import Vapor

/// Sets up a GBShare application: database, migrations, error handling, authentication and every
/// route. Used by `gbshare serve`, by the other commands (without the HTTP server) and by tests.
public func configure(_ app: Application, config: GBShareConfig) async throws {
    app.gbshareConfig = config
    PrivateFiles.restrictProcess()
    try PrivateFiles.secure(dataDirectory: config.dataDirectory)
    app.loginThrottles = LoginThrottles(lockoutSeconds: config.lockoutSeconds)
    try DatabaseSetup.configure(app, config: config)
    try await DatabaseSetup.migrate(app)
    app.http.server.configuration.hostname = config.httpHost
    app.http.server.configuration.port = config.httpPort
    app.middleware = Middlewares()
    app.middleware.use(APIErrorMiddleware())
    try routes(app, config: config)
}

func routes(_ app: Application, config: GBShareConfig) throws {
    let api = app.grouped("api", "v1")
    let auth = AuthRoutes(config: config)
    try api.register(collection: auth)
    api.get("openapi.json") { _ in
        Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(data: OpenAPIDocument.json()))
    }
    // Everything below needs a live token: the authenticator attaches the user, the guard refuses
    // a request without one with 401 before any route runs.
    let protected = api.grouped(BearerUserAuthenticator(config: config), AuthenticatedUser.guardMiddleware())
    auth.bootProtected(routes: protected)
    CameraRoutes().boot(routes: protected)
    DirectoryFileRoutes(config: config).boot(routes: protected)
    PlatformRoutes(config: config).boot(routes: protected)
    ReferenceRoutes().boot(routes: protected)
    DeviceRoutes().boot(routes: protected)
    LiveRoutes().boot(protected: protected, open: api)
    LiveSocketRoutes(config: config).boot(open: api)
    CameraControlRoutes().boot(routes: protected)
    MediaStatusRoutes().boot(routes: protected)
    RecordingRoutes().boot(routes: protected)
    ConsoleRoutes(settings: .fromEnvironment()).boot(app)
}
