@testable import App
import Foundation
import Sharing
import Testing
import Vapor
import VaporTesting

@Suite struct AuthAPITests {
    @Test func everyRouteButLoginNeedsAToken() async throws {
        try await AppTestSupport.withConfiguredApp { app in
            for route in app.routes.all where route.path.first?.description == "api" {
                let path = "/" + route.path.map { component -> String in
                    if case .parameter = component { return "x" }
                    return component.description
                }.joined(separator: "/")
                if path == "/api/v1/auth/login" || path == "/api/v1/openapi.json" { continue }
                // Capability routes (players and WebSockets cannot send the header): an HLS session
                // id nobody holds opens nothing; the live socket authenticates on its first message.
                if path == "/api/v1/hls/x/x" {
                    try await app.testing().test(.GET, path) { res in #expect(res.status == .notFound) }
                    continue
                }
                if path == "/api/v1/live/ws" { continue }
                try await app.testing().test(route.method, path) { res in
                    #expect(res.status == .unauthorized, "\(route.method) \(path) answered \(res.status) without a token")
                    #expect(res.body.string.contains("\"code\":\"unauthenticated\""))
                }
            }
        }
    }

    @Test func loginMeLogout() async throws {
        try await AppTestSupport.withConfiguredApp { app in
            let token = try await AppTestSupport.login(app, "admin", AppTestSupport.adminPassword)
            try await app.testing().test(.GET, "/api/v1/auth/me", headers: ["Authorization": "Bearer \(token)"]) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("\"role\":\"system_admin\""))
                // The console hides what the authorizer refuses from these, not from a role list of its own.
                let me = try res.content.decode(AuthenticatedUser.self)
                #expect(me.abilities?["manage_users"] == true && me.abilities?["read_audit"] == false)
                #expect(me.abilities?.count == Authorizer.abilityActions.count)
            }
            let operatorToken = try await AppTestSupport.login(app, "health", AppTestSupport.operatorPassword)
            try await app.testing().test(.GET, "/api/v1/auth/me", headers: ["Authorization": "Bearer \(operatorToken)"]) { res in
                let me = try res.content.decode(AuthenticatedUser.self)
                #expect(me.abilities?["edit_camera"] == true && me.abilities?["manage_users"] == false)
                #expect(me.abilities?["request_share"] == true && me.abilities?["read_all_requests"] == false)
            }
            try await app.testing().test(.POST, "/api/v1/auth/logout", headers: ["Authorization": "Bearer \(token)"]) { res in
                #expect(res.status == .noContent)
            }
            try await app.testing().test(.GET, "/api/v1/auth/me", headers: ["Authorization": "Bearer \(token)"]) { res in
                #expect(res.status == .unauthorized)
            }
            try await app.testing().test(.GET, "/api/v1/auth/me", headers: ["Authorization": "Bearer forged-token"]) { res in
                #expect(res.status == .unauthorized)
            }
        }
    }

    @Test func repeatedFailuresLockTheAccountAndItsSessions() async throws {
        try await AppTestSupport.withConfiguredApp { app in
            let token = try await AppTestSupport.login(app, "health", AppTestSupport.operatorPassword)
            for attempt in 1...3 {
                try await app.testing().test(.POST, "/api/v1/auth/login", beforeRequest: { req in
                    try req.content.encode(["username": "health", "password": "wrong-\(attempt)"])
                }, afterResponse: { res in
                    #expect(res.status == .unauthorized)
                    #expect(res.body.string.contains(attempt < 3 ? "invalid_credentials" : "account_locked"))
                })
            }
            // Even the right password is refused while locked, and the running session ends.
            try await app.testing().test(.POST, "/api/v1/auth/login", beforeRequest: { req in
                try req.content.encode(["username": "health", "password": AppTestSupport.operatorPassword])
            }, afterResponse: { res in
                #expect(res.status == .unauthorized)
                #expect(res.body.string.contains("account_locked"))
            })
            try await app.testing().test(.GET, "/api/v1/auth/me", headers: ["Authorization": "Bearer \(token)"]) { res in
                #expect(res.status == .unauthorized)
            }
        }
    }

    static func tryLogin(_ app: Application, _ username: String, _ password: String) async throws -> (HTTPStatus, String) {
        var outcome: (HTTPStatus, String) = (.internalServerError, "")
        try await app.testing().test(.POST, "/api/v1/auth/login", beforeRequest: { req in
            try req.content.encode(["username": username, "password": password])
        }, afterResponse: { res in
            outcome = (res.status, res.body.string)
        })
        return outcome
    }

    @Test("attack: twenty guesses at once get no more password checks than the lockout allows; then even the right password is refused")
    func concurrentGuessesHitTheLockout() async throws {
        try await AppTestSupport.withConfiguredApp { app in
            let outcomes = try await withThrowingTaskGroup(of: (HTTPStatus, String).self) { group in
                for attempt in 0..<20 {
                    group.addTask { try await Self.tryLogin(app, "health", "wrong-\(attempt)") }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let checked = outcomes.filter { $0.1.contains("invalid_credentials") }
            #expect(checked.count <= 2, "at most threshold-1 answers say 'wrong password' (the threshold-th locks): \(outcomes.map(\.1))")
            #expect(outcomes.filter { $0.1.contains("account_locked") }.count >= 18)
            #expect(try await Self.tryLogin(app, "health", AppTestSupport.operatorPassword).1.contains("account_locked"))
        }
    }

    @Test("attack: a user name that does not exist locks like a real one, so a lockout tells nothing")
    func unknownNamesLockToo() async throws {
        try await AppTestSupport.withConfiguredApp { app in
            var answers: [String] = []
            for attempt in 1...3 { answers.append(try await Self.tryLogin(app, "nobody-here", "wrong-\(attempt)").1) }
            var real: [String] = []
            for attempt in 1...3 { real.append(try await Self.tryLogin(app, "health", "wrong-\(attempt)").1) }
            let codes = { (bodies: [String]) in bodies.map { $0.contains("account_locked") ? "locked" : $0.contains("invalid_credentials") ? "invalid" : $0 } }
            #expect(codes(answers) == codes(real))
            #expect(codes(answers) == ["invalid", "invalid", "locked"])
        }
    }

    @Test("attack: one address cannot go on trying: 429 after sixty attempts a minute")
    func attemptsPerAddressAreBounded() async throws {
        try await AppTestSupport.withConfiguredApp { app in
            var statuses: [HTTPStatus] = []
            for attempt in 1...61 { statuses.append(try await Self.tryLogin(app, "health", "wrong-\(attempt)").0) }
            #expect(statuses.prefix(60).allSatisfy { $0 == .unauthorized })
            #expect(statuses.last == .tooManyRequests)
        }
    }

    @Test("common passwords are refused even when they meet the length and character rules")
    func commonPasswordsRefused() async throws {
        try await AppTestSupport.withConfiguredApp { app in
            let token = try await AppTestSupport.login(app, "admin", AppTestSupport.adminPassword)
            for password in ["password1", "Admin@123", "1qaz2wsx", "woaini1314"] {
                try await app.testing().test(.POST, "/api/v1/users", headers: ["Authorization": "Bearer \(token)"], beforeRequest: { req in
                    try req.content.encode(["username": "common", "password": password, "role": "auditor"])
                }, afterResponse: { res in
                    #expect(res.status == .badRequest && res.body.string.contains("weak_password"), "\(password) was accepted")
                })
            }
        }
    }

    @Test func passwordsAreBcryptAndPoliciesHold() async throws {
        try await AppTestSupport.withConfiguredApp { app in
            let token = try await AppTestSupport.login(app, "admin", AppTestSupport.adminPassword)
            try await app.testing().test(.POST, "/api/v1/users", headers: ["Authorization": "Bearer \(token)"], beforeRequest: { req in
                try req.content.encode(["username": "weak", "password": "12345678", "role": "auditor"])
            }, afterResponse: { res in
                #expect(res.status == .badRequest)
                #expect(res.body.string.contains("weak_password"))
            })
            try await app.testing().test(.POST, "/api/v1/users", headers: ["Authorization": "Bearer \(token)", "Accept-Language": "en"],
                                         beforeRequest: { req in
                try req.content.encode(["username": "audit1", "password": "Audit#2026x", "role": "auditor"])
            }, afterResponse: { res in
                #expect(res.status == .created)
            })
            let hashes = try await (app.db as! any SQLDatabase).raw("SELECT password_hash FROM users").all().map { try $0.decode(column: "password_hash", as: String.self) }
            #expect(hashes.count == 3)
            #expect(hashes.allSatisfy { $0.hasPrefix("$2b$") || $0.hasPrefix("$2a$") || $0.hasPrefix("$2y$") })
            // A department operator may not manage users.
            let operatorToken = try await AppTestSupport.login(app, "health", AppTestSupport.operatorPassword)
            try await app.testing().test(.GET, "/api/v1/users", headers: ["Authorization": "Bearer \(operatorToken)"]) { res in
                #expect(res.status == .forbidden)
            }
        }
    }

    @Test func openAPIDocumentMatchesTheRoutes() async throws {
        try await AppTestSupport.withConfiguredApp { app in
            // The console's static pages are not API routes.
            let routed = Set(app.routes.all.filter { $0.path.first?.description == "api" }.map { route in
                "\(route.method.rawValue) /" + route.path.map { component -> String in
                    if case .parameter(let name) = component { return "{\(name)}" }
                    return component.description
                }.joined(separator: "/")
            })
            #expect(routed == OpenAPIDocument.routeKeys, "undocumented: \(routed.subtracting(OpenAPIDocument.routeKeys)); stale: \(OpenAPIDocument.routeKeys.subtracting(routed))")
            try await app.testing().test(.GET, "/api/v1/openapi.json") { res in
                #expect(res.status == .ok)
                let object = try JSONSerialization.jsonObject(with: Data(buffer: res.body)) as? [String: Any]
                #expect(object?["openapi"] as? String == "3.1.0")
            }
        }
    }
}

import SQLKit
import Sharing

/// Accounts after creation (issue 11 item 12): unlock, reset, disable, re-role; audited; the last
/// administrator stays.
@Suite struct AccountManagementTests {
    @Test func unlockResetDisableAndReassign() async throws {
        try await AppTestSupport.withConfiguredApp { app in
            let admin: HTTPHeaders = ["Authorization": "Bearer \(try await AppTestSupport.login(app, "admin", AppTestSupport.adminPassword))"]
            for attempt in 1...3 { _ = try await AuthAPITests.tryLogin(app, "health", "wrong-\(attempt)") }
            #expect(try await AuthAPITests.tryLogin(app, "health", AppTestSupport.operatorPassword).1.contains("account_locked"))
            try await app.testing().test(.POST, "/api/v1/users/health/unlock", headers: admin) { res in #expect(res.status == .noContent) }
            #expect(try await AuthAPITests.tryLogin(app, "health", AppTestSupport.operatorPassword).0 == .ok)
            // A reset password works and ends the old sessions.
            let old = try await AppTestSupport.login(app, "health", AppTestSupport.operatorPassword)
            try await app.testing().test(.PUT, "/api/v1/users/health/password", headers: admin,
                                         beforeRequest: { try $0.content.encode(["password": "Reset#2026pass"]) }) { res in #expect(res.status == .noContent) }
            try await app.testing().test(.GET, "/api/v1/auth/me", headers: ["Authorization": "Bearer \(old)"]) { res in #expect(res.status == .unauthorized) }
            let renewed = try await AppTestSupport.login(app, "health", "Reset#2026pass")
            // Moved to another department: the session carrying the old rights ends.
            try await app.testing().test(.PATCH, "/api/v1/users/health", headers: admin,
                                         beforeRequest: { try $0.content.encode(["departmentCode": "06", "divisionScope": "441523"]) }) { res in
                #expect(res.status == .ok && res.body.string.contains("\"departmentCode\":\"06\""))
            }
            try await app.testing().test(.GET, "/api/v1/auth/me", headers: ["Authorization": "Bearer \(renewed)"]) { res in #expect(res.status == .unauthorized) }
            // Disabled: the right password no longer logs in.
            try await app.testing().test(.PATCH, "/api/v1/users/health", headers: admin,
                                         beforeRequest: { try $0.content.encode(["active": false]) }) { res in #expect(res.status == .ok) }
            #expect(try await AuthAPITests.tryLogin(app, "health", "Reset#2026pass").1.contains("account_disabled"))
            // An upper platform's role is no account's: neither given on creation nor by a change.
            try await app.testing().test(.POST, "/api/v1/users", headers: admin, beforeRequest: {
                try $0.content.encode(["username": "province", "password": "Province#2026x", "role": "upper_platform"])
            }) { res in #expect(res.status == .badRequest && res.body.string.contains("role_not_for_accounts"), "\(res.body.string)") }
            try await app.testing().test(.PATCH, "/api/v1/users/health", headers: admin,
                                         beforeRequest: { try $0.content.encode(["role": "upper_platform"]) }) { res in
                #expect(res.status == .badRequest && res.body.string.contains("role_not_for_accounts"), "\(res.body.string)")
            }
            // The only administrator cannot disable or demote itself.
            try await app.testing().test(.PATCH, "/api/v1/users/admin", headers: admin,
                                         beforeRequest: { try $0.content.encode(["role": "auditor"]) }) { res in
                #expect(res.status == .conflict && res.body.string.contains("last_administrator"))
            }
            // An operator may do none of it.
            try await app.testing().test(.PATCH, "/api/v1/users/health", headers: admin,
                                         beforeRequest: { try $0.content.encode(["active": true]) }) { res in #expect(res.status == .ok) }
            let health: HTTPHeaders = ["Authorization": "Bearer \(try await AppTestSupport.login(app, "health", "Reset#2026pass"))"]
            try await app.testing().test(.POST, "/api/v1/users/admin/unlock", headers: health) { res in #expect(res.status == .forbidden) }
            let changes = try await AuditReader(database: app.db).page(AuditQuery()).entries.filter { $0.draft.action == .userChanged }
            #expect(changes.count == 5, "unlock, reset, reassign, disable, enable: \(changes.map(\.draft.detail))")
        }
    }
}

/// Issue 11 item 14: an account bound to its unit's terminals logs in only from them; a refusal is audited.
@Suite struct TerminalBindingTests {
    @Test func loginOnlyFromTheUnitsTerminals() async throws {
        try await AppTestSupport.withConfiguredApp { app in
            let admin: HTTPHeaders = ["Authorization": "Bearer \(try await AppTestSupport.login(app, "admin", AppTestSupport.adminPassword))"]
            try await app.testing().test(.PATCH, "/api/v1/users/health", headers: admin,
                                         beforeRequest: { try $0.content.encode(["allowedNetworks": "10.12.0.0/16, 2001:db8::/32"]) }) { res in
                let body = res.body.string.replacingOccurrences(of: "\\/", with: "/")  // JSON escapes the slash
                #expect(res.status == .ok && body.contains("10.12.0.0/16,2001:db8::/32"), "\(body)")
            }
            // The in-memory test client has no address of its own: not a registered terminal.
            let (status, body) = try await AuthAPITests.tryLogin(app, "health", AppTestSupport.operatorPassword)
            #expect(status == .forbidden && body.contains("not_from_terminal"))
            // A wrong password says nothing of the binding.
            #expect(try await AuthAPITests.tryLogin(app, "health", "wrong-1").1.contains("invalid_credentials"))
            try await app.testing().test(.PATCH, "/api/v1/users/health", headers: admin,
                                         beforeRequest: { try $0.content.encode(["allowedNetworks": "10.12.0.0/33"]) }) { res in
                #expect(res.status == .badRequest && res.body.string.contains("invalid_networks"))
            }
            try await app.testing().test(.PATCH, "/api/v1/users/health", headers: admin,
                                         beforeRequest: { try $0.content.encode(["allowedNetworks": ""]) }) { res in #expect(res.status == .ok) }
            #expect(try await AuthAPITests.tryLogin(app, "health", AppTestSupport.operatorPassword).0 == .ok)
            let refusals = try await AuditReader(database: app.db).page(AuditQuery()).entries
                .filter { $0.draft.action == .loginFailed && $0.draft.detail.contains("terminals") }
            #expect(refusals.count == 1)
        }
    }

    @Test func rangesContainTheirAddresses() throws {
        let office = try #require(NetworkRange("10.12.0.0/16"))
        #expect(office.contains("10.12.200.7") && !office.contains("10.13.0.1") && !office.contains(""))
        #expect(office.contains("::ffff:10.12.0.9"), "an IPv4 client on an IPv6 socket")
        let v6 = try #require(NetworkRange("2001:db8::/32"))
        #expect(v6.contains("2001:db8:1::5") && !v6.contains("2001:db9::1"))
        #expect(NetworkRange("10.12.0.0/33") == nil && NetworkRange("10.12.0") == nil)
        #expect(NetworkRange("192.168.1.7")?.description == "192.168.1.7")
    }
}
