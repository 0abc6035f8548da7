import Directory
import Fluent
import Foundation
import GB28181
import GBCore
import SQLKit
import Vapor

/// Devices and lower platforms connected over GB/T 28181: online state, channels, catalog refresh,
/// device info/status, refused registrations, discovered channels, device passwords.
struct DeviceRoutes {
    func boot(routes: any RoutesBuilder) {
        let devices = routes.grouped("devices")
        devices.get(use: list)
        devices.get("refused", use: refused)
        devices.get("discovered", use: discovered)
        devices.get(":code", use: get)
        devices.get(":code", "channels", use: channels)
        devices.get(":code", "tree", use: tree)
        devices.get(":code", "events", use: events)
        devices.post(":code", "catalog", use: refreshCatalog)
        devices.get(":code", "catalog", use: catalogProgress)
        devices.get(":code", "info", use: info)
        devices.get(":code", "status", use: status)
        devices.put(":code", "password", use: setPassword)
        devices.put(":code", "charset", use: setCharset)
    }

    struct DeviceDTO: Content {
        var code: String
        var online: Bool
        var transport: String
        var address: String
        var gbVersion: String
        var registeredAt: Date?
        var changedAt: Date
        var channelCount: Int
        /// Seconds since the last REGISTER or keepalive, from the live service (nil when not registered now).
        var silentSeconds: Double?
        var lastKeepaliveAt: Date?
    }

    struct DeviceRow: Decodable {
        let code: String, transport: String, address: String, gb_version: String, online: Bool
        let registered_at: Double?, changed_at: Double, channel_count: Int
    }

    static func dto(_ row: DeviceRow, snapshot: DeviceSnapshot?) -> DeviceDTO {
        let silent = snapshot.map { Double($0.silentFor.components.seconds) + Double($0.silentFor.components.attoseconds) / 1e18 }
        return DeviceDTO(code: row.code, online: snapshot?.online ?? row.online, transport: row.transport, address: row.address,
                         gbVersion: row.gb_version, registeredAt: row.registered_at.map { Date(timeIntervalSince1970: $0) },
                         changedAt: Date(timeIntervalSince1970: row.changed_at), channelCount: row.channel_count,
                         silentSeconds: silent, lastKeepaliveAt: silent.map { Date().addingTimeInterval(-$0) })
    }

    func list(req: Request) async throws -> [DeviceDTO] {
        try await req.authorize(.readDirectory)
        var select = try req.db.sql().select().columns("*").from("devices")
        // Read as text: Vapor decodes a missing Bool query value as false.
        if let online = req.query[String.self, at: "online"].flatMap(Bool.init) { select = select.where("online", .equal, online) }
        let rows = try await select.orderBy("code").limit(req.query[Int.self, at: "limit"] ?? 1000).all(decoding: DeviceRow.self)
        let service = req.application.signalling?.service
        var result: [DeviceDTO] = []
        for row in rows { result.append(Self.dto(row, snapshot: await service?.device(row.code))) }
        return result
    }

    func find(_ req: Request) async throws -> DeviceRow {
        let code = req.parameters.get("code") ?? ""
        guard let row = try await req.db.sql().select().columns("*").from("devices").where("code", .equal, code).first(decoding: DeviceRow.self) else {
            throw APIError.notFound("设备 / device \(code)")
        }
        return row
    }

    func get(req: Request) async throws -> DeviceDTO {
        try await req.authorize(.readDirectory)
        let row = try await find(req)
        return Self.dto(row, snapshot: await req.application.signalling?.service?.device(row.code))
    }

    struct ChannelDTO: Content {
        var code: String
        var name: String
        var parentID: String
        var civilCode: String
        var businessGroup: String
        var status: String
        var filed: Bool
        var reported: [String: String]
    }

    struct ChannelRow: Decodable {
        let device_code: String, channel_code: String, name: String, parent_id: String, civil_code: String
        let business_group: String, status: String, filed: Bool, reported: String
    }

    static func channelDTO(_ row: ChannelRow) -> ChannelDTO {
        ChannelDTO(code: row.channel_code, name: row.name, parentID: row.parent_id, civilCode: row.civil_code,
                   businessGroup: row.business_group, status: row.status, filed: row.filed,
                   reported: (try? JSONDecoder().decode([String: String].self, from: Data(row.reported.utf8))) ?? [:])
    }

    func channels(req: Request) async throws -> [ChannelDTO] {
        try await req.authorize(.readDirectory)
        let device = try await find(req)
        return try await req.db.sql().select().columns("*").from("device_channels").where("device_code", .equal, device.code)
            .orderBy("channel_code").all(decoding: ChannelRow.self).map(Self.channelDTO)
    }

    /// Channels devices report whose codes are not filed: 先注册后接入 findings for the administrators.
    func discovered(req: Request) async throws -> [ChannelDTO] {
        try await req.authorize(.readDirectory)
        return try await req.db.sql().select().columns("*").from("device_channels").where("filed", .equal, false)
            .orderBy("device_code").orderBy("channel_code").limit(req.query[Int.self, at: "limit"] ?? 1000)
            .all(decoding: ChannelRow.self).map(Self.channelDTO)
    }

    final class TreeNode: Content, @unchecked Sendable {
        // Built once per request and only encoded after; never shared across tasks.
        var id: String
        var name: String
        var kind: String
        var children: [TreeNode]
        init(id: String, name: String, kind: String, children: [TreeNode]) {
            self.id = id
            self.name = name
            self.kind = kind
            self.children = children
        }
    }

    struct TreeDTO: Content {
        /// Administrative divisions with devices and channels under their CivilCode.
        var region: [TreeNode]
        /// System → business groups (215) → virtual organisations (216) → channels.
        var business: [TreeNode]
        /// Items whose parent is not in the catalog.
        var orphans: [String]
    }

    /// Both trees of the device's last catalog, rebuilt from what was stored (spec §3.6).
    func tree(req: Request) async throws -> TreeDTO {
        try await req.authorize(.readDirectory)
        let device = try await find(req)
        let (trees, names) = try await CatalogStorage(database: req.db).trees(device: device.code, on: req.db.sql())
        func build(_ tree: CatalogTree, _ id: String, depth: Int) -> TreeNode {
            let children = depth > 32 ? [] : tree.children(of: id).map { build(tree, $0, depth: depth + 1) }
            return TreeNode(id: id, name: names[id]?.name ?? "", kind: names[id]?.kind ?? "", children: children)
        }
        return TreeDTO(region: trees.region.roots.map { build(trees.region, $0, depth: 0) },
                       business: trees.business.roots.map { build(trees.business, $0, depth: 0) },
                       orphans: (trees.region.orphans + trees.business.orphans).map(\.itemID))
    }

    struct EventDTO: Content {
        var kind: String
        var detail: [String: String]
        var at: Date
    }

    func events(req: Request) async throws -> [EventDTO] {
        try await req.authorize(.readDirectory)
        let device = try await find(req)
        struct Row: Decodable { let kind: String, detail: String, at: Double }
        return try await req.db.sql().select().columns("kind", "detail", "at").from("device_events").where("device_code", .equal, device.code)
            .orderBy("at", .descending).limit(req.query[Int.self, at: "limit"] ?? 200).all(decoding: Row.self).map {
                EventDTO(kind: $0.kind, detail: (try? JSONDecoder().decode([String: String].self, from: Data($0.detail.utf8))) ?? [:],
                         at: Date(timeIntervalSince1970: $0.at))
            }
    }

    struct RefusalDTO: Content {
        var code: String
        var source: String
        var transport: String
        var reason: String
        var message: String
        var firstAt: Date
        var lastAt: Date
        var attempts: Int
    }

    /// Attempted access: unfiled codes, wrong passwords, malformed codes.
    func refused(req: Request) async throws -> [RefusalDTO] {
        try await req.authorize(.readDirectory)
        struct Row: Decodable { let code: String, source: String, transport: String, reason: String, first_at: Double, last_at: Double, attempts: Int }
        return try await req.db.sql().select().columns("*").from("refused_registrations").orderBy("last_at", .descending)
            .limit(req.query[Int.self, at: "limit"] ?? 500).all(decoding: Row.self).map { row in
                RefusalDTO(code: row.code, source: row.source, transport: row.transport, reason: row.reason,
                           message: Self.refusalMessage(row.reason).text(for: req.language),
                           firstAt: Date(timeIntervalSince1970: row.first_at), lastAt: Date(timeIntervalSince1970: row.last_at), attempts: row.attempts)
            }
    }

    static func refusalMessage(_ reason: String) -> LocalizedText {
        switch reason {
        case "unfiled": LocalizedText(zh: "未在资源目录登记的设备尝试接入（先注册后接入）", en: "a device not filed in the directory tried to connect")
        case "wrong_password": LocalizedText(zh: "设备密码错误", en: "wrong device password")
        case "invalid_code": LocalizedText(zh: "设备编码不符合国标或类型不允许注册", en: "the code is malformed or its type may not register")
        case "barred": LocalizedText(zh: "设备已拆除或被禁止接入", en: "the device is removed or barred")
        case "no_password": LocalizedText(zh: "平台未设置设备密码，该设备也没有自己的密码：用 --device-password、GBSHARE_DEVICE_PASSWORD 或 gbshare.json 的 devicePassword 设置，或 PUT /api/v1/devices/{code}/password",
                                          en: "no device password: " + ConfigKey.devicePasswordHint)
        default: LocalizedText(zh: "注册被拒绝：\(reason)", en: "registration refused: \(reason)")
        }
    }

    func service(_ req: Request) throws -> GBPlatformService {
        guard let service = req.application.signalling?.service else {
            throw APIError(.serviceUnavailable, "signalling_off", zh: "信令服务未启动", en: "the GB/T 28181 service is not running")
        }
        return service
    }

    struct CatalogDTO: Content {
        var device: String
        var running: Bool
        var received: Int?
        var expected: Int?
        var items: Int?
        var completion: String?
    }

    /// Starts a catalog query and answers at once; progress is read with GET.
    func refreshCatalog(req: Request) async throws -> Response {
        let device = try await find(req)
        try await req.authorize(.manageDevice, camera: try await req.application.sharing.camera(code: device.code))
        let service = try service(req)
        let logger = req.logger
        Task {
            do {
                _ = try await service.refreshCatalog(device.code)
            } catch {
                logger.warning("catalog refresh of \(device.code) failed: \(error)")
            }
        }
        try await req.audit(.platformEdit, target: "device:\(device.code)", detail: "catalog refresh")
        return try await CatalogDTO(device: device.code, running: true).encodeResponse(status: .accepted, for: req)
    }

    func catalogProgress(req: Request) async throws -> CatalogDTO {
        try await req.authorize(.readDirectory)
        let device = try await find(req)
        if let progress = try await service(req).catalogProgress(of: device.code) {
            return CatalogDTO(device: device.code, running: true, received: progress.received, expected: progress.expected)
        }
        struct Row: Decodable { let detail: String }
        let last = try await req.db.sql().select().column("detail").from("device_events").where("device_code", .equal, device.code)
            .where("kind", .equal, "catalog").orderBy("at", .descending).first(decoding: Row.self)
        let detail = last.flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.detail.utf8)) }
        return CatalogDTO(device: device.code, running: false, items: detail?["items"].flatMap(Int.init), completion: detail?["completion"])
    }

    struct InfoDTO: Content {
        var values: [String: String]
    }

    func info(req: Request) async throws -> InfoDTO {
        try await req.authorize(.readDirectory)
        let device = try await find(req)
        let info = try await Self.translate { try await service(req).deviceInfo(device.code) }
        var values: [String: String] = [:]
        values["deviceName"] = info.deviceName
        values["manufacturer"] = info.manufacturer
        values["model"] = info.model
        values["firmware"] = info.firmware
        values["channel"] = info.channel.map(String.init)
        values["result"] = info.result.map { "\($0)" }
        return InfoDTO(values: values)
    }

    func status(req: Request) async throws -> InfoDTO {
        try await req.authorize(.readDirectory)
        let device = try await find(req)
        let status = try await Self.translate { try await service(req).deviceStatus(device.code) }
        var values: [String: String] = [:]
        values["online"] = status.online.map { $0 ? "ONLINE" : "OFFLINE" }
        values["status"] = status.status.map { "\($0)" }
        values["encode"] = status.encode.map { $0 ? "ON" : "OFF" }
        values["record"] = status.record.map { $0 ? "ON" : "OFF" }
        values["deviceTime"] = status.deviceTime.map { "\($0)" }
        return InfoDTO(values: values)
    }

    struct PasswordDTO: Content { var password: String }

    /// Write-only: the password is sealed and never returned.
    /// Whoever sets a device's password can register as the device: its own department's admin or the bureau.
    func setPassword(req: Request) async throws -> HTTPStatus {
        let code = req.parameters.get("code") ?? ""
        guard (try? DeviceCode(parsing: code)) != nil else { throw APIError.badRequest("设备编码应为20位数字", "a device code is 20 digits") }
        try await req.authorize(.manageDevice, camera: try await req.application.sharing.camera(code: code))
        let body = try req.content.decode(PasswordDTO.self)
        guard body.password.count >= 8 else { throw APIError.badRequest("设备密码至少8位", "device passwords need at least 8 characters") }
        let config = req.application.gbshareConfig
        try await DeviceCredentials(database: req.db, key: DeviceCredentials.loadKey(dataDirectory: config.dataDirectory)).set(code: code, password: body.password)
        await req.application.signalling?.access?.invalidate()
        try await req.audit(.platformEdit, target: "device:\(code)", detail: "password set")
        return .noContent
    }

    /// Protocol failures become messages a person can act on.
    struct CharsetRequest: Content {
        /// gb2312, gb18030 or utf-8
        var charset: String
    }

    /// The charset of the MANSCDP bodies we send this device (spec §1.5: some only read GB2312,
    /// some only UTF-8). Kept until the device registers again.
    func setCharset(req: Request) async throws -> HTTPStatus {
        let device = try await find(req)
        try await req.authorize(.manageDevice, camera: try await req.application.sharing.camera(code: device.code))
        let body = try req.content.decode(CharsetRequest.self)
        guard let charset = OutgoingCharset(rawValue: body.charset.lowercased().replacingOccurrences(of: "-", with: "")) else {
            throw APIError.badRequest("字符集应为 gb2312、gb18030 或 utf-8", "charset is gb2312, gb18030 or utf-8")
        }
        try await service(req).setCharset(charset, for: device.code)
        try await req.audit(.platformEdit, target: "device:\(device.code)", detail: "charset=\(body.charset)")
        return .noContent
    }

    static func translate<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as GBPlatformError {
            throw APIError(.badGateway, "device_error", zh: "设备未应答或拒绝：\(error)", en: "the device did not answer or refused: \(error)")
        }
    }
}
