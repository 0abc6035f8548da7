import App
import Foundation
import GBCore
import Sharing
import Synchronization
import Testing
import Vapor
import VaporTesting

/// The sharing rules through the HTTP API: the authorisation matrix, bypass attempts, and the
/// whole request → approval → grant → expiry workflow with a real clock.
@Suite struct SharingAPITests {
    enum GrantState: String, CaseIterable, Sendable {
        case none, active, expired, revoked, otherDepartment, outOfDivisionScope
    }

    static let matrixRoles = ["sysadmin", "bureau", "police", "healthadmin", "healthop", "auditor1", "gridmap"]
    static let granted = PermissionSet([.live, .playback, .download])

    /// The rule, written independently of Sharing: what each role gets for a transport camera.
    static func expected(_ user: String, _ attribute: ShareAttribute, _ action: AccessAction, _ state: GrantState) -> String {
        if user == "auditor1" { return "role_may_not" }
        if user == "sysadmin" { return "no_department" }
        switch state {
        case .active: return granted.contains(action.permission!) ? "active_grant" : "permission_not_granted"
        case .expired: return "grant_expired"
        case .revoked: return "grant_revoked"
        case .outOfDivisionScope: return "out_of_division_scope"
        case .none, .otherDepartment: return attribute == .notShared ? "not_shared" : "no_grant"
        }
    }

    @Test(arguments: AppTestSupport.Backend.allCases)
    func authorisationMatrixThroughTheAPI(backend: AppTestSupport.Backend) async throws {
        try await AppTestSupport.withConfiguredApp(backend) { app in
            try await SharingWorld.createUsers(app)
            let admin = try await AppTestSupport.login(app, "admin", AppTestSupport.adminPassword)
            var cameras: [ShareAttribute: [GrantState: String]] = [:]
            var serial = 100
            let now = Date()
            for attribute in ShareAttribute.allCases {
                for state in GrantState.allCases {
                    serial += 1
                    let code = try await SharingWorld.file(app, adminToken: admin, SharingWorld.record(serial: serial, department: "14", share: attribute))
                    cameras[attribute, default: [:]][state] = code
                    for department in ["29", "06", "19", "22"] where state != .none {
                        var grantee = DepartmentRef(code: department, division: "441500")
                        var until = now.addingTimeInterval(86_400)
                        var revoked: Date? = nil
                        switch state {
                        case .expired: until = now.addingTimeInterval(-60)
                        case .revoked: revoked = now.addingTimeInterval(-60)
                        case .otherDepartment: grantee = DepartmentRef(code: "24", division: "441500")
                        case .outOfDivisionScope: grantee = DepartmentRef(code: department, division: "441581")
                        default: break
                        }
                        try await app.sharing.issue(Grant(requestID: nil, grantee: grantee, cameras: [Grant.Camera(code: code, permissions: Self.granted)],
                                                          purpose: "矩阵", validFrom: now.addingTimeInterval(-3600), validUntil: until,
                                                          createdBy: "test", revokedAt: revoked), by: .platform)
                    }
                }
            }
            var tokens: [String: String] = [:]
            for user in Self.matrixRoles { tokens[user] = try await AppTestSupport.login(app, user, SharingWorld.password) }
            for user in Self.matrixRoles {
                for attribute in ShareAttribute.allCases {
                    for state in GrantState.allCases {
                        for action in AccessAction.mediaActions {
                            let (status, reason) = try await SharingWorld.check(app, token: tokens[user]!, camera: cameras[attribute]![state]!, action: action)
                            let want = Self.expected(user, attribute, action, state)
                            #expect(reason == want, "\(user) \(attribute) \(state) \(action)")
                            #expect(status == (want == "active_grant" ? .ok : .forbidden))
                        }
                    }
                }
            }
            // Every answer is on record, refusals as refusals.
            var query = AuditQuery()
            query.action = "access.denied"
            query.limit = 1000
            let denied = try await AuditReader(database: app.db).page(query).entries
            #expect(denied.count == Self.matrixRoles.count * 3 * 6 * 5 - 5 * 3 * 3)
        }
    }

    @Test(arguments: AppTestSupport.Backend.allCases)
    func bypassAttemptsAreRefusedAndAudited(backend: AppTestSupport.Backend) async throws {
        try await AppTestSupport.withConfiguredApp(backend) { app in
            try await SharingWorld.createUsers(app)
            let admin = try await AppTestSupport.login(app, "admin", AppTestSupport.adminPassword)
            let camera = try await SharingWorld.file(app, adminToken: admin, SharingWorld.record(serial: 1, department: "14"))
            let healthop = try await AppTestSupport.login(app, "healthop", SharingWorld.password)
            let healthadmin = try await AppTestSupport.login(app, "healthadmin", SharingWorld.password)
            let eduadmin = try await AppTestSupport.login(app, "eduadmin", SharingWorld.password)
            let auditor = try await AppTestSupport.login(app, "auditor1", SharingWorld.password)

            // Another department's camera code.
            #expect(try await SharingWorld.check(app, token: healthop, camera: camera, action: .live) == (.forbidden, "no_grant"))
            // A guessed grant id.
            try await app.testing().test(.GET, "/api/v1/grants/\(UUID())", headers: SharingWorld.bearer(healthop)) { res in
                #expect(res.status == .forbidden)
            }
            // Approving one's own request, and a department administrator approving for another department.
            var requestID = ""
            try await app.testing().test(.POST, "/api/v1/share-requests", headers: SharingWorld.bearer(healthadmin), beforeRequest: { req in
                try req.content.encode(NewRequest(cameras: [camera], permissions: "1", purpose: "检查", days: 7))
            }, afterResponse: { res in
                #expect(res.status == .created)
                struct View: Decodable { struct Request: Decodable { let id: String }; let request: Request }
                requestID = try res.content.decode(View.self).request.id
            })
            for token in [healthadmin, eduadmin, healthop] {
                try await app.testing().test(.POST, "/api/v1/share-requests/\(requestID)/reviews", headers: SharingWorld.bearer(token),
                                             beforeRequest: { req in try req.content.encode(["decision": "approve"]) },
                                             afterResponse: { res in #expect(res.status == .forbidden) })
            }
            // The auditor reads nothing but the audit log; the administrator does not read the audit log.
            try await app.testing().test(.GET, "/api/v1/cameras", headers: SharingWorld.bearer(auditor)) { res in #expect(res.status == .forbidden) }
            try await app.testing().test(.GET, "/api/v1/audit", headers: SharingWorld.bearer(admin)) { res in #expect(res.status == .forbidden) }
            // A token of a locked user.
            for attempt in 1...3 {
                try await app.testing().test(.POST, "/api/v1/auth/login", beforeRequest: { req in
                    try req.content.encode(["username": "healthop", "password": "wrong-\(attempt)"])
                }, afterResponse: { res in #expect(res.status == .unauthorized) })
            }
            try await app.testing().test(.GET, "/api/v1/auth/me", headers: SharingWorld.bearer(healthop)) { res in #expect(res.status == .unauthorized) }

            let entries = try await SharingWorld.auditEntries(app)
            let denied = entries.filter { $0.draft.result == .denied }
            #expect(denied.contains { $0.draft.actor == "healthop" && $0.draft.action == .accessDenied && $0.draft.camera == camera })
            #expect(denied.contains { $0.draft.actor == "healthop" && $0.draft.target.hasPrefix("grant:") })
            #expect(denied.contains { $0.draft.actor == "healthadmin" && $0.draft.action == .shareApprove })
            #expect(denied.contains { $0.draft.actor == "eduadmin" && $0.draft.action == .shareApprove })
            #expect(denied.contains { $0.draft.actor == "healthop" && $0.draft.action == .shareApprove })
            #expect(denied.contains { $0.draft.actor == "auditor1" && $0.draft.target == "action:read_directory" })
            #expect(denied.contains { $0.draft.actor == "admin" && $0.draft.target == "action:read_audit" })
            #expect(denied.filter { $0.draft.action == .loginFailed && $0.draft.actor == "healthop" }.count == 3)
            #expect(denied.contains { $0.draft.action == .tokenRejected && $0.draft.actor == "healthop" && $0.draft.detail == "account locked" })
        }
    }

    struct NewRequest: Content {
        var cameras: [String]?
        var query: [String: String]?
        var permissions: String
        var purpose: String
        var days: Double
    }

    @Test func expiredTokenIsRefusedAndAudited() async throws {
        var config = try AppTestSupport.config(.sqlite)
        config.tokenLifetimeSeconds = 1
        try await withApp(configure: { app in
            try await configure(app, config: config)
            try await SharingWorld.createUsers(app)
        }) { app in
            let token = try await AppTestSupport.login(app, "healthop", SharingWorld.password)
            try await Task.sleep(nanoseconds: 1_500_000_000)
            try await app.testing().test(.GET, "/api/v1/auth/me", headers: SharingWorld.bearer(token)) { res in #expect(res.status == .unauthorized) }
            let entries = try await SharingWorld.auditEntries(app)
            #expect(entries.contains { $0.draft.action == .tokenRejected && $0.draft.actor == "healthop" && $0.draft.detail == "expired token" })
            #expect(entries.contains { $0.draft.action == .login && $0.draft.actor == "healthop" })
        }
    }

    /// Health asks for the police's class-one cameras; the police and the data bureau approve;
    /// health sees exactly those; the grant runs out by the clock; access stops and the running view is cut.
    @Test(arguments: AppTestSupport.Backend.allCases)
    func wholeWorkflowWithARealClock(backend: AppTestSupport.Backend) async throws {
        try await AppTestSupport.withConfiguredApp(backend) { app in
            try await SharingWorld.createUsers(app)
            let admin = try await AppTestSupport.login(app, "admin", AppTestSupport.adminPassword)
            var classOne: [String] = []
            for serial in 1...3 { classOne.append(try await SharingWorld.file(app, adminToken: admin, SharingWorld.record(serial: serial, department: "06"))) }
            let classTwo = try await SharingWorld.file(app, adminToken: admin, SharingWorld.record(serial: 4, department: "06", pointClass: "2"))
            let healthop = try await AppTestSupport.login(app, "healthop", SharingWorld.password)
            let police = try await AppTestSupport.login(app, "police", SharingWorld.password)
            let bureau = try await AppTestSupport.login(app, "bureau", SharingWorld.password)

            var requestID = ""
            try await app.testing().test(.POST, "/api/v1/share-requests", headers: SharingWorld.bearer(healthop), beforeRequest: { req in
                try req.content.encode(NewRequest(query: ["department": "06", "pointClass": "1"], permissions: "1,2", purpose: "防汛值守", days: 20 / 86_400))
            }, afterResponse: { res in
                #expect(res.status == .created)
                struct View: Decodable { struct Request: Decodable { let id: String; let cameras: [String] }; let request: Request }
                let view = try res.content.decode(View.self)
                requestID = view.request.id
                #expect(Set(view.request.cameras) == Set(classOne))
            })
            // The police see it waiting for them; the data bureau not yet.
            try await app.testing().test(.GET, "/api/v1/share-requests?filter=to_review", headers: SharingWorld.bearer(police)) { res in
                #expect(res.body.string.contains(requestID))
            }
            try await app.testing().test(.GET, "/api/v1/share-requests?filter=to_review", headers: SharingWorld.bearer(bureau)) { res in
                #expect(!res.body.string.contains(requestID))
            }
            for token in [police, bureau] {
                try await app.testing().test(.POST, "/api/v1/share-requests/\(requestID)/reviews", headers: SharingWorld.bearer(token),
                                             beforeRequest: { req in try req.content.encode(["decision": "approve", "comment": "同意"]) },
                                             afterResponse: { res in #expect(res.status == .ok) })
            }
            for code in classOne {
                #expect(try await SharingWorld.check(app, token: healthop, camera: code, action: .live) == (.ok, "active_grant"))
            }
            #expect(try await SharingWorld.check(app, token: healthop, camera: classTwo, action: .live) == (.forbidden, "no_grant"))
            #expect(try await SharingWorld.check(app, token: healthop, camera: classOne[0], action: .ptz) == (.forbidden, "permission_not_granted"))

            // A view running under the grant (media's hook), cut by the expiry sweep.
            let user = try await app.authService.users().first { $0.username == "healthop" }!
            let cut = Mutex<AccessDecision?>(nil)
            _ = try await app.sharing.beginView(user.principal, cameraCode: classOne[0], context: AccessContext(purpose: "巡查", clientAddress: "127.0.0.1"),
                                                onEnd: { decision in cut.withLock { $0 = decision } })
            for _ in 0..<120 where cut.withLock({ $0 }) == nil { try await Task.sleep(nanoseconds: 250_000_000) }
            #expect(cut.withLock { $0 }?.reason == .grantExpired)
            #expect(try await SharingWorld.check(app, token: healthop, camera: classOne[0], action: .live) == (.forbidden, "grant_expired"))
            let actions = try await SharingWorld.auditEntries(app).map(\.draft.action)
            for action: AuditAction in [.shareRequest, .shareApprove, .grantIssued, .accessChecked, .viewStart, .grantExpired, .streamCut] {
                #expect(actions.contains(action), "\(action)")
            }
        }
    }

    @Test func apiKeysForSystemAccounts() async throws {
        try await AppTestSupport.withConfiguredApp { app in
            try await SharingWorld.createUsers(app)
            let admin = try await AppTestSupport.login(app, "admin", AppTestSupport.adminPassword)
            struct Issued: Decodable { let id: String; let key: String }
            var issued: Issued?
            try await app.testing().test(.POST, "/api/v1/users/gridmap/api-keys", headers: SharingWorld.bearer(admin), beforeRequest: { req in
                try req.content.encode(["label": "网格地图"])
            }, afterResponse: { res in
                #expect(res.status == .created)
                issued = try res.content.decode(Issued.self)
            })
            let key = try #require(issued)
            #expect(key.key.hasPrefix("gbk_"))
            try await app.testing().test(.GET, "/api/v1/auth/me", headers: ["X-API-Key": key.key]) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("\"role\":\"system_account\""))
            }
            try await app.testing().test(.POST, "/api/v1/users/healthop/api-keys", headers: SharingWorld.bearer(admin)) { res in
                #expect(res.status == .badRequest)
            }
            try await app.testing().test(.DELETE, "/api/v1/api-keys/\(key.id)", headers: SharingWorld.bearer(admin)) { res in
                #expect(res.status == .noContent)
            }
            try await app.testing().test(.GET, "/api/v1/auth/me", headers: SharingWorld.bearer(key.key)) { res in
                #expect(res.status == .unauthorized)
            }
        }
    }
}
