import FluentKit
import Foundation
import GBCore
import SQLKit

/// Grants in the database: create, revoke, read, and find the ones that ran out.
public struct GrantStore: Sendable {
    public let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    struct GrantRow: Codable {
        var id: String
        var request_id: String?
        var department: String
        var division: String
        var purpose: String
        var valid_from: Double
        var valid_until: Double
        var created_at: Double
        var created_by: String
        var revoked_at: Double?
        var revoked_by: String?
        var revoke_reason: String?
        var end_reported: Bool
    }

    struct CameraRow: Codable {
        var grant_id: String
        var camera: String
        var permissions: String
        var revoked_at: Double?
        var revoked_by: String?
    }

    static let grantColumns = ["id", "request_id", "department", "division", "purpose", "valid_from", "valid_until",
                               "created_at", "created_by", "revoked_at", "revoked_by", "revoke_reason", "end_reported"]

    /// Stores grants with their cameras in batched statements (the benchmark files 10,000 at once).
    public func insert(_ grants: [Grant], on db: (any Database)? = nil) async throws {
        let sql = try (db ?? database).sqlDatabase()
        for chunk in grants.chunks(of: 200) {
            let insert = sql.insert(into: "grants").columns(Self.grantColumns)
            for grant in chunk {
                insert.values(SQLBind(grant.id.uuidString), SQLBind(grant.requestID?.uuidString), SQLBind(grant.grantee.code),
                              SQLBind(grant.grantee.division), SQLBind(grant.purpose), SQLBind(grant.validFrom.timeIntervalSince1970),
                              SQLBind(grant.validUntil.timeIntervalSince1970), SQLBind(grant.createdAt.timeIntervalSince1970),
                              SQLBind(grant.createdBy), SQLBind(grant.revokedAt?.timeIntervalSince1970), SQLBind(grant.revokedBy),
                              SQLBind(grant.revokeReason), SQLBind(false))
            }
            try await insert.run()
        }
        let cameras = grants.flatMap { grant in grant.cameras.map { (grant.id, $0) } }
        for chunk in cameras.chunks(of: 500) {
            let insert = sql.insert(into: "grant_cameras").columns("grant_id", "camera", "permissions")
            for (id, camera) in chunk {
                insert.values(SQLBind(id.uuidString), SQLBind(camera.code), SQLBind(camera.permissions.description))
            }
            try await insert.run()
        }
    }

    public func grant(id: UUID) async throws -> Grant? {
        try await grants { $0.where("id", .equal, id.uuidString) }.first
    }

    /// Every grant that may still matter to a decision: not ended, or ended within `recentDays`
    /// (so a refusal can say "expired" or "revoked" rather than "none").
    public func loadForIndex(now: Date = Date(), recentDays: Double = 90) async throws -> [Grant] {
        let since = now.timeIntervalSince1970 - recentDays * 86_400
        return try await grants { $0.where("valid_until", .greaterThan, since) }
    }

    public func grants(department: DepartmentRef? = nil, camera: String? = nil, activeAt: Date? = nil, limit: Int = 500) async throws -> [Grant] {
        let sql = try database.sqlDatabase()
        var ids: [String]? = nil
        if let camera {
            struct Row: Decodable { let grant_id: String }
            ids = try await sql.select().column("grant_id").from("grant_cameras").where("camera", .equal, camera)
                .all(decoding: Row.self).map(\.grant_id)
            if ids?.isEmpty == true { return [] }
        }
        return try await grants(limit: limit) { select in
            var select = select
            if let department { select = select.where("department", .equal, department.code).where("division", .equal, department.division) }
            if let ids { select = select.where("id", .in, ids) }
            if let activeAt {
                select = select.where("revoked_at", .is, SQLLiteral.null)
                    .where("valid_until", .greaterThan, activeAt.timeIntervalSince1970)
                    .where("valid_from", .lessThanOrEqual, activeAt.timeIntervalSince1970)
            }
            return select
        }
    }

    /// Grants holding cameras of a department (for owners listing who uses their cameras).
    public func grants(ownedBy cameraCodes: [String], limit: Int = 500) async throws -> [Grant] {
        guard !cameraCodes.isEmpty else { return [] }
        struct Row: Decodable { let grant_id: String }
        var ids: Set<String> = []
        for chunk in cameraCodes.chunks(of: 500) {
            let rows = try await database.sqlDatabase().select().column("grant_id").from("grant_cameras")
                .where("camera", .in, Array(chunk)).all(decoding: Row.self)
            ids.formUnion(rows.map(\.grant_id))
        }
        guard !ids.isEmpty else { return [] }
        return try await grants(limit: limit) { $0.where("id", .in, Array(ids)) }
    }

    func grants(limit: Int? = nil, _ filter: (SQLSelectBuilder) -> SQLSelectBuilder) async throws -> [Grant] {
        let sql = try database.sqlDatabase()
        var select = filter(sql.select().columns(Self.grantColumns).from("grants")).orderBy("created_at", .descending)
        if let limit { select = select.limit(limit) }
        let rows = try await select.all(decoding: GrantRow.self)
        var cameras: [String: [Grant.Camera]] = [:]
        for chunk in rows.map(\.id).chunks(of: 500) {
            let list = try await sql.select().columns("grant_id", "camera", "permissions", "revoked_at", "revoked_by").from("grant_cameras")
                .where("grant_id", .in, Array(chunk)).orderBy("id").all(decoding: CameraRow.self)
            for row in list {
                cameras[row.grant_id, default: []].append(Grant.Camera(code: row.camera, permissions: PermissionSet.parse(row.permissions).set,
                                                                       revokedAt: row.revoked_at.map(Date.init(timeIntervalSince1970:)),
                                                                       revokedBy: row.revoked_by))
            }
        }
        return try rows.map { row in
            guard let id = UUID(uuidString: row.id) else { throw SharingStoreError.corruptRow("grant \(row.id)") }
            return Grant(id: id, requestID: row.request_id.flatMap(UUID.init(uuidString:)),
                         grantee: DepartmentRef(code: row.department, division: row.division), cameras: cameras[row.id] ?? [],
                         purpose: row.purpose, validFrom: Date(timeIntervalSince1970: row.valid_from),
                         validUntil: Date(timeIntervalSince1970: row.valid_until), createdAt: Date(timeIntervalSince1970: row.created_at),
                         createdBy: row.created_by, revokedAt: row.revoked_at.map(Date.init(timeIntervalSince1970:)),
                         revokedBy: row.revoked_by, revokeReason: row.revoke_reason)
        }
    }

    /// Marks a grant revoked; false when it was already revoked (revoking twice changes nothing).
    public func revoke(id: UUID, by actor: String, reason: String, at now: Date) async throws -> Bool {
        let sql = try database.sqlDatabase()
        guard let current = try await grant(id: id), current.revokedAt == nil else { return false }
        try await sql.update("grants").set("revoked_at", to: SQLBind(now.timeIntervalSince1970)).set("revoked_by", to: SQLBind(actor))
            .set("revoke_reason", to: SQLBind(reason)).set("end_reported", to: SQLBind(true))
            .where("id", .equal, id.uuidString).where("revoked_at", .is, SQLLiteral.null).run()
        return true
    }

    /// Takes some cameras out of a grant (their owner's part of a multi-owner grant); returns the codes
    /// that were still in it (revoking a camera twice changes nothing).
    public func revoke(cameras codes: [String], of id: UUID, by actor: String, at now: Date) async throws -> [String] {
        struct Row: Decodable { let camera: String }
        let sql = try database.sqlDatabase()
        var taken: [String] = []
        for chunk in codes.chunks(of: 500) {
            // UPDATE ... RETURNING: of two owners (or nodes) revoking at once, each camera is taken once.
            let rows = try await sql.update("grant_cameras").set("revoked_at", to: SQLBind(now.timeIntervalSince1970))
                .set("revoked_by", to: SQLBind(actor))
                .where("grant_id", .equal, id.uuidString).where("camera", .in, Array(chunk)).where("revoked_at", .is, SQLLiteral.null)
                .returning("camera").all(decoding: Row.self)
            taken += rows.map(\.camera)
        }
        return taken
    }

    /// Grants that ran out and have not been reported yet; marks them reported, so each expiry
    /// is announced (and audited) once even with several nodes sweeping.
    public func takeExpired(now: Date) async throws -> [Grant] {
        let expired = try await grants { select in
            select.where("end_reported", .equal, SQLBind(false)).where("valid_until", .lessThanOrEqual, now.timeIntervalSince1970)
        }
        var taken: [Grant] = []
        let sql = try database.sqlDatabase()
        for grant in expired {
            struct Row: Decodable { let id: String }
            // UPDATE ... RETURNING claims the row: of two sweeping nodes only one gets it back.
            let claimed = try await sql.update("grants").set("end_reported", to: SQLBind(true))
                .where("id", .equal, grant.id.uuidString).where("end_reported", .equal, SQLBind(false))
                .returning("id").all(decoding: Row.self)
            if !claimed.isEmpty { taken.append(grant) }
        }
        return taken
    }
}

extension Array {
    func chunks(of size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
