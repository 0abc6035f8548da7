import Fluent
import Foundation
import GB28181
import Logging
import Media
import Sharing

/// An upper platform's commands and queries about our cameras (CASCADE.md §2 "Commands"), decided by
/// Sharing with the upper as the principal before the MESSAGE is answered, then carried out on the
/// device that serves the camera (the same route local users' commands take) and the device's answers
/// relayed with the upper's SN. PTZ moves a camera other people are watching: it needs a grant naming
/// the upper with the PTZ permission, and every move is on record like a local user's.
struct UpperCommandRelay: UpperCommandHandler {
    let sharing: SharingService
    let database: any Database
    let service: GBPlatformService
    let logger = Logger(label: "gbshare.cascade.commands")

    /// Record answers per MESSAGE to the upper (small enough for any upper's UDP path).
    static let recordsPerMessage = 8

    func admit(_ command: UpperCommand) async -> UpperCommandDecision {
        let principal = Principal.upperPlatform(command.upperID)
        let context = AccessContext(purpose: "上级平台级联控制 (cascade: upper platform \(command.upperID))", clientAddress: command.source)
        let channel = command.channelID
        do {
            switch command.message {
            case .control(.deviceControl(let control)):
                switch control.command {
                case .ptz, .dragZoom, .homePosition:
                    _ = try await sharing.recordPTZ(principal, cameraCode: channel, command: "cascade \(Self.describe(control.command))",
                                                    context: context)
                case .iFrame:
                    try await require(principal, .live, channel, context)
                default:
                    // Rebooting, arming or recording a department's device is its owner's decision, not the province's.
                    return .refused(statusCode: 403, reason: "Device Administration Is Not Relayed")
                }
                let route = try await ChannelRoute.find(camera: channel, service: service, database: database)
                return relayed("device control", channel) { [service] in
                    let result = try await service.control(control.command, deviceID: route.deviceID, channelID: route.channelID)
                    return result.map { [CommandResult(cmdType: .deviceControl, sn: control.sn, deviceID: channel, result: $0.result,
                                                       reason: $0.reason)] } ?? []
                }
            case .query(.presetQuery(let query)):
                // Listing presets is part of controlling the camera (as for local users).
                try await require(principal, .ptz, channel, context)
                let route = try await ChannelRoute.find(camera: channel, service: service, database: database)
                return relayed("preset query", channel) { [service] in
                    var presets = try await service.presets(route.deviceID, channelID: route.channelID)
                    presets.sn = query.sn
                    presets.deviceID = channel
                    return [presets]
                }
            case .query(.recordInfo(let query)):
                _ = try await sharing.authorizeRecordQuery(principal, cameraCode: channel, context: context)
                let route = try await ChannelRoute.find(camera: channel, service: service, database: database)
                return relayed("record query", channel) { [service] in
                    let result = try await service.recordInfo(route.deviceID, channelID: route.channelID, from: query.startTime,
                                                              to: query.endTime, type: query.type ?? .all)
                    // Split as the spec splits catalogs (SumNum on each), in the upper's SN.
                    return CatalogPager.recordResponses(sn: query.sn, deviceID: channel, name: nil, items: result.items,
                                                        itemsPerMessage: Self.recordsPerMessage)
                }
            case .query(.deviceStatus(let query)), .query(.deviceInfo(let query)):
                // A camera's status and model tell nothing beyond what watching it does.
                try await require(principal, .live, channel, context)
                let route = try await ChannelRoute.find(camera: channel, service: service, database: database)
                let info = query.cmdType == .deviceInfo
                // DeviceInfo describes a device: a camera behind an NVR has none of its own to relay.
                if info && route.deviceID != channel { return .refused(statusCode: 501, reason: "Device Info Is Per Device") }
                return relayed("status query", channel) { [service] in
                    if info {
                        var answer = try await service.deviceInfo(route.deviceID)
                        answer.sn = query.sn
                        answer.deviceID = channel
                        return [answer]
                    }
                    var answer = try await service.deviceStatus(route.deviceID, channelID: route.channelID == route.deviceID ? nil : route.channelID)
                    answer.sn = query.sn
                    answer.deviceID = channel
                    return [answer]
                }
            default:
                return .refused(statusCode: 501, reason: "Not Relayed")
            }
        } catch AccessRefused.unknownCamera {
            return .refused(statusCode: 404, reason: "No Such Channel")
        } catch AccessRefused.refused(let decision) {
            return .refused(statusCode: 403, reason: "Not Allowed To This Platform (\(decision.reason.rawValue))")
        } catch ShareRequestError.forbidden(let reason, _) {
            return .refused(statusCode: 403, reason: "Not Allowed To This Platform (\(reason.rawValue))")
        } catch let failure as PlayFailure {
            return .refused(statusCode: 480, reason: "Camera Unreachable (\(failure.step))")
        } catch {
            logger.error("upper platform command could not be decided or recorded", metadata: ["upper": "\(command.upperID)", "error": "\(error)"])
            return .refused(statusCode: 500, reason: "Audit Unavailable")
        }
    }

    /// Admitted: the device-side work, whose failure (device gone, no answer) is logged and leaves the
    /// upper without an answer, as a device that does not answer leaves it.
    private func relayed(_ what: String, _ channel: String,
                         _ work: @escaping @Sendable () async throws -> [any MANSCDPCommand]) -> UpperCommandDecision {
        .accepted { [logger] in
            do {
                return try await work()
            } catch {
                logger.warning("relayed \(what) failed", metadata: ["camera": "\(channel)", "error": "\(error)"])
                return []
            }
        }
    }

    /// Decides an action on a camera for the upper; a refusal is on record. Unknown cameras refuse as such.
    private func require(_ principal: Principal, _ action: AccessAction, _ code: String, _ context: AccessContext) async throws {
        guard let camera = try await sharing.camera(code: code) else { throw AccessRefused.unknownCamera(code) }
        try await sharing.require(principal, action, camera: camera, context: context)
    }

    static func describe(_ command: DeviceControlCommand) -> String {
        switch command {
        case .ptz(let instruction, _): "PTZCmd \(instruction.hexString)"
        case .dragZoom(let zoom): "DragZoom\(zoom.zoomIn ? "In" : "Out")"
        case .homePosition(let home): "HomePosition enabled=\(home.enabled)"
        default: "\(command)"
        }
    }
}
