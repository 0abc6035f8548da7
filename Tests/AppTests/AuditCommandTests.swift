import App
import FluentKit
import Foundation
import SQLKit
import Sharing
import Testing
import Vapor
import VaporTesting

/// `gbshare audit verify|export|anchor` as an operator runs them against a node's data folder.
@Suite struct AuditCommandTests {
    @Test func verifyNamesAnEditedRowAndExportWritesCSV() async throws {
        let config = try AppTestSupport.config(.sqlite)
        try await withApp(configure: { app in try await configure(app, config: config) }) { app in
            for index in 1...12 {
                try await app.sharing.audit.append(AuditDraft(actor: "op\(index)", action: .viewStart, camera: "cam\(index)", purpose: "巡查"))
            }
        }
        let intact = try CommandLineTests.run(["audit", "verify", "--data", config.dataDirectory])
        #expect(intact.status == 0, "\(intact.stderr)")
        #expect(intact.stdout.hasPrefix("intact: 12 entries"))
        // The shutdown wrote an anchor; cutting the tail off now shows.
        let anchors = try String(contentsOfFile: config.auditAnchorPath, encoding: .utf8)
        #expect(anchors.hasPrefix("12 "))

        let exported = try CommandLineTests.run(["audit", "export", "--data", config.dataDirectory, "--actor", "op3"])
        #expect(exported.status == 0)
        #expect(exported.stdout.components(separatedBy: "\r\n").filter { $0.contains("media.view_start") }.count == 1)

        try await withApp(configure: { app in try await configure(app, config: config) }) { app in
            let sql = try #require(app.db as? any SQLDatabase)
            try await sql.raw("UPDATE audit_entries SET camera = 'elsewhere' WHERE seq = 5").run()
        }
        let broken = try CommandLineTests.run(["audit", "verify", "--data", config.dataDirectory])
        #expect(broken.status == 2)
        #expect(broken.stdout.hasPrefix("BROKEN at entry 5 (edited)"))

        try await withApp(configure: { app in try await configure(app, config: config) }) { app in
            let sql = try #require(app.db as? any SQLDatabase)
            try await sql.raw("UPDATE audit_entries SET camera = 'cam5' WHERE seq = 5").run()
            try await sql.raw("DELETE FROM audit_entries WHERE seq > 9").run()
        }
        let truncated = try CommandLineTests.run(["audit", "verify", "--data", config.dataDirectory, "--json"])
        #expect(truncated.status == 2)
        #expect(truncated.stdout.contains("\"kind\" : \"truncated\""))
    }
}
