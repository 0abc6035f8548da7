import Directory
import Foundation
import GBCore
import Sharing
import Vapor

/// Share requests, reviews, grants, and the permission check media clients ask before playing
/// (按需共享、授权使用). Thin: decode, call `SharingService`, encode.
struct SharingRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let requests = routes.grouped("share-requests")
        requests.post(use: submit)
        requests.get(use: list)
        requests.get(":id", use: get)
        requests.post(":id", "reviews", use: review)
        requests.post(":id", "withdraw", use: withdraw)
        let grants = routes.grouped("grants")
        grants.get(use: listGrants)
        grants.get(":id", use: getGrant)
        grants.post(":id", "revoke", use: revoke)
        routes.post("access", "authorize", use: authorize)
    }

    /// `{"cameras": [...]}` or `{"query": {"divisionPrefix": "441502", "pointClass": "1"}}`, with
    /// permissions ("1,2"), purpose, and the period (`validUntil`, or `days` from now).
    struct NewRequest: Content {
        var cameras: [String]?
        var query: SelectionQuery?
        var permissions: PermissionSet
        var purpose: String
        var validFrom: Date?
        var validUntil: Date?
        var days: Double?
    }

    struct ReviewBody: Content {
        var decision: ReviewDecision
        var cameras: [String]?
        var permissions: PermissionSet?
        var comment: String?
    }

    struct RevokeBody: Content {
        var reason: String?
    }

    struct AuthorizeBody: Content {
        var camera: String
        var action: AccessAction
        var purpose: String?
        var destination: String?
    }

    struct AuthorizeResult: Content {
        var allowed: Bool
        var reason: String
        var message: String
        var zh: String
        var en: String
        var grantId: UUID?
        var auditEntry: Int64
        var watermark: Watermark
    }

    func submit(req: Request) async throws -> Response {
        let body = try req.content.decode(NewRequest.self)
        let from = body.validFrom ?? Date()
        guard let until = body.validUntil ?? body.days.map({ from.addingTimeInterval($0 * 86_400) }) else {
            throw APIError.badRequest("请给出授权截止时间（validUntil或days）", "give the period's end: validUntil or days")
        }
        let draft = ShareRequestDraft(selection: CameraSelection(codes: body.cameras, query: body.query), permissions: body.permissions,
                                      purpose: body.purpose, validFrom: from, validUntil: until)
        let principal = try req.principal
        let view = try await req.application.sharing.submit(principal, draft, clientAddress: req.clientAddress)
        return try await view.encodeResponse(status: .created, for: req)
    }

    func list(req: Request) async throws -> [ShareRequestView] {
        let filter = SharingService.RequestFilter(rawValue: req.query[String.self, at: "filter"] ?? "mine") ?? .mine
        let status = req.query[String.self, at: "status"].flatMap(ShareRequest.Status.init(rawValue:))
        let principal = try req.principal
        return try await req.application.sharing.requests(principal, filter: filter, status: status)
    }

    func get(req: Request) async throws -> ShareRequestView {
        let id = try Self.id(req)
        let principal = try req.principal
        return try await req.application.sharing.request(principal, id: id)
    }

    func review(req: Request) async throws -> ShareRequestView {
        let id = try Self.id(req)
        let body = try req.content.decode(ReviewBody.self)
        let principal = try req.principal
        return try await req.application.sharing.review(principal, requestID: id, decision: body.decision, cameras: body.cameras,
                                                 permissions: body.permissions, comment: body.comment ?? "", clientAddress: req.clientAddress)
    }

    func withdraw(req: Request) async throws -> ShareRequestView {
        let id = try Self.id(req)
        let principal = try req.principal
        return try await req.application.sharing.withdraw(principal, requestID: id, clientAddress: req.clientAddress)
    }

    /// `?owned=true`: grants on my department's cameras; otherwise grants my department holds.
    func listGrants(req: Request) async throws -> [Grant] {
        let principal = try req.principal
        let owned = req.query[Bool.self, at: "owned"] ?? false
        let active = req.query[Bool.self, at: "active"] ?? false
        return try await req.application.sharing.grants(principal, owned: owned, activeOnly: active)
    }

    func getGrant(req: Request) async throws -> Grant {
        let principal = try req.principal
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else {
            try await req.audit(.accessDenied, target: "grant:\(req.parameters.get("id") ?? "")", result: .denied, detail: "malformed grant id")
            throw APIError.notFound("grant")
        }
        return try await req.application.sharing.grant(principal, id: id)
    }

    func revoke(req: Request) async throws -> Grant {
        let principal = try req.principal
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw APIError.notFound("grant") }
        let reason = (try? req.content.decode(RevokeBody.self))?.reason ?? ""
        return try await req.application.sharing.revoke(principal, grantID: id, reason: reason, clientAddress: req.clientAddress)
    }

    /// The check a player or a department application makes before it asks media for a stream,
    /// a recording or a PTZ command: 200 with the grant and the overlay, or 403 with the reason.
    /// Both answers are on record.
    func authorize(req: Request) async throws -> AuthorizeResult {
        let body = try req.content.decode(AuthorizeBody.self)
        let user = try req.requireUser()
        let sharing = req.application.sharing
        let context = AccessContext(purpose: body.purpose ?? "", destination: body.destination ?? "", clientAddress: req.clientAddress)
        guard let camera = try await sharing.camera(code: body.camera) else {
            try await req.audit(.accessDenied, camera: body.camera, target: "action:\(body.action.rawValue)", result: .denied, detail: "unknown camera")
            throw APIError.notFound(body.camera)
        }
        let decision = sharing.authorize(user.principal, body.action, camera: camera, context: context)
        let entry = try await req.audit(decision.allowed ? .accessChecked : .accessDenied, camera: camera.code, target: "action:\(body.action.rawValue)",
                                        grantID: decision.grantID, purpose: context.purpose, result: decision.allowed ? .ok : .denied,
                                        detail: decision.reason.rawValue + (context.destination.isEmpty ? "" : " destination=\(context.destination)"))
        guard decision.allowed else { throw APIError(.forbidden, decision.reason.rawValue, decision.message) }
        let language = req.language
        return AuthorizeResult(allowed: true, reason: decision.reason.rawValue, message: decision.message.text(for: language),
                               zh: decision.message.zh, en: decision.message.en, grantId: decision.grantID, auditEntry: entry.seq,
                               watermark: Watermark(principal: user.principal, displayName: user.displayName, time: Date()))
    }

    static func id(_ req: Request) throws -> UUID {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw APIError.notFound("request") }
        return id
    }
}

extension ShareRequestView: Content {}
extension Grant: Content {}
