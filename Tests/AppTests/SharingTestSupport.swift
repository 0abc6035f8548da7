import App
import Foundation
import GBCore
import Sharing
import Testing
import Vapor
import VaporTesting

/// People, cameras and grants for the sharing API tests.
enum SharingWorld {
    static let password = "Share#2026pass"

    /// One user per role: (username, role, department, division).
    static let users: [(String, Role, String, String)] = [
        ("sysadmin", .systemAdmin, "", ""),
        ("bureau", .dataBureauReviewer, "29", "441500"),
        ("police", .policeReviewer, "06", "441500"),
        ("healthadmin", .departmentAdmin, "19", "441500"),
        ("healthop", .departmentOperator, "19", "441500"),
        ("auditor1", .auditor, "22", "441500"),
        ("gridmap", .systemAccount, "19", "441500"),
        ("transportadmin", .departmentAdmin, "14", "441500"),
        ("eduadmin", .departmentAdmin, "03", "441500"),
    ]

    static func createUsers(_ app: Application) async throws {
        for (name, role, department, division) in users {
            try await app.authService.createUser(username: name, displayName: name, password: password, role: role,
                                                 departmentCode: department, divisionScope: division)
        }
    }

    /// A valid camera record as JSON for POST /cameras (no error findings, so it is shareable).
    static func record(serial: Int, department: String, division: String = "441523", share: ShareAttribute = .conditional,
                       permissions: String = "1,2", pointClass: String = "1") -> [String: String] {
        let centre = DivisionTable.standard.division(code: division)?.centre
        func coordinate(_ value: Double?, _ fallback: String) -> String {
            guard let value else { return fallback }
            var text = String(format: "%.6f", value)
            if text.hasSuffix("0") { text.removeLast(); text += "1" }
            return text
        }
        return [
            "code": division + "0958132" + "0" + String(format: "%06d", serial), "name": "测试摄像机\(serial)", "division": division,
            "builder": "汕尾市政务服务数据管理局", "manager": "汕尾市政务服务数据管理局", "managerPhone": "0660-3454710", "contractor": "中国移动",
            "maintainer": "中国电信", "pointClass": pointClass, "platformCode": "44152300582000000001", "department": department,
            "cameraType": "2", "networkStatus": "1", "address": "广东省汕尾市测试路\(serial)号", "positionTypes": "A0101,B0101",
            "coordinateSystem": "WGS84", "longitude": coordinate(centre?.longitude, "115.668755"), "latitude": coordinate(centre?.latitude, "23.274754"),
            "ipv4": "10.16.211.145", "mac": "3f:72:1f:cb:19:71", "placement": "1", "bearing": "9", "poleNumber": division + "092182",
            "accessNetwork": "2", "retentionDays": "90", "shareAttribute": share.rawValue, "defaultPermissions": permissions,
            "manufacturer": "9", "codec": "2", "deviceStatus": "1",
        ]
    }

    /// Files a camera as the administrator; returns its code.
    @discardableResult
    static func file(_ app: Application, adminToken: String, _ record: [String: String]) async throws -> String {
        try await app.testing().test(.POST, "/api/v1/cameras", headers: ["Authorization": "Bearer \(adminToken)"], beforeRequest: { req in
            try req.content.encode(record)
        }, afterResponse: { res in
            #expect(res.status == .created)
            #expect(res.body.string.contains("\"shareable\":true"), "\(res.body.string.prefix(600))")
        })
        return record["code"] ?? ""
    }

    static func bearer(_ token: String) -> HTTPHeaders { ["Authorization": "Bearer \(token)"] }

    /// POST /access/authorize; returns (status, reason code).
    static func check(_ app: Application, token: String, camera: String, action: AccessAction, purpose: String = "巡查") async throws -> (HTTPStatus, String) {
        var result: (HTTPStatus, String) = (.internalServerError, "")
        try await app.testing().test(.POST, "/api/v1/access/authorize", headers: bearer(token), beforeRequest: { req in
            try req.content.encode(["camera": camera, "action": action.rawValue, "purpose": purpose])
        }, afterResponse: { res in
            struct Allowed: Decodable { let reason: String }
            struct Refused: Decodable { struct Detail: Decodable { let code: String }; let error: Detail }
            if res.status == .ok {
                result = (res.status, try res.content.decode(Allowed.self).reason)
            } else {
                result = (res.status, (try? res.content.decode(Refused.self).error.code) ?? res.body.string)
            }
        })
        return result
    }

    static func auditEntries(_ app: Application) async throws -> [AuditEntry] {
        var query = AuditQuery()
        query.limit = 1000
        return try await AuditReader(database: app.db).page(query).entries
    }
}
