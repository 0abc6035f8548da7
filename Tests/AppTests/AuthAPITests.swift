import App
import Foundation
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
