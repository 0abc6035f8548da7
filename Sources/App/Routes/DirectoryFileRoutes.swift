import Directory
import Fluent
import Foundation
import GBCore
import Sharing
import SQLKit
import Vapor

/// Whole-directory work: upload an import and see its findings, confirm it, export, the
/// rectification report, duplicate construction, statistics.
struct DirectoryFileRoutes {
    let config: GBShareConfig

    func boot(routes: any RoutesBuilder) {
        let directory = routes.grouped("directory")
        directory.on(.POST, "imports", body: .collect(maxSize: ByteCount(value: config.maxUploadMegabytes * 1_048_576)), use: upload)
        directory.get("imports", ":id", use: getImport)
        directory.get("imports", ":id", "findings", use: importFindings)
        directory.post("imports", ":id", "confirm", use: confirm)
        directory.delete("imports", ":id", use: discard)
        directory.get("export", use: export)
        directory.get("report", use: report)
        directory.get("duplicates", use: duplicates)
        directory.get("statistics", use: statistics)
    }

    struct Upload: Content {
        var file: File
        var sheet: String?
    }

    struct ImportDTO: Content {
        var id: String
        var filename: String
        var status: String
        var summary: ImportSummary
        var findings: [FindingDTO]
        /// Rows not written because the importer may not edit those cameras (confirm only).
        var refusals: [RefusalDTO] = []
        var createdAt: Date
        var appliedAt: Date?
    }

    struct RefusalDTO: Content {
        var row: Int
        var code: String
        var reason: String
        var message: String

        init(_ refusal: ImportRefusal, language: Language) {
            row = refusal.row
            code = refusal.code
            reason = refusal.reason.code
            message = refusal.reason.message.text(for: language)
        }
    }

    /// Stores the upload, checks every row, and keeps the findings for the clerk to read before
    /// confirming. Nothing reaches the directory until `confirm`.
    func upload(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try await req.authorize(.importDirectory)
        let upload = try req.content.decode(Upload.self)
        let id = UUID().uuidString.lowercased()
        try FileManager.default.createDirectory(atPath: config.importsDirectory, withIntermediateDirectories: true)
        let path = URL(fileURLWithPath: config.importsDirectory).appendingPathComponent(id + ".upload").path
        try await req.fileio.writeFile(upload.file.data, at: path)
        let sheet = upload.sheet
        let result = try await req.application.threadPool.runIfActive {
            try DirectoryImporter.check(url: URL(fileURLWithPath: path), sheet: sheet)
        }
        let pending = PendingImport(id: id, filename: upload.file.filename, storedPath: path, status: .checked, actor: user.username,
                                    summary: result.summary, createdAt: Date(), appliedAt: nil)
        try await ImportStore(database: req.db).save(pending, findings: result.findings)
        let body = ImportDTO(id: id, filename: pending.filename, status: pending.status.rawValue, summary: result.summary,
                             findings: result.findings.prefix(1000).map { FindingDTO($0, language: req.language) },
                             createdAt: pending.createdAt, appliedAt: nil)
        return try await body.encodeResponse(status: .created, for: req)
    }

    /// The pending import named in the path, if it is the caller's: an upload belongs to whoever made it
    /// (another department once read and confirmed it). Someone else's is answered as not found.
    func findPending(_ req: Request) async throws -> PendingImport {
        let id = req.parameters.get("id") ?? ""
        let user = try req.requireUser()
        guard let pending = try await ImportStore(database: req.db).get(id: id), pending.actor == user.username else {
            throw APIError.notFound("import \(id)")
        }
        return pending
    }

    func getImport(req: Request) async throws -> ImportDTO {
        try await req.authorize(.readDirectory)
        let pending = try await findPending(req)
        let findings = try await ImportStore(database: req.db).findings(importID: pending.id, offset: 0, limit: 1000)
        return ImportDTO(id: pending.id, filename: pending.filename, status: pending.status.rawValue, summary: pending.summary,
                         findings: findings.map { FindingDTO($0, language: req.language) }, createdAt: pending.createdAt, appliedAt: pending.appliedAt)
    }

    func importFindings(req: Request) async throws -> [FindingDTO] {
        try await req.authorize(.readDirectory)
        let pending = try await findPending(req)
        let severity = req.query[String.self, at: "severity"].flatMap(Severity.init(rawValue:))
        return try await ImportStore(database: req.db).findings(
            importID: pending.id, offset: req.query[Int.self, at: "offset"] ?? 0, limit: req.query[Int.self, at: "limit"] ?? 1000,
            severity: severity).map { FindingDTO($0, language: req.language) }
    }

    /// Applies a checked upload in one transaction.
    func confirm(req: Request) async throws -> ImportDTO {
        let user = try req.requireUser()
        try await req.authorize(.importDirectory)
        let pending = try await findPending(req)
        guard pending.status == .checked else {
            throw APIError(.conflict, "import_not_pending", zh: "该导入已\(pending.status == .applied ? "执行" : "放弃")",
                           en: "this import was already \(pending.status.rawValue)")
        }
        let principal = try req.principal
        // Every row is decided against the stored camera and its new values (see DirectoryWriteGate).
        let result = try await DirectoryImporter(database: req.db).apply(
            url: URL(fileURLWithPath: pending.storedPath), context: ChangeContext(actor: user.username, source: "import:\(pending.id)"),
            gate: req.application.sharing.importGate(for: principal))
        try await ImportStore(database: req.db).mark(id: pending.id, status: .applied, summary: result.summary)
        try await req.application.sharing.auditImportRefusals(result.refusals, importID: pending.id, principal: principal,
                                                              clientAddress: req.clientAddress)
        try await req.audit(.directoryImport, target: "import:\(pending.id)",
                            detail: "\(pending.filename): \(result.summary.rows) rows, \(result.summary.inserted) new, "
                                + "\(result.summary.updated) updated, \(result.refusals.count) refused")
        return ImportDTO(id: pending.id, filename: pending.filename, status: PendingImport.Status.applied.rawValue, summary: result.summary,
                         findings: result.findings.prefix(1000).map { FindingDTO($0, language: req.language) },
                         refusals: result.refusals.prefix(1000).map { RefusalDTO($0, language: req.language) },
                         createdAt: pending.createdAt, appliedAt: Date())
    }

    func discard(req: Request) async throws -> HTTPStatus {
        try await req.authorize(.importDirectory)
        let pending = try await findPending(req)
        try await ImportStore(database: req.db).mark(id: pending.id, status: .discarded)
        try? FileManager.default.removeItem(atPath: pending.storedPath)
        return .noContent
    }

    func export(req: Request) async throws -> Response {
        try await req.authorize(.readDirectory)
        let format = DirectoryExporter.Format(rawValue: req.query[String.self, at: "format"] ?? "csv") ?? .csv
        let query = try CameraQuery(request: req)
        let url = try PrivateFiles.temporaryFolder(dataDirectory: config.dataDirectory).appendingPathComponent("export-\(UUID().uuidString).\(format.rawValue)")
        try await DirectoryExporter(store: CameraStore(database: req.db)).export(to: url, format: format, query: query,
                                                                                  layout: ExportLayout(includeExtras: req.query[Bool.self, at: "extras"] ?? false))
        let response = try await req.fileio.asyncStreamFile(at: url.path) { _ in try? FileManager.default.removeItem(at: url) }
        response.headers.replaceOrAdd(name: .contentType, value: format == .csv ? "text/csv; charset=utf-8"
                                      : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"directory.\(format.rawValue)\"")
        return response
    }

    /// The rectification report, plus what devices report that nobody filed (issue 3: "unknown codes
    /// are kept as discovered, not filed and become directory findings"), counted per device.
    func report(req: Request) async throws -> Response {
        try await req.authorize(.readDirectory)
        let report = try await CameraStore(database: req.db).rectificationReport()
        struct Row: Decodable { let device_code: String; let n: Int }
        let discovered = try await req.db.sql().select().column("device_code")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("device_channels")
            .where("filed", .equal, false).groupBy("device_code").orderBy("device_code").all(decoding: Row.self)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        var object = try JSONSerialization.jsonObject(with: encoder.encode(report)) as? [String: Any] ?? [:]
        object["discoveredNotFiled"] = [
            "count": discovered.reduce(0) { $0 + $1.n },
            "byDevice": discovered.map { ["device": $0.device_code, "count": $0.n] as [String: Any] },
            "rule": "discovered_not_filed",
            "message": ["zh": "设备上报了未登记的通道：请登记或核实", "en": "devices report channels that are not filed: file or check them"],
        ] as [String: Any]
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(data: try JSONSerialization.data(withJSONObject: object)))
    }

    func duplicates(req: Request) async throws -> [DuplicateGroup] {
        try await req.authorize(.readDirectory)
        let radius = req.query[Double.self, at: "radius"] ?? config.duplicateRadiusMetres
        guard radius > 0 && radius <= 1000 else { throw APIError.badRequest("半径应在0-1000米之间", "radius must be within 0-1000 m") }
        return try await CameraStore(database: req.db).duplicateGroups(radiusMetres: radius, divisionPrefix: req.query[String.self, at: "division"])
    }

    func statistics(req: Request) async throws -> DirectoryStatistics {
        try await req.authorize(.readReference)
        return try await CameraStore(database: req.db).statistics(divisionPrefix: req.query[String.self, at: "division"])
    }
}

extension ImportSummary: Content {}
extension RectificationReport: Content {}
extension DuplicateGroup: Content {}
extension DirectoryStatistics: Content {}
