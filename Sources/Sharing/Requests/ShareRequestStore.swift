import FluentKit
import Foundation
import GBCore
import SQLKit

/// share_requests and share_reviews in the database.
struct ShareRequestStore: Sendable {
    let database: any Database

    struct RequestRow: Codable {
        var id: String
        var requester_id: String
        var requester: String
        var department: String
        var division: String
        var selection: String
        var cameras: String
        var frozen: Bool
        var permissions: String
        var purpose: String
        var valid_from: Double
        var valid_until: Double
        var status: String
        var created_at: Double
        var deadline_at: Double
        var escalated_at: Double?
        var decided_at: Double?
    }

    struct ReviewRow: Codable {
        var request_id: String
        var step: String
        var reviewer_id: String
        var reviewer: String
        var department: String
        var division: String
        var decision: String
        var cameras: String
        var permissions: String
        var comment: String
        var at: Double
    }

    static let requestColumns = ["id", "requester_id", "requester", "department", "division", "selection", "cameras", "frozen",
                                 "permissions", "purpose", "valid_from", "valid_until", "status", "created_at", "deadline_at",
                                 "escalated_at", "decided_at"]
    static let reviewColumns = ["request_id", "step", "reviewer_id", "reviewer", "department", "division", "decision", "cameras",
                                "permissions", "comment", "at"]

    func insert(_ request: ShareRequest) async throws {
        try await database.sqlDatabase().insert(into: "share_requests").model(Self.row(request)).run()
    }

    func update(_ request: ShareRequest) async throws {
        let row = Self.row(request)
        try await database.sqlDatabase().update("share_requests")
            .set("cameras", to: SQLBind(row.cameras)).set("frozen", to: SQLBind(row.frozen)).set("status", to: SQLBind(row.status))
            .set("escalated_at", to: SQLBind(row.escalated_at)).set("decided_at", to: SQLBind(row.decided_at))
            .where("id", .equal, row.id).run()
    }

    func insert(_ reviews: [ShareReview], requestID: UUID) async throws {
        guard !reviews.isEmpty else { return }
        let insert = try database.sqlDatabase().insert(into: "share_reviews")
        try insert.models(reviews.map { review in
            ReviewRow(request_id: requestID.uuidString, step: review.step.rawValue, reviewer_id: review.reviewerID.uuidString,
                      reviewer: review.reviewer, department: review.department.code, division: review.department.division,
                      decision: review.decision.rawValue, cameras: Self.json(review.cameras), permissions: review.permissions.description,
                      comment: review.comment, at: review.at.timeIntervalSince1970)
        })
        try await insert.run()
    }

    func request(id: UUID) async throws -> ShareRequest? {
        try await requests { $0.where("id", .equal, id.uuidString) }.first
    }

    func requests(department: DepartmentRef? = nil, status: ShareRequest.Status? = nil, limit: Int = 200) async throws -> [ShareRequest] {
        try await requests(limit: limit) { select in
            var select = select
            if let department { select = select.where("department", .equal, department.code).where("division", .equal, department.division) }
            if let status { select = select.where("status", .equal, status.rawValue) }
            return select
        }
    }

    func requests(limit: Int? = nil, _ filter: (SQLSelectBuilder) -> SQLSelectBuilder) async throws -> [ShareRequest] {
        let sql = try database.sqlDatabase()
        var select = filter(sql.select().columns(Self.requestColumns).from("share_requests")).orderBy("created_at", .descending)
        if let limit { select = select.limit(limit) }
        let rows = try await select.all(decoding: RequestRow.self)
        var reviews: [String: [ShareReview]] = [:]
        for chunk in rows.map(\.id).chunks(of: 500) {
            let list = try await sql.select().columns(Self.reviewColumns).from("share_reviews").where("request_id", .in, Array(chunk))
                .orderBy("id").all(decoding: ReviewRow.self)
            for row in list {
                guard let step = ReviewStep(rawValue: row.step), let decision = ReviewDecision(rawValue: row.decision),
                      let reviewerID = UUID(uuidString: row.reviewer_id) else { continue }
                reviews[row.request_id, default: []].append(ShareReview(
                    step: step, reviewerID: reviewerID, reviewer: row.reviewer, department: DepartmentRef(code: row.department, division: row.division),
                    decision: decision, cameras: Self.decode([String].self, row.cameras) ?? [], permissions: PermissionSet.parse(row.permissions).set,
                    comment: row.comment, at: Date(timeIntervalSince1970: row.at)))
            }
        }
        return try rows.map { row in
            guard let id = UUID(uuidString: row.id), let requesterID = UUID(uuidString: row.requester_id),
                  let status = ShareRequest.Status(rawValue: row.status),
                  let selection = Self.decode(CameraSelection.self, row.selection) else { throw SharingStoreError.corruptRow("share request \(row.id)") }
            return ShareRequest(
                id: id, requesterID: requesterID, requester: row.requester, department: DepartmentRef(code: row.department, division: row.division),
                selection: selection, cameras: Self.decode([String].self, row.cameras) ?? [], frozen: row.frozen,
                permissions: PermissionSet.parse(row.permissions).set, purpose: row.purpose,
                validFrom: Date(timeIntervalSince1970: row.valid_from), validUntil: Date(timeIntervalSince1970: row.valid_until),
                status: status, createdAt: Date(timeIntervalSince1970: row.created_at), deadline: Date(timeIntervalSince1970: row.deadline_at),
                escalatedAt: row.escalated_at.map(Date.init(timeIntervalSince1970:)), decidedAt: row.decided_at.map(Date.init(timeIntervalSince1970:)),
                reviews: reviews[row.id] ?? [])
        }
    }

    /// Pending requests past their deadline that have not been escalated yet.
    func overdueUnescalated(now: Date) async throws -> [ShareRequest] {
        try await requests { select in
            select.where("status", .equal, ShareRequest.Status.pending.rawValue).where("deadline_at", .lessThan, now.timeIntervalSince1970)
                .where("escalated_at", .is, SQLLiteral.null)
        }
    }

    static func row(_ request: ShareRequest) -> RequestRow {
        RequestRow(id: request.id.uuidString, requester_id: request.requesterID.uuidString, requester: request.requester,
                   department: request.department.code, division: request.department.division, selection: json(request.selection),
                   cameras: json(request.cameras), frozen: request.frozen, permissions: request.permissions.description, purpose: request.purpose,
                   valid_from: request.validFrom.timeIntervalSince1970, valid_until: request.validUntil.timeIntervalSince1970,
                   status: request.status.rawValue, created_at: request.createdAt.timeIntervalSince1970,
                   deadline_at: request.deadline.timeIntervalSince1970, escalated_at: request.escalatedAt?.timeIntervalSince1970,
                   decided_at: request.decidedAt?.timeIntervalSince1970)
    }

    static func json<T: Encodable>(_ value: T) -> String {
        String(decoding: (try? JSONEncoder().encode(value)) ?? Data("null".utf8), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) -> T? {
        try? JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
