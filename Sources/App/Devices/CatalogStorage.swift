import Directory
import Fluent
import Foundation
import GB28181
import SQLKit
import Vapor

/// What a device's catalog says, stored beside the directory (never over the filed values): one row
/// per reported channel with the device's own values, and whether the code is filed. Codes that are
/// not filed are "discovered, not filed" and show up as directory findings for the administrators.
struct CatalogStorage {
    let database: any Database

    /// Structure nodes: regions, the system, business groups, virtual organisations.
    static func isStructure(_ item: CatalogItem) -> Bool {
        switch item.kind {
        case .region, .system, .businessGroup, .virtualOrganization: true
        default: item.deviceID.count != 20
        }
    }

    func store(_ result: CatalogSyncResult, on sql: any SQLDatabase) async throws {
        try await storeStructure(result.items.filter(Self.isStructure), device: result.deviceID,
                                 replace: result.completion == .complete || result.isEmptyCatalog, on: sql)
        let items = result.items.filter { !Self.isStructure($0) }
        let filed = try await CameraStore(database: database).filedCodes(among: items.map(\.deviceID))
        let now = Date().timeIntervalSince1970
        if result.completion == .complete || result.isEmptyCatalog {
            // A complete catalog replaces the device's list; a partial one only adds what arrived.
            try await sql.delete(from: "device_channels").where("device_code", .equal, result.deviceID).run()
        } else {
            for chunk in items.map(\.deviceID).chunks(of: 500) {
                try await sql.delete(from: "device_channels").where("device_code", .equal, result.deviceID)
                    .where("channel_code", .in, chunk).run()
            }
        }
        try await insert(items, device: result.deviceID, filed: filed, now: now, on: sql)
        // Filed channels take the status the device reports, while the device is online.
        let online = items.filter { $0.status == .on && filed.contains($0.deviceID) }.map(\.deviceID)
        let offline = items.filter { $0.status == .off && filed.contains($0.deviceID) }.map(\.deviceID)
        try await CameraStore(database: database).setNetworkStatus(codes: online, to: .online)
        try await CameraStore(database: database).setNetworkStatus(codes: offline, to: .offline)
    }

    /// Catalog NOTIFY (spec §4): ADD/UPDATE replace the item, DEL removes it, ON/OFF change its status.
    func apply(_ change: CatalogChangeReport, on sql: any SQLDatabase) async throws {
        let filed = try await CameraStore(database: database).filedCodes(among: change.changes.map(\.deviceID))
        let now = Date().timeIntervalSince1970
        for item in change.changes {
            switch item.event {
            case .delete?:
                try await sql.delete(from: "device_channels").where("device_code", .equal, change.deviceID)
                    .where("channel_code", .equal, item.deviceID).run()
            case .on?, .off?:
                let status = item.event == .on ? "ON" : "OFF"
                try await sql.update("device_channels").set("status", to: status).set("updated_at", to: now)
                    .where("device_code", .equal, change.deviceID).where("channel_code", .equal, item.deviceID).run()
                if filed.contains(item.deviceID) {
                    try await CameraStore(database: database).setNetworkStatus(codes: [item.deviceID], to: item.event == .on ? .online : .offline)
                }
            default:
                try await sql.delete(from: "device_channels").where("device_code", .equal, change.deviceID)
                    .where("channel_code", .equal, item.deviceID).run()
                try await insert([item], device: change.deviceID, filed: filed, now: now, on: sql)
            }
        }
    }

    private func storeStructure(_ nodes: [CatalogItem], device: String, replace: Bool, on sql: any SQLDatabase) async throws {
        if replace {
            try await sql.delete(from: "catalog_nodes").where("device_code", .equal, device).run()
        } else {
            for chunk in nodes.map(\.deviceID).chunks(of: 500) {
                try await sql.delete(from: "catalog_nodes").where("device_code", .equal, device).where("node_code", .in, chunk).run()
            }
        }
        let now = Date().timeIntervalSince1970
        for chunk in nodes.chunks(of: 400) {
            let insert = sql.insert(into: "catalog_nodes")
                .columns("device_code", "node_code", "kind", "name", "parent_id", "civil_code", "business_group", "updated_at")
            for node in chunk {
                insert.values(SQLBind(device), SQLBind(node.deviceID), SQLBind("\(node.kind)"), SQLBind(node.name ?? ""),
                              SQLBind(node.parentID ?? ""), SQLBind(node.civilCode ?? ""), SQLBind(node.businessGroupID ?? ""), SQLBind(now))
            }
            try await insert.run()
        }
    }

    /// Both trees of a device's catalog (spec §3.6) from what was stored: structure nodes and channels.
    func trees(device: String, on sql: any SQLDatabase) async throws -> (trees: CatalogTrees, names: [String: (name: String, kind: String)]) {
        struct Row: Decodable { let code: String; let kind: String; let name: String; let parent_id: String; let civil_code: String; let business_group: String }
        let nodes = try await sql.select().column("node_code", as: "code").columns("kind", "name", "parent_id", "civil_code", "business_group")
            .from("catalog_nodes").where("device_code", .equal, device).all(decoding: Row.self)
        let channels = try await sql.select().column("channel_code", as: "code").column(SQLLiteral.string("channel"), as: "kind")
            .columns("name", "parent_id", "civil_code", "business_group")
            .from("device_channels").where("device_code", .equal, device).all(decoding: Row.self)
        var names: [String: (name: String, kind: String)] = [:]
        let items = (nodes + channels).map { row -> CatalogItem in
            names[row.code] = (row.name, row.kind)
            return CatalogItem(deviceID: row.code, name: row.name, civilCode: row.civil_code.isEmpty ? nil : row.civil_code,
                               parentID: row.parent_id.isEmpty ? nil : row.parent_id,
                               businessGroupID: row.business_group.isEmpty ? nil : row.business_group)
        }
        return (CatalogTrees(items: items, topIDs: [device]), names)
    }

    private func insert(_ items: [CatalogItem], device: String, filed: Set<String>, now: Double, on sql: any SQLDatabase) async throws {
        for chunk in items.chunks(of: 400) {
            let insert = sql.insert(into: "device_channels")
                .columns("device_code", "channel_code", "name", "parent_id", "civil_code", "business_group", "status", "filed", "reported", "updated_at")
            for item in chunk {
                insert.values(SQLBind(device), SQLBind(item.deviceID), SQLBind(item.name ?? ""), SQLBind(item.parentID ?? ""),
                              SQLBind(item.civilCode ?? ""), SQLBind(item.businessGroupID ?? ""), SQLBind(item.status.map { "\($0)" } ?? ""),
                              SQLBind(filed.contains(item.deviceID)), SQLBind(Self.reported(item)), SQLBind(now))
            }
            try await insert.run()
        }
    }

    /// The device's own values, as it reported them.
    static func reported(_ item: CatalogItem) -> String {
        var values: [String: String] = [:]
        values["name"] = item.name
        values["manufacturer"] = item.manufacturer
        values["model"] = item.model
        values["owner"] = item.owner
        values["civilCode"] = item.civilCode
        values["address"] = item.address
        values["parentID"] = item.parentID
        values["businessGroupID"] = item.businessGroupID
        values["status"] = item.status.map { "\($0)" }
        values["longitude"] = item.longitude.map { String($0) }
        values["latitude"] = item.latitude.map { String($0) }
        values["ipAddress"] = item.ipAddress
        values["port"] = item.port.map { String($0) }
        values["ptzType"] = item.info?.ptzType.map { String($0) }
        values["resolution"] = item.info?.resolution
        return String(decoding: (try? JSONEncoder().encode(values)) ?? Data("{}".utf8), as: UTF8.self)
    }
}

extension Array {
    func chunks(of size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}

extension Application {
    /// Stores a catalog exactly as the signalling side does (`gbshare-bench catalog` times it).
    public func storeCatalog(_ result: CatalogSyncResult) async throws {
        try await CatalogStorage(database: db).store(result, on: db.sql())
    }
}
