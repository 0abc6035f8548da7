import Foundation
import Sharing
import Vapor

/// The audit log for auditors (审计员): query, CSV export, chain verification. Nobody else reads
/// it, administrators included; every export and verification is itself on record.
struct AuditRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let audit = routes.grouped("audit")
        audit.get(use: list)
        audit.get("export", use: export)
        audit.get("verify", use: verify)
    }

    static let filters = ["from", "to", "actor", "department", "action", "camera", "grant", "result", "before", "limit"]

    func list(req: Request) async throws -> AuditPage {
        try await req.authorize(.readAudit)
        return try await AuditReader(database: req.db).page(Self.query(req))
    }

    /// CSV of every entry the filters match, oldest first, streamed page by page.
    func export(req: Request) async throws -> Response {
        try await req.authorize(.readAudit)
        var filters = try Self.query(req)
        filters.beforeSeq = nil
        let query = filters
        let reader = AuditReader(database: req.db)
        try await req.audit(.auditExport, detail: Self.describe(req))
        let response = Response(status: .ok)
        response.headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"audit.csv\"")
        let logger = req.logger
        response.body = Response.Body(asyncStream: { writer in
            do {
                try await writer.write(.buffer(ByteBuffer(string: AuditCSV.bom + AuditCSV.headerLine)))
                try await reader.forEach(query) { entries in
                    try await writer.write(.buffer(ByteBuffer(string: entries.map(AuditCSV.row).joined())))
                }
                try await writer.write(.end)
            } catch {
                logger.error("audit export failed: \(String(reflecting: error))")
                try? await writer.write(.error(error))
            }
        })
        return response
    }

    func verify(req: Request) async throws -> AuditVerification {
        try await req.authorize(.readAudit)
        let sharing = req.application.sharing
        let result = try await AuditVerifier(database: req.db, anchors: sharing.anchors).verify()
        try await req.audit(.auditVerify, result: result.intact ? .ok : .failed,
                            detail: result.firstBreak.map { "\($0.kind.rawValue) at \($0.seq)" } ?? "intact, \(result.checked) entries")
        return result
    }

    static func query(_ req: Request) throws -> AuditQuery {
        var query = AuditQuery()
        func date(_ name: String) throws -> Date? {
            guard let text = req.query[String.self, at: name] else { return nil }
            guard let date = ISO8601DateFormatter().date(from: text) else {
                throw APIError.badRequest("\(name)应为ISO 8601时间，如2026-11-20T08:00:00+08:00", "\(name) must be an ISO 8601 time such as 2026-11-20T08:00:00+08:00")
            }
            return date
        }
        query.from = try date("from")
        query.to = try date("to")
        query.actor = req.query[String.self, at: "actor"]
        query.department = req.query[String.self, at: "department"]
        query.action = req.query[String.self, at: "action"]
        query.camera = req.query[String.self, at: "camera"]
        query.grantID = req.query[String.self, at: "grant"]
        if let result = req.query[String.self, at: "result"] {
            guard let parsed = AuditResult(rawValue: result) else { throw APIError.badRequest("result应为ok、denied或failed", "result is ok, denied or failed") }
            query.result = parsed
        }
        query.beforeSeq = req.query[Int64.self, at: "before"]
        query.limit = req.query[Int.self, at: "limit"] ?? 100
        return query
    }

    static func describe(_ req: Request) -> String {
        filters.compactMap { name in req.query[String.self, at: name].map { "\(name)=\($0)" } }.joined(separator: " ")
    }
}

extension AuditPage: Content {}
extension AuditVerification: Content {}
