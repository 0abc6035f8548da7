import Vapor

/// Every route of the node, registered here and nowhere else: the open ones (login, the OpenAPI
/// document, HLS session URLs, the live WebSocket, the console's files), then the areas behind a
/// token, one collection each.
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
    try protected.register(collection: SharingRoutes())
    try protected.register(collection: AuditRoutes())
    CameraRoutes().boot(routes: protected)
    DirectoryFileRoutes(config: config).boot(routes: protected)
    PlatformRoutes(config: config).boot(routes: protected)
    UpperPlatformRoutes(config: config).boot(routes: protected)
    ReferenceRoutes().boot(routes: protected)
    DeviceRoutes().boot(routes: protected)
    LiveRoutes().boot(protected: protected, open: api)
    LiveSocketRoutes(config: config).boot(open: api)
    CameraControlRoutes().boot(routes: protected)
    MediaStatusRoutes().boot(routes: protected)
    RecordingRoutes().boot(routes: protected)
    ConsoleRoutes(settings: .init(config)).boot(app)
}
