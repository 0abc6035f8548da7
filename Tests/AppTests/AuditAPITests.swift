import App
import FluentKit
import Foundation
import SQLKit
import Sharing
import Testing
import Vapor
import VaporTesting

/// The audit log through the API: what gets recorded, the auditor's query and CSV, verification
/// that names a row edited in the database.
@Suite struct AuditAPITests {
    @Test(arguments: AppTestSupport.Backend.allCases)
    func auditorQueriesExportsAndVerifies(backend: AppTestSupport.Backend) async throws {
        try await AppTestSupport.withConfiguredApp(backend) { app in
            try await SharingWorld.createUsers(app)
            let admin = try await AppTestSupport.login(app, "admin", AppTestSupport.adminPassword)
            let code = try await SharingWorld.file(app, adminToken: admin, SharingWorld.record(serial: 7, department: "19"))
            try await app.testing().test(.PATCH, "/api/v1/cameras/\(code)", headers: SharingWorld.bearer(admin), beforeRequest: { req in
                try req.content.encode(["name": "改名"])
            }, afterResponse: { res in #expect(res.status == .ok) })
            try await app.testing().test(.POST, "/api/v1/auth/login", beforeRequest: { req in
                try req.content.encode(["username": "healthop", "password": "not-it-1"])
            }, afterResponse: { res in #expect(res.status == .unauthorized) })
            let auditor = try await AppTestSupport.login(app, "auditor1", SharingWorld.password)

            struct Page: Decodable {
                struct Entry: Decodable { struct Draft: Decodable { let actor: String; let action: String; let camera: String; let result: String }; let seq: Int; let draft: Draft }
                let entries: [Entry]
            }
            try await app.testing().test(.GET, "/api/v1/audit?camera=\(code)", headers: SharingWorld.bearer(auditor)) { res in
                #expect(res.status == .ok)
                let page = try res.content.decode(Page.self)
                #expect(page.entries.map(\.draft.action) == ["directory.edit", "directory.edit"])
            }
            try await app.testing().test(.GET, "/api/v1/audit?action=auth.&result=denied", headers: SharingWorld.bearer(auditor)) { res in
                let page = try res.content.decode(Page.self)
                #expect(page.entries.count == 1 && page.entries[0].draft.actor == "healthop" && page.entries[0].draft.action == "auth.login_failed")
            }
            try await app.testing().test(.GET, "/api/v1/audit/export?actor=admin", headers: SharingWorld.bearer(auditor)) { res in
                #expect(res.status == .ok)
                #expect(res.headers.contentType?.description.hasPrefix("text/csv") == true)
                let text = res.body.string
                #expect(text.hasPrefix("\u{FEFF}序号/seq,"))
                #expect(text.components(separatedBy: "\r\n").filter { $0.contains("directory.edit") }.count == 2)
            }
            try await app.testing().test(.GET, "/api/v1/audit/verify", headers: SharingWorld.bearer(auditor)) { res in
                struct Result: Decodable { let checked: Int; let firstBreak: AuditBreak? }
                let result = try res.content.decode(Result.self)
                #expect(result.firstBreak == nil && result.checked > 5)
            }
            // Someone edits a row in the database: verification names it.
            let sql = try #require(app.db as? any SQLDatabase)
            try await sql.raw("UPDATE audit_entries SET actor = 'nobody' WHERE seq = 3").run()
            try await app.testing().test(.GET, "/api/v1/audit/verify", headers: SharingWorld.bearer(auditor)) { res in
                struct Result: Decodable { let firstBreak: AuditBreak? }
                let broken = try #require(try res.content.decode(Result.self).firstBreak)
                #expect(broken.kind == .edited && broken.seq == 3)
            }
        }
    }
}
