import Directory
import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import Sharing

/// A real database for a test: a fresh SQLite file, or a fresh schema in the PostgreSQL that
/// `scripts/test` starts (GBSHARE_TEST_POSTGRES_URL), with the directory and sharing migrations.
final class SharingTestDatabase: Sendable {
    enum Kind: String, CaseIterable, Sendable, CustomStringConvertible {
        case sqlite, postgres
        var description: String { rawValue }
    }

    let databases: Databases
    let threadPool: NIOThreadPool
    let database: any Database
    let kind: Kind
    /// A folder for anchor files and the like, removed with the database.
    let folder: URL

    var sql: any SQLDatabase { database as! any SQLDatabase }

    static func make(_ kind: Kind) async throws -> SharingTestDatabase {
        let threadPool = NIOThreadPool(numberOfThreads: 2)
        threadPool.start()
        let group = MultiThreadedEventLoopGroup.singleton
        let databases = Databases(threadPool: threadPool, on: group)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gbshare-sharing-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        switch kind {
        case .sqlite:
            databases.use(.sqlite(.file(folder.appendingPathComponent("test.sqlite").path)), as: .sqlite)
        case .postgres:
            guard let url = ProcessInfo.processInfo.environment["GBSHARE_TEST_POSTGRES_URL"] else { throw NoPostgres() }
            let schema = "s_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            var configuration = try SQLPostgresConfiguration(url: url)
            configuration.searchPath = [schema]
            let setup = Databases(threadPool: threadPool, on: group)
            setup.use(.postgres(configuration: try SQLPostgresConfiguration(url: url)), as: .psql)
            guard let admin = setup.database(logger: Logger(label: "test"), on: group.any()) as? any SQLDatabase else { throw NoPostgres() }
            try await admin.raw("CREATE SCHEMA \(unsafeRaw: schema)").run()
            await setup.shutdownAsync()
            databases.use(.postgres(configuration: configuration), as: .psql)
        }
        let logger = Logger(label: "test")
        let migrations = Migrations()
        migrations.add(DirectoryMigrations.all)
        migrations.add(SharingMigrations.all)
        let migrator = Migrator(databases: databases, migrations: migrations, logger: logger, on: group.any())
        try await migrator.setupIfNeeded().get()
        try await migrator.prepareBatch().get()
        guard let database = databases.database(logger: logger, on: group.any()) else { throw NoPostgres() }
        return SharingTestDatabase(databases: databases, threadPool: threadPool, database: database, kind: kind, folder: folder)
    }

    private init(databases: Databases, threadPool: NIOThreadPool, database: any Database, kind: Kind, folder: URL) {
        self.databases = databases
        self.threadPool = threadPool
        self.database = database
        self.kind = kind
        self.folder = folder
    }

    func shutdown() async {
        await databases.shutdownAsync()
        try? await threadPool.shutdownGracefully()
        try? FileManager.default.removeItem(at: folder)
    }

    /// Runs `body` with a fresh database and always shuts it down.
    static func with(_ kind: Kind, _ body: (SharingTestDatabase) async throws -> Void) async throws {
        let db = try await make(kind)
        do {
            try await body(db)
        } catch {
            await db.shutdown()
            throw error
        }
        await db.shutdown()
    }
}

struct NoPostgres: Error, CustomStringConvertible {
    var description: String { "GBSHARE_TEST_POSTGRES_URL is not set: run scripts/test, which starts PostgreSQL on 127.0.0.1" }
}
