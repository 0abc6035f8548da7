import Foundation
import Vapor

/// The web console: its own files from App's resource bundle (`Console/`) at `/` and `/assets/...`,
/// Debian's JavaScript libraries at `/vendor/<library>/...`, and the few settings the browser needs.
/// None of these need a token: they hold no data; every record comes from the authenticated API.
struct ConsoleRoutes {
    /// Where the console's files come from and what the map uses, from the node's settings
    /// (`consoleDirectory`, `javascriptDirectory`, `mapTileURL`, `mapAttribution`).
    struct Settings: Sendable {
        /// The `Console` folder: App's resource bundle unless the settings name another.
        var consoleDirectory: URL?
        var javascriptDirectory: String
        var mapTileURL: String?
        var mapAttribution: String?

        init(_ config: GBShareConfig) {
            consoleDirectory = config.consoleDirectory.map { URL(fileURLWithPath: $0, isDirectory: true) }
                ?? Bundle.module.url(forResource: "Console", withExtension: nil)
            javascriptDirectory = config.javascriptDirectory
            mapTileURL = config.mapTileURL
            mapAttribution = config.mapAttribution
        }

        /// The tile server's origin, which the page's Content-Security-Policy must allow for images.
        var tileOrigin: String? {
            guard let text = mapTileURL?.replacingOccurrences(of: "{s}", with: "a"),
                  let components = URLComponents(string: text.components(separatedBy: "{").first ?? text),
                  let scheme = components.scheme, let host = components.host else { return nil }
            let origin = "\(scheme)://\(host)" + (components.port.map { ":\($0)" } ?? "")
            return mapTileURL?.contains("{s}") == true ? "\(scheme)://*.\(host.split(separator: ".").dropFirst().joined(separator: "."))" : origin
        }
    }

    /// A vendor library the console can use: the URL name and the folder and file under the
    /// JavaScript directory that tell whether its Debian package is installed.
    struct VendorLibrary: Sendable {
        var name: String
        var folder: String
        var probe: String
        var package: String
    }

    static let libraries = [
        VendorLibrary(name: "leaflet", folder: "leaflet", probe: "leaflet.min.js", package: "libjs-leaflet"),
        VendorLibrary(name: "markercluster", folder: "leaflet", probe: "leaflet.markercluster.min.js", package: "libjs-leaflet.markercluster"),
        VendorLibrary(name: "chart.js", folder: "chart.js", probe: "chart.min.js", package: "libjs-chart.js"),
    ]

    let settings: Settings

    func boot(_ app: Application) {
        app.get(use: index)
        app.get("index.html", use: index)
        app.get("assets", "**", use: asset)
        app.get("vendor", "status.json", use: vendorStatus)
        app.get("vendor", ":library", "**", use: vendorFile)
        app.get("console-config.json", use: consoleConfig)
    }

    /// `default-src 'self'`: no inline script or style anywhere in the console. Tiles may come
    /// from the configured GIS server; video arrives as blobs through MediaSource.
    var contentSecurityPolicy: String {
        let tiles = settings.tileOrigin.map { " \($0)" } ?? ""
        return "default-src 'self'; img-src 'self' data: blob:\(tiles); media-src 'self' blob:; connect-src 'self' ws: wss:; "
            + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    }

    func index(req: Request) async throws -> Response {
        guard let folder = settings.consoleDirectory else { throw Abort(.notFound, reason: "console files are missing from this build") }
        let response = try await serve(req, root: folder.path, relative: ["index.html"], cache: "no-cache")
        response.headers.replaceOrAdd(name: "Content-Security-Policy", value: contentSecurityPolicy)
        response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "no-referrer")
        return response
    }

    func asset(req: Request) async throws -> Response {
        guard let folder = settings.consoleDirectory else { throw Abort(.notFound) }
        // Revalidated on every load (ETag): a new build's files show at once, unchanged ones cost a 304.
        return try await serve(req, root: folder.appendingPathComponent("assets").path, relative: req.parameters.getCatchall(), cache: "no-cache")
    }

    func vendorFile(req: Request) async throws -> Response {
        let name = req.parameters.get("library") ?? ""
        guard let library = Self.libraries.first(where: { $0.name == name }) else { throw Abort(.notFound) }
        let root = URL(fileURLWithPath: settings.javascriptDirectory).appendingPathComponent(library.folder).path
        return try await serve(req, root: root, relative: req.parameters.getCatchall(), cache: "public, max-age=86400")
    }

    struct VendorState: Content {
        var installed: Bool
        var package: String
    }

    /// Which Debian libraries are installed, so the console loads only those (a missing file would
    /// otherwise be a 404 in the browser's console) and names the package of a missing one.
    func vendorStatus(req: Request) async throws -> [String: VendorState] {
        var state: [String: VendorState] = [:]
        for library in Self.libraries {
            let path = URL(fileURLWithPath: settings.javascriptDirectory).appendingPathComponent(library.folder)
                .appendingPathComponent(library.probe).path
            state[library.name] = VendorState(installed: FileManager.default.isReadableFile(atPath: path), package: library.package)
        }
        return state
    }

    struct ConsoleConfig: Content {
        var mapTileURL: String?
        var mapAttribution: String?
    }

    func consoleConfig(req: Request) async throws -> ConsoleConfig {
        ConsoleConfig(mapTileURL: settings.mapTileURL, mapAttribution: settings.mapAttribution)
    }

    /// Streams `root/relative...` after refusing anything that could leave `root` (`..`, hidden
    /// files, symlinks pointing outside are resolved first).
    func serve(_ req: Request, root: String, relative: [String], cache: String) async throws -> Response {
        guard !relative.isEmpty, relative.allSatisfy({ !$0.isEmpty && !$0.hasPrefix(".") && !$0.contains("\\") }) else {
            throw Abort(.notFound)
        }
        let base = URL(fileURLWithPath: root).resolvingSymlinksInPath().path
        let path = URL(fileURLWithPath: root).appendingPathComponent(relative.joined(separator: "/")).resolvingSymlinksInPath().path
        var isDirectory: ObjCBool = false
        guard path.hasPrefix(base + "/"), FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw Abort(.notFound)
        }
        let ext = (path as NSString).pathExtension.lowercased()
        let mediaType: HTTPMediaType? = switch ext {
        case "js", "mjs": HTTPMediaType(type: "text", subType: "javascript", parameters: ["charset": "utf-8"])
        case "html": .html
        case "css": .css
        case "json", "map": .json
        default: HTTPMediaType.fileExtension(ext)
        }
        let response = try await req.fileio.asyncStreamFile(at: path, mediaType: mediaType ?? .binary)
        response.headers.replaceOrAdd(name: .cacheControl, value: cache)
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        return response
    }
}
