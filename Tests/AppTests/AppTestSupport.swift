import App
import Foundation
import GBCore
import Testing
import Vapor
import VaporTesting

/// A configured application on a fresh SQLite data folder (or a fresh PostgreSQL database), with an
/// administrator and a department operator already created.
enum AppTestSupport {
    enum Backend: String, CaseIterable, Sendable, CustomStringConvertible {
        case sqlite, postgres
        var description: String { rawValue }
    }

    static let packageRoot = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let sharedData = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data")

    static let adminPassword = "Admin#2026pass"
    static let operatorPassword = "Health#2026pass"

    static func config(_ backend: Backend = .sqlite) throws -> GBShareConfig {
        var config = GBShareConfig()
        config.dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("gbshare-app-\(UUID().uuidString)").path
        // bcrypt's minimum cost keeps the tests fast; production uses 12.
        config.bcryptCost = 4
        config.lockoutThreshold = 3
        if backend == .postgres {
            guard let url = ProcessInfo.processInfo.environment["GBSHARE_TEST_POSTGRES_URL"] else {
                throw TestSetupError("GBSHARE_TEST_POSTGRES_URL is not set: run scripts/test, which starts PostgreSQL on 127.0.0.1")
            }
            config.databaseURL = try freshPostgresDatabase(url)
        }
        return config
    }

    static func freshPostgresDatabase(_ url: String) throws -> String {
        let name = "app_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        let psql = Process()
        psql.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        psql.arguments = [url.replacingOccurrences(of: "?tlsmode=disable", with: ""), "-q", "-c", "CREATE DATABASE \(name)"]
        try psql.run()
        psql.waitUntilExit()
        guard psql.terminationStatus == 0 else { throw TestSetupError("psql could not create a database") }
        return url.replacingOccurrences(of: "/postgres?", with: "/\(name)?")
    }

    static func withConfiguredApp(_ backend: Backend = .sqlite, _ test: (Application) async throws -> Void) async throws {
        let config = try config(backend)
        try await withApp(configure: { app in
            try await configure(app, config: config)
            try await app.authService.createUser(username: "admin", displayName: "管理员", password: adminPassword, role: .systemAdmin)
            try await app.authService.createUser(username: "health", displayName: "卫健局操作员", password: operatorPassword,
                                                 role: .departmentOperator, departmentCode: "19", divisionScope: "441500")
        }, { app in
            // The test stands in for the server here: the sweeps it watches (expired grants) run as
            // `gbshare serve` runs them.
            let jobs = SharingJobs(app: app, config: config)
            try await jobs.start()
            do {
                try await test(app)
            } catch {
                await jobs.stop()
                throw error
            }
            await jobs.stop()
        })
    }

    static func login(_ app: Application, _ username: String, _ password: String) async throws -> String {
        var token = ""
        try await app.testing().test(.POST, "/api/v1/auth/login", beforeRequest: { req in
            try req.content.encode(["username": username, "password": password])
        }, afterResponse: { res in
            #expect(res.status == .ok)
            struct Login: Decodable { let token: String }
            token = try res.content.decode(Login.self).token
        })
        return token
    }

    static func multipart(file: URL, boundary: String = "gbshare-test-boundary") throws -> (HTTPHeaders, ByteBuffer) {
        let data = try Data(contentsOf: file)
        var body = ByteBuffer()
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.lastPathComponent)\"\r\nContent-Type: application/octet-stream\r\n\r\n")
        body.writeBytes(data)
        body.writeString("\r\n--\(boundary)--\r\n")
        var headers = HTTPHeaders()
        headers.add(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        return (headers, body)
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
