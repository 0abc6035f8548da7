import Foundation
import GB28181
import Media
import Sharing
import Vapor

/// PTZ, presets and the record query of a filed camera, sent to the device that serves it. Every
/// command is decided and audited by Sharing (`recordPTZ`, `authorizeRecordQuery`) before any SIP.
struct CameraControlRoutes {
    func boot(routes: any RoutesBuilder) {
        let camera = routes.grouped("cameras", ":code")
        camera.post("ptz", use: ptz)
        camera.get("presets", use: presets)
        camera.post("presets", ":number", "call", use: callPreset)
        camera.get("records", use: records)
    }

    struct PTZRequest: Content {
        /// left, right, up, down, upLeft, upRight, downLeft, downRight, zoomIn, zoomOut, stop
        var action: String
        /// 1-255 (pan/tilt); zoom uses its 0-15 scale.
        var speed: Int?
    }

    static func command(_ body: PTZRequest) throws -> PTZCommand {
        let speed = UInt8(clamping: max(1, body.speed ?? 128))
        let zoomSpeed = UInt8(clamping: max(1, (body.speed ?? 128) / 16))
        func move(_ pan: PTZMove.Pan?, _ tilt: PTZMove.Tilt?) -> PTZCommand {
            .move(PTZMove(pan: pan, tilt: tilt, panSpeed: pan == nil ? 0 : speed, tiltSpeed: tilt == nil ? 0 : speed))
        }
        switch body.action {
        case "stop": return .stop
        case "left": return move(.left, nil)
        case "right": return move(.right, nil)
        case "up": return move(nil, .up)
        case "down": return move(nil, .down)
        case "upLeft": return move(.left, .up)
        case "upRight": return move(.right, .up)
        case "downLeft": return move(.left, .down)
        case "downRight": return move(.right, .down)
        case "zoomIn": return .move(PTZMove(zoom: .zoomIn, zoomSpeed: zoomSpeed))
        case "zoomOut": return .move(PTZMove(zoom: .zoomOut, zoomSpeed: zoomSpeed))
        default:
            throw APIError.badRequest("未知的云台动作：\(body.action)", "unknown PTZ action: \(body.action)")
        }
    }

    /// The device that serves the camera, or the failure in words.
    static func route(_ req: Request, camera: String) async throws -> (GBPlatformService, ChannelRoute) {
        guard let service = req.application.signalling?.service else {
            throw APIError(.serviceUnavailable, "signalling_off", zh: "本节点未运行 GB/T 28181 信令", en: "GB/T 28181 signalling is not running on this node")
        }
        do {
            return (service, try await ChannelRoute.find(camera: camera, service: service, database: req.db))
        } catch let failure as PlayFailure {
            throw failure.apiError
        }
    }

    func ptz(req: Request) async throws -> HTTPStatus {
        let code = req.parameters.get("code") ?? ""
        let body = try req.content.decode(PTZRequest.self)
        let command = try Self.command(body)
        _ = try await req.application.sharing.recordPTZ(try req.principal, cameraCode: code, command: "\(body.action) speed=\(body.speed ?? 128)",
                                                        context: AccessContext(clientAddress: req.clientAddress))
        let (service, route) = try await Self.route(req, camera: code)
        try await DeviceRoutes.translate { try await service.ptz(command, deviceID: route.deviceID, channelID: route.channelID) }
        return .noContent
    }

    struct PresetDTO: Content {
        var number: Int
        var name: String?
    }

    func presets(req: Request) async throws -> [PresetDTO] {
        let code = req.parameters.get("code") ?? ""
        try await authorizePTZ(req, code)
        let (service, route) = try await Self.route(req, camera: code)
        let response = try await DeviceRoutes.translate { try await service.presets(route.deviceID, channelID: route.channelID) }
        return response.presets.map { PresetDTO(number: $0.id, name: $0.name) }
    }

    func callPreset(req: Request) async throws -> HTTPStatus {
        let code = req.parameters.get("code") ?? ""
        guard let number = req.parameters.get("number").flatMap(UInt8.init), number > 0 else {
            throw APIError.badRequest("预置位编号应为 1-255", "a preset number is 1-255")
        }
        _ = try await req.application.sharing.recordPTZ(try req.principal, cameraCode: code, command: "callPreset \(number)",
                                                        context: AccessContext(clientAddress: req.clientAddress))
        let (service, route) = try await Self.route(req, camera: code)
        try await DeviceRoutes.translate { try await service.callPreset(number, deviceID: route.deviceID, channelID: route.channelID) }
        return .noContent
    }

    /// Listing presets is part of controlling the camera: it needs the PTZ permission.
    private func authorizePTZ(_ req: Request, _ code: String) async throws {
        guard let facts = try await CameraFactsLoader(database: req.db).facts(code: code) else { throw APIError.notFound(code) }
        try await req.authorize(.ptz, camera: facts)
    }

    struct RecordDTO: Content {
        var start: String?
        var end: String?
        var name: String?
        var type: String?
    }

    struct RecordsDTO: Content {
        var records: [RecordDTO]
        var complete: Bool
    }

    /// `?from=2026-11-21T08:00:00&to=2026-11-21T09:00:00` in the device's local time (GB timestamps carry no zone).
    func records(req: Request) async throws -> RecordsDTO {
        let code = req.parameters.get("code") ?? ""
        guard let from = req.query[String.self, at: "from"].flatMap(GBDateTime.init(parsing:)),
              let to = req.query[String.self, at: "to"].flatMap(GBDateTime.init(parsing:)) else {
            throw APIError.badRequest("需要 from 和 to（如 2026-11-21T08:00:00）", "from and to are required (e.g. 2026-11-21T08:00:00)")
        }
        _ = try await req.application.sharing.authorizeRecordQuery(try req.principal, cameraCode: code,
                                                                   context: AccessContext(clientAddress: req.clientAddress))
        let (service, route) = try await Self.route(req, camera: code)
        let result = try await DeviceRoutes.translate { try await service.recordInfo(route.deviceID, channelID: route.channelID, from: from, to: to) }
        return RecordsDTO(records: result.items.map { RecordDTO(start: $0.startTime?.description, end: $0.endTime?.description, name: $0.name,
                                                                 type: $0.type.map { "\($0)" }) },
                          complete: result.completion == .complete)
    }
}
