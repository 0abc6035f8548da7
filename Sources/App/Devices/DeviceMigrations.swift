import Fluent
import SQLKit

/// Tables of the signalling side: registered devices, the channels their catalogs report (beside the
/// filed records, never over them), their event history, refused registrations, and device passwords.
enum DeviceMigrations {
    static var all: [any Migration] { [CreateDeviceTables(), CreateCatalogNodes()] }
}

struct CreateDeviceTables: AsyncMigration {
    var name: String { "301_CreateDeviceTables" }

    func prepare(on database: any Database) async throws {
        try await database.schema("devices")
            .field("code", .string, .identifier(auto: false))
            .field("transport", .string, .required)
            .field("address", .string, .required)
            .field("gb_version", .string, .required)
            .field("online", .bool, .required)
            .field("registered_at", .double)
            .field("changed_at", .double, .required)
            .field("expires", .int, .required)
            .field("info", .string, .required)
            .field("channel_count", .int, .required)
            .create()
        try await database.schema("device_channels")
            .field("id", .int64, .identifier(auto: true))
            .field("device_code", .string, .required)
            .field("channel_code", .string, .required)
            .field("name", .string, .required)
            .field("parent_id", .string, .required)
            .field("civil_code", .string, .required)
            .field("business_group", .string, .required)
            .field("status", .string, .required)
            .field("filed", .bool, .required)
            .field("reported", .string, .required)
            .field("updated_at", .double, .required)
            .create()
        let sql = try database.sql()
        try await sql.create(index: "device_channels_device").on("device_channels").column("device_code").run()
        try await sql.create(index: "device_channels_channel").on("device_channels").column("channel_code").run()
        try await sql.create(index: "device_channels_filed").on("device_channels").column("filed").run()
        try await database.schema("device_events")
            .field("id", .int64, .identifier(auto: true))
            .field("device_code", .string, .required)
            .field("kind", .string, .required)
            .field("detail", .string, .required)
            .field("at", .double, .required)
            .create()
        try await sql.create(index: "device_events_device").on("device_events").column("device_code").column("at").run()
        try await database.schema("refused_registrations")
            .field("id", .int64, .identifier(auto: true))
            .field("code", .string, .required)
            .field("source", .string, .required)
            .field("transport", .string, .required)
            .field("reason", .string, .required)
            .field("first_at", .double, .required)
            .field("last_at", .double, .required)
            .field("attempts", .int, .required)
            .create()
        try await sql.create(index: "refused_registrations_code").on("refused_registrations").column("code").column("reason").run()
        try await database.schema("device_credentials")
            .field("code", .string, .identifier(auto: false))
            .field("sealed_password", .string, .required)
            .field("updated_at", .double, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in ["device_credentials", "refused_registrations", "device_events", "device_channels", "devices"] {
            try await database.schema(table).delete()
        }
    }
}

/// The catalog's structure nodes (spec §3.6): administrative regions (2-8 digits), the system (200),
/// business groups (215) and virtual organisations (216). Kept beside the channels so that both
/// trees can be rebuilt (`GET /api/v1/devices/{code}/tree`) without counting them as cameras.
struct CreateCatalogNodes: AsyncMigration {
    var name: String { "302_CreateCatalogNodes" }

    func prepare(on database: any Database) async throws {
        try await database.schema("catalog_nodes")
            .field("id", .int64, .identifier(auto: true))
            .field("device_code", .string, .required)
            .field("node_code", .string, .required)
            .field("kind", .string, .required)
            .field("name", .string, .required)
            .field("parent_id", .string, .required)
            .field("civil_code", .string, .required)
            .field("business_group", .string, .required)
            .field("updated_at", .double, .required)
            .create()
        try await database.sql().create(index: "catalog_nodes_device").on("catalog_nodes").column("device_code").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("catalog_nodes").delete()
    }
}
