import Directory
import Fluent
import Foundation
import GBCore
import Sharing
import Vapor

/// The video platforms departments run (spec section 3).
struct PlatformRoutes {
    let config: GBShareConfig

    func boot(routes: any RoutesBuilder) {
        let platforms = routes.grouped("platforms")
        platforms.get(use: list)
        platforms.post(use: save)
        platforms.get(":key", use: get)
        platforms.on(.POST, "imports", body: .collect(maxSize: ByteCount(value: config.maxUploadMegabytes * 1_048_576)), use: importFile)
    }

    struct PlatformDTO: Content {
        var id: Int
        var record: PlatformRecord
        var problems: [String]
        var updatedAt: Date

        init(_ platform: StoredPlatform, language: Language) {
            id = platform.id
            record = platform.record
            problems = platform.problems.map { $0.text(for: language) }
            updatedAt = platform.updatedAt
        }
    }

    func list(req: Request) async throws -> [PlatformDTO] {
        try await req.authorize(.readDirectory)
        return try await PlatformStore(database: req.db).all().map { PlatformDTO($0, language: req.language) }
    }

    func get(req: Request) async throws -> PlatformDTO {
        try await req.authorize(.readDirectory)
        let key = req.parameters.get("key") ?? ""
        guard let platform = try await PlatformStore(database: req.db).platform(key: key) else { throw APIError.notFound(key) }
        return PlatformDTO(platform, language: req.language)
    }

    func save(req: Request) async throws -> PlatformDTO {
        try await req.authorize(.managePlatforms)
        let record = try req.content.decode(PlatformRecord.self)
        guard !record.key.isEmpty else { throw APIError.badRequest("平台须有编码或名称", "a platform needs a code or a name") }
        let saved = try await PlatformStore(database: req.db).save(record).platform
        try await req.audit(.platformEdit, target: "platform:\(record.key)", detail: "saved")
        return PlatformDTO(saved, language: req.language)
    }

    struct Upload: Content { var file: File }

    struct ImportOutcomeDTO: Content {
        var rows: Int
        var saved: Int
        var unchanged: Int
        var problems: [ProblemDTO]
        struct ProblemDTO: Content { var row: Int; var message: String }
    }

    func importFile(req: Request) async throws -> ImportOutcomeDTO {
        try await req.authorize(.managePlatforms)
        let upload = try req.content.decode(Upload.self)
        let url = try PrivateFiles.temporaryFolder(dataDirectory: req.application.gbshareConfig.dataDirectory).appendingPathComponent("platforms-\(UUID().uuidString)")
        try await req.fileio.writeFile(upload.file.data, at: url.path)
        defer { try? FileManager.default.removeItem(at: url) }
        let outcome = try await PlatformStore(database: req.db).importFile(url: url)
        try await req.audit(.platformEdit, target: "platforms:import", detail: "\(upload.file.filename): \(outcome.saved) saved")
        return ImportOutcomeDTO(rows: outcome.rows, saved: outcome.saved, unchanged: outcome.unchanged,
                                problems: outcome.problems.map { .init(row: $0.row, message: $0.message.text(for: req.language)) })
    }
}

extension PlatformRecord: Content {}
