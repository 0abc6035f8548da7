import Fluent
import Foundation
import GB28181
import GBCore
import SQLKit
import Sharing
import Vapor

/// `/api/v1/upper-platforms`: the platforms this node registers to (the province), managed by the
/// data bureau and the system administrator (`manage_platforms`), every change audited. The password
/// is write-only: it is sealed and never given back. A change relinks at once.
struct UpperPlatformRoutes {
    let config: GBShareConfig

    func boot(routes: any RoutesBuilder) {
        let uppers = routes.grouped("upper-platforms")
        uppers.get(use: list)
        uppers.post(use: create)
        uppers.patch(":platformID", use: update)
        uppers.delete(":platformID", use: delete)
        uppers.get(":platformID", "events", use: events)
        uppers.get(":platformID", "grants", use: grants)
        uppers.post(":platformID", "grants", use: grant)
    }

    /// A grant to an upper beyond its default share: cameras, permissions ("1,4"), purpose, and the end
    /// (`validUntil`, or `days` from now). Revoked like any grant (`POST /grants/:id/revoke`).
    struct UpperGrantInput: Content {
        var cameras: [String]
        var permissions: PermissionSet
        var purpose: String
        var validUntil: Date?
        var days: Double?
    }

    /// What the API takes: every field on create (password included); any subset on update.
    struct UpperInput: Content {
        var platformID: String?
        var domain: String?
        var name: String?
        var host: String?
        var port: Int?
        var transport: String?
        var username: String?
        var password: String?
        var expires: Int?
        var keepaliveSeconds: Int?
        var charset: String?
        var enabled: Bool?
    }

    struct UpperDTO: Content {
        var platformID: String
        var domain: String
        var name: String
        var host: String
        var port: Int
        var transport: String
        var username: String?
        var expires: Int
        var keepaliveSeconds: Int
        var charset: String
        var enabled: Bool
        var updatedAt: Date
        /// The link now: idle, registering, registered, backoff, refused; with the failure in words.
        var state: String
        var registeredUntil: Date?
        var failure: String?
        var failureCode: String?
        var retryAt: Date?

        init(_ model: UpperPlatformModel, state: UpperLinkState) {
            platformID = model.platformID
            domain = model.domain
            name = model.name
            host = model.host
            port = model.port
            transport = model.transport
            username = model.username
            expires = model.expires
            keepaliveSeconds = model.keepaliveSeconds
            charset = model.charset
            enabled = model.enabled
            updatedAt = model.updatedAt
            self.state = state.name
            switch state {
            case .registered(let until): registeredUntil = until
            case .backoff(let failure, _, let retry): (self.failure, failureCode, retryAt) = (failure.description, failure.code, retry)
            case .refused(let failure): (self.failure, failureCode) = (failure.description, failure.code)
            default: break
            }
        }
    }

    struct EventDTO: Content, Decodable {
        var at: Date
        var state: String
        var detail: String
    }

    func list(req: Request) async throws -> [UpperDTO] {
        try await req.authorize(.managePlatforms)
        let links = req.application.upperLinks
        return try await UpperPlatformModel.query(on: req.db).sort(\.$platformID).all().map { UpperDTO($0, state: links.state(of: $0.platformID)) }
    }

    func create(req: Request) async throws -> Response {
        try await req.authorize(.managePlatforms)
        let input = try req.content.decode(UpperInput.self)
        guard let platformID = input.platformID, let host = input.host, let port = input.port, let password = input.password else {
            throw APIError.badRequest("须填写上级平台编码、地址、端口和密码", "an upper platform needs platformID, host, port and password")
        }
        if try await UpperPlatformModel.query(on: req.db).filter(\.$platformID == platformID).first() != nil {
            throw APIError(.conflict, "upper_exists", zh: "该上级平台已登记", en: "this upper platform is already configured")
        }
        let model = UpperPlatformModel()
        model.platformID = platformID
        model.domain = input.domain ?? String(platformID.prefix(10))
        model.name = input.name ?? platformID
        model.host = host
        model.port = port
        model.transport = input.transport ?? "udp"
        model.username = input.username
        model.expires = input.expires ?? 3600
        model.keepaliveSeconds = input.keepaliveSeconds ?? 60
        model.charset = input.charset ?? OutgoingCharset.gb2312.rawValue
        model.enabled = input.enabled ?? true
        model.updatedAt = Date()
        try Self.validate(model, password: password)
        try await model.save(on: req.db)
        try await credentials(req).set(code: UpperPlatformModel.credentialKey(platformID), password: password)
        try await req.audit(.upperPlatformEdit, target: "upper:\(platformID)", detail: "created \(Self.summary(model))")
        await req.application.upperLinks.link(model, app: req.application)
        return try await UpperDTO(model, state: req.application.upperLinks.state(of: platformID)).encodeResponse(status: .created, for: req)
    }

    func update(req: Request) async throws -> UpperDTO {
        try await req.authorize(.managePlatforms)
        let model = try await Self.find(req)
        let input = try req.content.decode(UpperInput.self)
        if let value = input.domain { model.domain = value }
        if let value = input.name { model.name = value }
        if let value = input.host { model.host = value }
        if let value = input.port { model.port = value }
        if let value = input.transport { model.transport = value }
        if let value = input.username { model.username = value.isEmpty ? nil : value }
        if let value = input.expires { model.expires = value }
        if let value = input.keepaliveSeconds { model.keepaliveSeconds = value }
        if let value = input.charset { model.charset = value }
        if let value = input.enabled { model.enabled = value }
        model.updatedAt = Date()
        try Self.validate(model, password: input.password)
        try await model.save(on: req.db)
        if let password = input.password {
            try await credentials(req).set(code: UpperPlatformModel.credentialKey(model.platformID), password: password)
        }
        try await req.audit(.upperPlatformEdit, target: "upper:\(model.platformID)",
                            detail: "changed \(Self.summary(model))\(input.password == nil ? "" : " password")")
        await req.application.upperLinks.link(model, app: req.application)
        return UpperDTO(model, state: req.application.upperLinks.state(of: model.platformID))
    }

    func delete(req: Request) async throws -> HTTPStatus {
        try await req.authorize(.managePlatforms)
        let model = try await Self.find(req)
        await req.application.upperLinks.unlink(model.platformID, app: req.application)
        try await model.delete(on: req.db)
        try await credentials(req).remove(code: UpperPlatformModel.credentialKey(model.platformID))
        try await req.audit(.upperPlatformEdit, target: "upper:\(model.platformID)", detail: "removed")
        return .noContent
    }

    /// The link's history, newest first (registered, lost, refused, catalog pushes).
    func events(req: Request) async throws -> [EventDTO] {
        try await req.authorize(.managePlatforms)
        let model = try await Self.find(req)
        return try await req.db.sql().select().columns("at", "state", "detail").from("upper_platform_events")
            .where("platform_id", .equal, model.platformID).orderBy("id", .descending).limit(200).all(decoding: EventDTO.self)
    }

    /// The grants naming this upper (the issuing rule is the authorizer's `grant_upper_platform`).
    func grants(req: Request) async throws -> [Grant] {
        let model = try await Self.find(req)
        return try await req.application.sharing.upperPlatformGrants(try req.principal, upperID: model.platformID)
    }

    /// Shares cameras with the upper beyond its default; its catalog subscription hears of them by NOTIFY.
    func grant(req: Request) async throws -> Response {
        let body = try req.content.decode(UpperGrantInput.self)
        let model = try await Self.find(req)
        guard let until = body.validUntil ?? body.days.map({ Date().addingTimeInterval($0 * 86_400) }) else {
            throw APIError.badRequest("请给出授权截止时间（validUntil或days）", "give the grant's end: validUntil or days")
        }
        let grant = try await req.application.sharing.grantToUpperPlatform(try req.principal, upperID: model.platformID, cameras: body.cameras,
                                                                           permissions: body.permissions, validUntil: until,
                                                                           purpose: body.purpose, clientAddress: req.clientAddress)
        return try await grant.encodeResponse(status: .created, for: req)
    }

    private func credentials(_ req: Request) throws -> DeviceCredentials {
        DeviceCredentials(database: req.db, key: try DeviceCredentials.loadKey(dataDirectory: config.dataDirectory))
    }

    static func find(_ req: Request) async throws -> UpperPlatformModel {
        let id = req.parameters.get("platformID") ?? ""
        guard let model = try await UpperPlatformModel.query(on: req.db).filter(\.$platformID == id).first() else { throw APIError.notFound(id) }
        return model
    }

    static func summary(_ model: UpperPlatformModel) -> String {
        "\(model.host):\(model.port)/\(model.transport) expires=\(model.expires) keepalive=\(model.keepaliveSeconds) charset=\(model.charset) enabled=\(model.enabled)"
    }

    /// Bad values are refused in words before anything is stored or linked.
    static func validate(_ model: UpperPlatformModel, password: String?) throws {
        guard model.platformID.count == 20, model.platformID.allSatisfy(\.isASCIIDigit) else {
            throw APIError.badRequest("上级平台编码须为20位数字", "the upper platform's ID must be 20 digits")
        }
        guard model.domain.count >= 10, model.domain.allSatisfy(\.isASCIIDigit) else {
            throw APIError.badRequest("域编码须为10位数字", "the domain must be 10 digits")
        }
        guard !model.host.isEmpty, !model.host.contains(where: { $0.isWhitespace || $0 == "/" }) else {
            throw APIError.badRequest("上级平台地址无效", "the upper platform's host is not valid")
        }
        guard (1...65535).contains(model.port) else { throw APIError.badRequest("端口须在1-65535之间", "the port must be 1-65535") }
        guard ["udp", "tcp"].contains(model.transport.lowercased()) else {
            throw APIError.badRequest("传输方式须为 udp 或 tcp", "the transport must be udp or tcp")
        }
        model.transport = model.transport.lowercased()
        guard (60...86_400).contains(model.expires) else { throw APIError.badRequest("注册有效期须在60-86400秒之间", "expires must be 60-86400 s") }
        guard (5...3600).contains(model.keepaliveSeconds) else { throw APIError.badRequest("心跳间隔须在5-3600秒之间", "the keepalive interval must be 5-3600 s") }
        guard OutgoingCharset(rawValue: model.charset) != nil else {
            throw APIError.badRequest("字符集须为 gb2312、gb18030 或 utf8", "the charset must be gb2312, gb18030 or utf8")
        }
        if let password, password.isEmpty { throw APIError.badRequest("密码不能为空", "the password must not be empty") }
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
