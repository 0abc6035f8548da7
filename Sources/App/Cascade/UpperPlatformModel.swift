import Fluent
import Foundation
import GB28181
import SIP

/// An upper platform this node registers to (the province above the city). Its password is sealed
/// with the device credentials' key (`DeviceCredentials`, under `upper:<SIP ID>`), never stored plain.
final class UpperPlatformModel: Model, @unchecked Sendable {
    static let schema = "upper_platforms"

    @ID(key: .id) var id: UUID?
    @Field(key: "platform_id") var platformID: String
    @Field(key: "domain") var domain: String
    @Field(key: "name") var name: String
    @Field(key: "host") var host: String
    @Field(key: "port") var port: Int
    @Field(key: "transport") var transport: String
    @OptionalField(key: "username") var username: String?
    @Field(key: "expires") var expires: Int
    @Field(key: "keepalive_seconds") var keepaliveSeconds: Int
    @Field(key: "charset") var charset: String
    @Field(key: "enabled") var enabled: Bool
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    /// What the library needs to link to it, with the unsealed password.
    func linkConfiguration(password: String) -> UpperPlatformConfiguration {
        UpperPlatformConfiguration(platformID: platformID, domain: domain, host: host, port: port,
                                   transport: SIPTransportKind(rawValue: transport.uppercased()) ?? .udp, username: username,
                                   password: password, expires: expires, keepaliveInterval: .seconds(keepaliveSeconds),
                                   charset: OutgoingCharset(rawValue: charset) ?? .gb2312)
    }

    static func credentialKey(_ platformID: String) -> String { "upper:\(platformID)" }
}

/// Upper platforms and the history of their links (issue 12).
struct CreateUpperPlatforms: AsyncMigration {
    var name: String { "105_CreateUpperPlatforms" }

    func prepare(on database: any Database) async throws {
        try await database.schema(UpperPlatformModel.schema)
            .id()
            .field("platform_id", .string, .required)
            .field("domain", .string, .required)
            .field("name", .string, .required)
            .field("host", .string, .required)
            .field("port", .int, .required)
            .field("transport", .string, .required)
            .field("username", .string)
            .field("expires", .int, .required)
            .field("keepalive_seconds", .int, .required)
            .field("charset", .string, .required)
            .field("enabled", .bool, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "platform_id")
            .create()
        try await database.schema("upper_platform_events")
            .field("id", .int, .identifier(auto: true))
            .field("platform_id", .string, .required)
            .field("at", .datetime, .required)
            .field("state", .string, .required)
            .field("detail", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("upper_platform_events").delete()
        try await database.schema(UpperPlatformModel.schema).delete()
    }
}
