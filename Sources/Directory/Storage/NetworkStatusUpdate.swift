import FluentKit
import Foundation
import GBCore
import SQLKit

extension CameraStore {
    /// The platform keeps 联网状态 up to date from registrations and keepalives (Appendix 5: "kept by
    /// the platform, not by hand"). Only rows whose status really changes are written; the transitions
    /// themselves are kept as device history by the signalling side, so no camera history entry here.
    @discardableResult
    public func setNetworkStatus(codes: [String], to status: NetworkStatus) async throws -> Int {
        let sql = try database.sql()
        struct Row: Decodable { let id: Int; let fields: String }
        var changed = 0
        for chunk in Array(Set(codes)).chunked(500) {
            let rows = try await sql.select().columns("id", "fields").from("cameras")
                .where("code", .in, Array(chunk)).where("network_status", .notEqual, status.rawValue).all(decoding: Row.self)
            for row in rows {
                guard var record = CameraRecord(fieldsJSON: row.fields) else { continue }
                record[.networkStatus] = status.rawValue
                try await sql.update("cameras").set("network_status", to: status.rawValue).set("fields", to: record.fieldsJSON)
                    .where("id", .equal, row.id).run()
                changed += 1
            }
        }
        return changed
    }

    /// Which of these codes are filed as cameras.
    public func filedCodes(among codes: [String]) async throws -> Set<String> {
        let sql = try database.sql()
        struct Row: Decodable { let code: String }
        var result: Set<String> = []
        for chunk in Array(Set(codes)).chunked(500) {
            for row in try await sql.select().column("code").from("cameras").where("code", .in, Array(chunk)).all(decoding: Row.self) {
                result.insert(row.code)
            }
        }
        return result
    }
}
