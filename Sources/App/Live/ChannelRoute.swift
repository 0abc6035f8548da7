import Fluent
import GB28181
import Media
import SQLKit

/// Which registered device serves a filed camera, and which channel to INVITE: a camera reported
/// in some device's (NVR's, lower platform's) catalog is reached through that device; a camera that
/// registered by itself is INVITEd on its one reported channel (an IPC registers as 132 and reports
/// its 131 channel) or on its own code.
struct ChannelRoute: Sendable, Equatable {
    var deviceID: String
    var channelID: String

    static func find(camera: String, service: GBPlatformService, database: any Database) async throws -> ChannelRoute {
        struct Row: Decodable { let device_code: String; let channel_code: String }
        let sql = try database.sql()
        let parents = try await sql.select().columns("device_code", "channel_code").from("device_channels")
            .where("channel_code", .equal, camera).all(decoding: Row.self)
        let placement = try await DirectoryPlacement.load(camera: camera, candidates: parents.map(\.device_code), on: sql)
        for parent in parents where placement.mayServe(parent.device_code) {
            if await service.device(parent.device_code)?.online == true {
                return ChannelRoute(deviceID: parent.device_code, channelID: camera)
            }
        }
        if await service.device(camera)?.online == true {
            let own = try await sql.select().columns("device_code", "channel_code").from("device_channels")
                .where("device_code", .equal, camera).limit(2).all(decoding: Row.self)
            return ChannelRoute(deviceID: camera, channelID: own.count == 1 ? own[0].channel_code : camera)
        }
        throw PlayFailure.deviceOffline(device: parents.first?.device_code ?? camera)
    }
}

/// Where the directory files a camera, to decide which device's catalog may speak for it.
///
/// Any registered device can list any code in its catalog. Were that enough, a department's NVR that
/// listed another department's camera would receive the INVITEs for it and could feed its own video under
/// the camera's identity. A device serves a camera only where the directory files the camera there: its
/// platform code (平台编码) names the device, or, with no platform code filed, the device is itself filed
/// by the camera's own department.
struct DirectoryPlacement: Sendable {
    var platformCode: String
    var department: String?
    var candidateDepartments: [String: String]

    static func load(camera: String, candidates: [String], on sql: any SQLDatabase) async throws -> DirectoryPlacement {
        struct Row: Decodable { let code: String; let platform_code: String; let department: String }
        let codes = Array(Set([camera] + candidates))
        let rows = try await sql.select().columns("code", "platform_code", "department").from("cameras")
            .where("code", .in, codes).orderBy("id").all(decoding: Row.self)
        // A code filed twice answers with its first record, as everywhere else.
        var first: [String: Row] = [:]
        for row in rows where first[row.code] == nil { first[row.code] = row }
        return DirectoryPlacement(platformCode: first[camera]?.platform_code ?? "", department: first[camera]?.department,
                                  candidateDepartments: first.filter { $0.key != camera }.mapValues(\.department))
    }

    func mayServe(_ device: String) -> Bool {
        if !platformCode.isEmpty { return device == platformCode }
        guard let department, let owner = candidateDepartments[device] else { return false }
        return owner == department
    }
}
