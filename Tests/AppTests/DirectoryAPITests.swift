import App
import Foundation
import Testing
import Vapor
import VaporTesting

@Suite struct DirectoryAPITests {
    static let camera: [String: String] = [
        "code": "44152374091320598951", "name": "汕尾市陆河县二马路医院门诊楼", "division": "441523", "builder": "汕尾市卫生健康局",
        "manager": "汕尾市卫生健康局", "managerPhone": "0660-3520528", "contractor": "海康威视", "maintainer": "金鹏", "pointClass": "2",
        "platformCode": "44152300092000000001", "department": "19", "cameraType": "3", "networkStatus": "1",
        "address": "广东省汕尾市陆河县二马路239号医院门诊楼", "positionTypes": "A0101,B0101", "coordinateSystem": "WGS84",
        "longitude": "115.693482", "latitude": "23.276096", "ipv4": "10.93.76.64", "mac": "5c:7c:29:99:fd:af", "placement": "2",
        "bearing": "8", "poleNumber": "441523744718", "accessNetwork": "2", "retentionDays": "60", "shareAttribute": "0",
        "defaultPermissions": "1,2", "manufacturer": "4", "codec": "2", "deviceStatus": "1",
    ]

    @Test(arguments: AppTestSupport.Backend.allCases)
    func fileEditAndHistory(backend: AppTestSupport.Backend) async throws {
        try await AppTestSupport.withConfiguredApp(backend) { app in
            let token = try await AppTestSupport.login(app, "health", AppTestSupport.operatorPassword)
            let auth: HTTPHeaders = ["Authorization": "Bearer \(token)"]
            try await app.testing().test(.POST, "/api/v1/cameras", headers: auth, beforeRequest: { try $0.content.encode(Self.camera) }) { res in
                #expect(res.status == .created)
                #expect(res.body.string.contains("\"errorCount\":0"))
            }
            // The same code again is a conflict with a message a clerk can act on.
            try await app.testing().test(.POST, "/api/v1/cameras", headers: auth, beforeRequest: { try $0.content.encode(Self.camera) }) { res in
                #expect(res.status == .conflict)
                #expect(res.body.string.contains("code_exists"))
            }
            try await app.testing().test(.PATCH, "/api/v1/cameras/44152374091320598951", headers: auth,
                                         beforeRequest: { try $0.content.encode(["longitude": "115.69348", "name": "二马路医院门诊楼"]) }) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("coord_precision"))
            }
            try await app.testing().test(.POST, "/api/v1/cameras/44152374091320598951/status", headers: auth,
                                         beforeRequest: { try $0.content.encode(["status": "3"]) }) { res in
                #expect(res.status == .ok)
            }
            try await app.testing().test(.POST, "/api/v1/cameras/44152374091320598951/status", headers: auth,
                                         beforeRequest: { try $0.content.encode(["status": "1"]) }) { res in
                #expect(res.status == .conflict)
            }
            try await app.testing().test(.GET, "/api/v1/cameras/44152374091320598951/history", headers: auth) { res in
                #expect(res.status == .ok)
                struct Entry: Decodable { let action: String; let actor: String }
                let entries = try res.content.decode([Entry].self)
                #expect(entries.map(\.action) == ["created", "updated", "status_changed"])
                #expect(entries.allSatisfy { $0.actor == "health" })
            }
            // A health operator may not file a police camera.
            var police = Self.camera
            police["code"] = "44152374001320598952"
            police["department"] = "06"
            try await app.testing().test(.POST, "/api/v1/cameras", headers: auth, beforeRequest: { try $0.content.encode(police) }) { res in
                #expect(res.status == .forbidden)
            }
            try await app.testing().test(.GET, "/api/v1/cameras/44152374001320598952", headers: auth) { res in
                #expect(res.status == .notFound)
            }
        }
    }

    @Test(arguments: AppTestSupport.Backend.allCases)
    func uploadCheckConfirmAndQuery(backend: AppTestSupport.Backend) async throws {
        try await AppTestSupport.withConfiguredApp(backend) { app in
            let token = try await AppTestSupport.login(app, "admin", AppTestSupport.adminPassword)
            var headers: HTTPHeaders = ["Authorization": "Bearer \(token)"]
            let (multipartHeaders, body) = try AppTestSupport.multipart(file: AppTestSupport.sharedData.appendingPathComponent("directory-sample.xlsx"))
            headers.add(contentsOf: multipartHeaders)
            struct ImportDTO: Decodable {
                struct Summary: Decodable { let rows: Int; let rowsWithErrors: Int; let inserted: Int }
                let id: String; let status: String; let summary: Summary
            }
            var id = ""
            try await app.testing().test(.POST, "/api/v1/directory/imports", headers: headers, body: body) { res in
                #expect(res.status == .created)
                let dto = try res.content.decode(ImportDTO.self)
                #expect(dto.summary.rows == 2018)
                #expect(dto.status == "checked")
                id = dto.id
            }
            let auth: HTTPHeaders = ["Authorization": "Bearer \(token)"]
            // Nothing lands before confirmation.
            try await app.testing().test(.GET, "/api/v1/cameras?total=true", headers: auth) { res in
                #expect(res.body.string.contains("\"total\":0"))
            }
            try await app.testing().test(.GET, "/api/v1/directory/imports/\(id)/findings?severity=error&limit=5000", headers: auth) { res in
                struct Finding: Decodable { let row: Int; let rule: String }
                let findings = try res.content.decode([Finding].self)
                #expect(Set(findings.map(\.rule)).contains("coord_swapped"))
                #expect(findings.contains { $0.row == 14 && $0.rule == "coord_outside_division" })
            }
            try await app.testing().test(.POST, "/api/v1/directory/imports/\(id)/confirm", headers: auth) { res in
                #expect(res.status == .ok)
                let applied = try res.content.decode(ImportDTO.self)
                #expect(applied.summary.inserted == 2018)
            }
            try await app.testing().test(.POST, "/api/v1/directory/imports/\(id)/confirm", headers: auth) { res in
                #expect(res.status == .conflict)
            }
            try await app.testing().test(.GET, "/api/v1/cameras?division=441523&pointClass=1&sort=-name&limit=5&total=true", headers: auth) { res in
                #expect(res.status == .ok)
                struct Page: Decodable { struct Item: Decodable { let record: [String: String] }; let items: [Item]; let total: Int?; let nextCursor: String? }
                let page = try res.content.decode(Page.self)
                #expect(page.items.count == 5)
                #expect(page.items.allSatisfy { $0.record["division"] == "441523" && $0.record["pointClass"] == "1" })
                #expect((page.total ?? 0) > 5 && page.nextCursor != nil)
            }
            // Without hasErrors every record is listed, with and without errors.
            try await app.testing().test(.GET, "/api/v1/cameras?total=true&limit=1", headers: auth) { res in
                #expect(res.body.string.contains("\"total\":2018"))
            }
            try await app.testing().test(.GET, "/api/v1/cameras?total=true&limit=1&hasErrors=true", headers: auth) { res in
                #expect(res.body.string.contains("\"total\":164"))
            }
            try await app.testing().test(.GET, "/api/v1/cameras?bbox=1,2,3", headers: auth) { res in
                #expect(res.status == .badRequest)
            }
            try await app.testing().test(.GET, "/api/v1/directory/statistics", headers: auth) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("\"byDepartment\""))
            }
            try await app.testing().test(.GET, "/api/v1/directory/report", headers: auth) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("complianceRate"))
            }
            try await app.testing().test(.GET, "/api/v1/directory/duplicates?radius=30", headers: auth) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("44152353001310823192"))
            }
            try await app.testing().test(.GET, "/api/v1/directory/export?format=csv&department=06", headers: auth) { res in
                #expect(res.status == .ok)
                let text = res.body.string
                #expect(text.hasPrefix("\u{FEFF}设备编码,设备名称"))
                #expect(text.split(separator: "\r\n").count > 100)
            }
        }
    }

    @Test func errorsAreJSONInTheRequestLanguage() async throws {
        try await AppTestSupport.withConfiguredApp { app in
            let token = try await AppTestSupport.login(app, "admin", AppTestSupport.adminPassword)
            try await app.testing().test(.GET, "/api/v1/cameras/00000000000000000000", headers: ["Authorization": "Bearer \(token)"]) { res in
                #expect(res.status == .notFound)
                #expect(res.body.string.contains("找不到"))
            }
            try await app.testing().test(.GET, "/api/v1/cameras/00000000000000000000?lang=en", headers: ["Authorization": "Bearer \(token)"]) { res in
                #expect(res.body.string.contains("\"message\":\"00000000000000000000 was not found\""))
            }
        }
    }
}
