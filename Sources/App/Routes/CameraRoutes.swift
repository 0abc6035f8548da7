import Directory
import Fluent
import Foundation
import GBCore
import Sharing
import Vapor

/// Cameras of the resource directory: search, read, file, edit, change status, history.
struct CameraRoutes {
    func boot(routes: any RoutesBuilder) {
        let cameras = routes.grouped("cameras")
        cameras.get(use: search)
        cameras.post(use: create)
        cameras.get(":code", use: get)
        cameras.patch(":code", use: update)
        cameras.post(":code", "status", use: changeStatus)
        cameras.get(":code", "history", use: history)
    }

    func search(req: Request) async throws -> CameraPageDTO {
        try await req.authorize(.readDirectory)
        let page = try await CameraStore(database: req.db).search(CameraQuery(request: req))
        return CameraPageDTO(items: page.items.map { CameraDTO($0, language: req.language) }, nextCursor: page.nextCursor, total: page.total)
    }

    /// `{code}` is a device code, or `id-<n>` for one of several records filed under one code.
    static func find(_ req: Request) async throws -> StoredCamera {
        let key = req.parameters.get("code") ?? ""
        let store = CameraStore(database: req.db)
        let camera = if key.hasPrefix("id-"), let id = Int(key.dropFirst(3)) {
            try await store.camera(id: id)
        } else {
            try await store.camera(code: key)
        }
        guard let camera else { throw APIError.notFound(key) }
        return camera
    }

    func get(req: Request) async throws -> CameraDTO {
        try await req.authorize(.readDirectory)
        let camera = try await Self.find(req)
        let mayEdit = req.application.sharing.authorize(try req.principal, .editCamera, camera: CameraFacts(camera)).allowed
        return CameraDTO(camera, language: req.language, mayEdit: mayEdit)
    }

    func create(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let record = try req.content.decode(CameraRecord.self)
        try await req.authorize(.editCamera, camera: CameraFacts(record: record))
        let stored = try await CameraStore(database: req.db).create(record, context: ChangeContext(actor: user.username, source: "api"))
        try await req.audit(.directoryEdit, camera: stored.record.code, target: "camera:id-\(stored.id)", detail: "created")
        return try await CameraDTO(stored, language: req.language).encodeResponse(status: .created, for: req)
    }

    /// A partial update: the fields in the body change (an empty string clears one), others stay.
    func update(req: Request) async throws -> CameraDTO {
        let user = try req.requireUser()
        let current = try await Self.find(req)
        try await req.authorize(.editCamera, camera: CameraFacts(record: current.record))
        let body = try req.content.decode([String: String].self)
        var values: [CameraField: String] = [:]
        for (key, value) in body {
            guard let field = CameraField(rawValue: key) else {
                throw APIError.badRequest("未知字段\(key)", "unknown field \(key)")
            }
            values[field] = value
        }
        // The 20-digit code never changes once filed (001 guideline 6.1.2): re-coding a record onto another
        // department's code made it answer for that camera. File a new record instead.
        if let code = values[.code], code != current.record.code {
            throw APIError(.conflict, "code_immutable", zh: "设备编码登记后不可修改；如编码有误，请新登记一条并将本条标记为拆除",
                           en: "a filed code never changes; file a new record and mark this one removed")
        }
        // Online or not is what the platform observes, not what someone types.
        if let status = values[.networkStatus], status != current.record[.networkStatus] {
            throw APIError(.conflict, "network_status_platform", zh: "联网状态由平台根据设备注册情况维护，不能手工修改",
                           en: "the network status is kept by the platform from the device's registration; it cannot be edited")
        }
        var changed = current.record
        for (field, value) in values { changed[field] = value }
        try await req.authorize(.editCamera, camera: CameraFacts(record: changed))
        let stored = try await CameraStore(database: req.db).update(id: current.id, values: values,
                                                                    context: ChangeContext(actor: user.username, source: "api"))
        try await req.audit(.directoryEdit, camera: stored.record.code, target: "camera:id-\(stored.id)",
                            detail: "updated " + values.keys.map(\.rawValue).sorted().joined(separator: ","))
        return CameraDTO(stored, language: req.language)
    }

    struct StatusChange: Content {
        var status: String
    }

    func changeStatus(req: Request) async throws -> CameraDTO {
        let user = try req.requireUser()
        let current = try await Self.find(req)
        try await req.authorize(.editCamera, camera: CameraFacts(record: current.record))
        let body = try req.content.decode(StatusChange.self)
        guard let status = DeviceStatus(code: body.status) else {
            throw APIError.badRequest("设备状态应为1在用、2维修或3拆除", "status must be 1 in use, 2 under repair or 3 removed")
        }
        let stored = try await CameraStore(database: req.db).changeStatus(id: current.id, to: status,
                                                                          context: ChangeContext(actor: user.username, source: "api"))
        try await req.audit(.directoryEdit, camera: stored.record.code, target: "camera:id-\(stored.id)", detail: "status \(status.rawValue)")
        return CameraDTO(stored, language: req.language)
    }

    func history(req: Request) async throws -> [HistoryEntry] {
        try await req.authorize(.readDirectory)
        return try await CameraStore(database: req.db).history(id: Self.find(req).id)
    }
}

extension CameraRecord: Content {}
extension HistoryEntry: Content {}
