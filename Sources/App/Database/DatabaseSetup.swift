import Directory
import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Sharing
import SQLKit
import Vapor

/// Points Fluent at SQLite (the default: a WAL file in the data folder, nothing to install) or at
/// PostgreSQL when `DATABASE_URL` is set, and registers every migration. Both run the same ones.
public enum DatabaseSetup {
    /// How long an SQLite writer waits for another to finish before giving up.
    static let sqliteBusyTimeoutMilliseconds = 10_000

    public static func configure(_ app: Application, config: GBShareConfig) throws {
        if let url = config.databaseURL {
            let configuration = try SQLPostgresConfiguration(url: url)
            app.databases.use(.postgres(configuration: configuration), as: .psql)
        } else {
            try FileManager.default.createDirectory(atPath: config.dataDirectory, withIntermediateDirectories: true)
            app.databases.use(.sqlite(.file(config.sqlitePath), connectionPoolTimeout: .seconds(30)), as: .sqlite)
        }
        app.migrations.add(DirectoryMigrations.all)
        app.migrations.add(AuthMigrations.all)
        app.migrations.add(SharingMigrations.all)
        app.migrations.add(DeviceMigrations.all)
        app.migrations.add(CreateUpperPlatforms())
        app.sharing = SharingService(database: app.db, policy: config.sharing, anchors: AuditAnchorFile(path: config.auditAnchorPath),
                                     forwarder: config.auditSyslog.map { SyslogForwarder(target: $0) },
                                     anchorEvery: config.auditAnchorEvery, logger: app.logger)
        app.lifecycle.use(AuditAnchorAtShutdown())
    }

    /// Brings the schema up to date; nothing else (Sharing's sweeps are `SharingJobs`, started only by
    /// the server). On SQLite it also turns on WAL (kept in the file itself), so readers never
    /// wait for a writer: a 100,000-row import must not stall the console.
    public static func migrate(_ app: Application) async throws {
        if let sql = app.db as? any SQLDatabase, sql.dialect.name == "sqlite" {
            try await sql.raw("PRAGMA journal_mode=WAL").run()
            // Each event loop holds one SQLite connection; two writers at once (a request and the
            // grant sweep, or two requests) would fail at once with "database is locked". A busy
            // timeout makes the second wait its turn instead. It is per connection: set it on each
            // (the pools keep their connection for the application's life).
            for eventLoop in app.eventLoopGroup.makeIterator() {
                if let connection = app.databases.database(logger: app.logger, on: eventLoop) as? any SQLDatabase {
                    try await connection.raw("PRAGMA busy_timeout = \(unsafeRaw: String(Self.sqliteBusyTimeoutMilliseconds))").run()
                }
            }
        }
        try await app.autoMigrate()
    }
}
