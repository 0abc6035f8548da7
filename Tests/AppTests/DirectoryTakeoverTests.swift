import App
import Directory
import Foundation
import Testing
import Vapor
import VaporTesting

/// Attacks on the directory that once worked (issue 11, items 1 and 2): a department taking another's
/// camera through an import or by re-coding its own record, and reading or confirming another's upload.
@Suite struct DirectoryTakeoverTests {
    static let policeCode = "44152374001320598952"

    /// A CSV with the Appendix 5 headers, one row per record.
    static func csv(_ rows: [[String: String]]) throws -> URL {
        let fields = Array(Set(rows.flatMap(\.keys))).compactMap(CameraField.init(rawValue:)).sorted { $0.rawValue < $1.rawValue }
        var text = fields.map { CSVTableWriter.quote($0.header.zh) }.joined(separator: ",") + "\n"
        for row in rows {
            text += fields.map { CSVTableWriter.quote(row[$0.rawValue] ?? "") }.joined(separator: ",") + "\n"
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("takeover-\(UUID().uuidString).csv")
        try Data(text.utf8).write(to: url)
        return url
    }

    struct ImportDTO: Decodable {
        struct Summary: Decodable { let inserted: Int; let updated: Int }
        struct Refusal: Decodable { let row: Int; let code: String; let reason: String }
        let id: String; let summary: Summary; let refusals: [Refusal]?
    }

    @Test("attack: an operator's import cannot move another department's camera into its own; its own rows land; the upload is its own")
    func importTakeover() async throws {
        try await AppTestSupport.withConfiguredApp { app in
            let admin: HTTPHeaders = ["Authorization": "Bearer \(try await AppTestSupport.login(app, "admin", AppTestSupport.adminPassword))"]
            var police = DirectoryAPITests.camera
            police["code"] = Self.policeCode
            police["department"] = "06"
            try await app.testing().test(.POST, "/api/v1/cameras", headers: admin, beforeRequest: { try $0.content.encode(police) }) { res in
                #expect(res.status == .created)
            }
            let health = "Bearer \(try await AppTestSupport.login(app, "health", AppTestSupport.operatorPassword))"
            // Row 1: the police camera, now "health's", shared to all; row 2: a health camera of its own.
            var stolen = police
            stolen["department"] = "19"
            stolen["shareAttribute"] = "1"
            let file = try Self.csv([stolen, DirectoryAPITests.camera])
            defer { try? FileManager.default.removeItem(at: file) }
            var headers: HTTPHeaders = ["Authorization": health]
            let (multipartHeaders, body) = try AppTestSupport.multipart(file: file)
            headers.add(contentsOf: multipartHeaders)
            var id = ""
            try await app.testing().test(.POST, "/api/v1/directory/imports", headers: headers, body: body) { res in
                #expect(res.status == .created)
                id = try res.content.decode(ImportDTO.self).id
            }
            // Another user cannot read or confirm the upload (it is not theirs: not found).
            try await app.testing().test(.GET, "/api/v1/directory/imports/\(id)", headers: admin) { res in
                #expect(res.status == .notFound)
            }
            try await app.testing().test(.POST, "/api/v1/directory/imports/\(id)/confirm", headers: admin) { res in
                #expect(res.status == .notFound)
            }
            try await app.testing().test(.POST, "/api/v1/directory/imports/\(id)/confirm", headers: ["Authorization": health]) { res in
                #expect(res.status == .ok)
                let applied = try res.content.decode(ImportDTO.self)
                #expect(applied.summary.inserted == 1 && applied.summary.updated == 0)
                #expect(applied.refusals?.map(\.code) == [Self.policeCode])
                #expect(applied.refusals?.first?.reason == "other_department")
            }
            try await app.testing().test(.GET, "/api/v1/cameras/\(Self.policeCode)", headers: admin) { res in
                struct Camera: Decodable { let record: [String: String] }
                let camera = try res.content.decode(Camera.self)
                #expect(camera.record["department"] == "06" && camera.record["shareAttribute"] == "0", "the police camera is unchanged")
            }
            // The refusal is in the audit log.
            try await app.authService.createUser(username: "auditor", displayName: "审计员", password: AppTestSupport.adminPassword, role: .auditor)
            let auditor: HTTPHeaders = ["Authorization": "Bearer \(try await AppTestSupport.login(app, "auditor", AppTestSupport.adminPassword))"]
            try await app.testing().test(.GET, "/api/v1/audit?result=denied&limit=50", headers: auditor) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains(Self.policeCode))
            }
        }
    }

    @Test("attack: a filed code never changes and the network status is the platform's")
    func recodingRefused() async throws {
        try await AppTestSupport.withConfiguredApp { app in
            let health: HTTPHeaders = ["Authorization": "Bearer \(try await AppTestSupport.login(app, "health", AppTestSupport.operatorPassword))"]
            try await app.testing().test(.POST, "/api/v1/cameras", headers: health,
                                         beforeRequest: { try $0.content.encode(DirectoryAPITests.camera) }) { res in
                #expect(res.status == .created)
            }
            let own = DirectoryAPITests.camera["code"]!
            try await app.testing().test(.PATCH, "/api/v1/cameras/\(own)", headers: health,
                                         beforeRequest: { try $0.content.encode(["code": Self.policeCode]) }) { res in
                #expect(res.status == .conflict && res.body.string.contains("code_immutable"))
            }
            try await app.testing().test(.PATCH, "/api/v1/cameras/\(own)", headers: health,
                                         beforeRequest: { try $0.content.encode(["networkStatus": "2"]) }) { res in
                #expect(res.status == .conflict && res.body.string.contains("network_status_platform"))
            }
            try await app.testing().test(.GET, "/api/v1/cameras/\(own)", headers: health) { res in
                #expect(res.status == .ok)
            }
        }
    }
}
