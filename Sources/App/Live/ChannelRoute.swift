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
        for parent in parents where await service.device(parent.device_code)?.online == true {
            return ChannelRoute(deviceID: parent.device_code, channelID: camera)
        }
        if await service.device(camera)?.online == true {
            let own = try await sql.select().columns("device_code", "channel_code").from("device_channels")
                .where("device_code", .equal, camera).limit(2).all(decoding: Row.self)
            return ChannelRoute(deviceID: camera, channelID: own.count == 1 ? own[0].channel_code : camera)
        }
        throw PlayFailure.deviceOffline(device: parents.first?.device_code ?? camera)
    }
}
