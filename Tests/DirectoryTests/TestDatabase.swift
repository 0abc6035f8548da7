import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import NIOCore
import NIOPosix
@testable import Directory

/// A real database for a test: a fresh SQLite file in a temporary folder, or a fresh schema in the
/// PostgreSQL that `scripts/test` starts on 127.0.0.1 (its URL in GBSHARE_TEST_POSTGRES_URL).
final class TestDatabase: Sendable {
    enum Kind: String, CaseIterable, Sendable, CustomStringConvertible {
        case sqlite
        case postgres
        var description: String { rawValue }
    }

    let databases: Databases
    let threadPool: NIOThreadPool
    let database: any Database
    let path: String

    /// `migrations` defaults to the directory's whole list; a test of a later migration on a filled
    /// database passes the ones before it and runs the later one itself.
    static func make(_ kind: Kind, migrations list: [any Migration] = DirectoryMigrations.all) async throws -> TestDatabase {
        let threadPool = NIOThreadPool(numberOfThreads: 2)
        threadPool.start()
        let group = MultiThreadedEventLoopGroup.singleton
        let databases = Databases(threadPool: threadPool, on: group)
        let path: String
        switch kind {
        case .sqlite:
            path = FileManager.default.temporaryDirectory.appendingPathComponent("gbshare-test-\(UUID().uuidString).sqlite").path
            databases.use(.sqlite(.file(path)), as: .sqlite)
        case .postgres:
            guard let url = ProcessInfo.processInfo.environment["GBSHARE_TEST_POSTGRES_URL"] else {
                throw TestDatabaseError.noPostgres
            }
            // Each test gets its own schema so tests run in parallel without seeing each other.
            path = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            var configuration = try SQLPostgresConfiguration(url: url)
            configuration.searchPath = [path]
            let setup = Databases(threadPool: threadPool, on: group)
            setup.use(.postgres(configuration: try SQLPostgresConfiguration(url: url)), as: .psql)
            guard let admin = setup.database(logger: Logger(label: "test"), on: group.any()) as? any SQLDatabase else {
                throw TestDatabaseError.noPostgres
            }
            try await admin.raw("CREATE SCHEMA \(unsafeRaw: path)").run()
            await setup.shutdownAsync()
            databases.use(.postgres(configuration: configuration), as: .psql)
        }
        let logger = Logger(label: "test")
        let migrations = Migrations()
        migrations.add(list)
        let migrator = Migrator(databases: databases, migrations: migrations, logger: logger, on: group.any())
        try await migrator.setupIfNeeded().get()
        try await migrator.prepareBatch().get()
        guard let database = databases.database(logger: logger, on: group.any()) else { throw TestDatabaseError.noPostgres }
        return TestDatabase(databases: databases, threadPool: threadPool, database: database, path: path)
    }

    private init(databases: Databases, threadPool: NIOThreadPool, database: any Database, path: String) {
        self.databases = databases
        self.threadPool = threadPool
        self.database = database
        self.path = path
    }

    func shutdown() async {
        await databases.shutdownAsync()
        try? await threadPool.shutdownGracefully()
    }
}

enum TestDatabaseError: Error, CustomStringConvertible {
    case noPostgres

    var description: String {
        "GBSHARE_TEST_POSTGRES_URL is not set: run scripts/test, which installs and starts PostgreSQL on 127.0.0.1"
    }
}

