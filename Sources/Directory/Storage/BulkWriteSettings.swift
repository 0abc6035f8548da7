import SQLKit

/// Connection settings for a large write on SQLite (a 100,000-row import). PostgreSQL needs none.
enum BulkWriteSettings {
    /// Pages of cache for the importing connection, in KiB (negative = KiB in SQLite's PRAGMA): the
    /// cameras table and its indexes for 100,000 rows are ~100 MiB, and with the default 2 MiB the
    /// import keeps evicting index pages it needs again a few rows later and spilling dirty ones.
    static let cacheKiB = 65_536

    /// Outside the transaction (SQLite refuses to change the safety level inside one).
    ///
    /// synchronous=NORMAL under WAL (App turns WAL on at start): a commit is appended to the WAL
    /// without waiting for fsync; the WAL is synced at each checkpoint. The database cannot be
    /// corrupted by a crash or power loss; the only loss is the last transactions before a power
    /// cut, never a half-applied one (SQLite docs, "WAL mode ... synchronous=NORMAL is a good
    /// choice"). An import is one transaction that a clerk can simply re-run, so that is safe.
    /// The setting stays on this connection, as it should for the application's other writes.
    static func prepareConnection(_ sql: any SQLDatabase) async throws {
        guard sql.dialect.name == "sqlite" else { return }
        // In rollback-journal mode NORMAL is weaker (an old filesystem can corrupt on power loss): keep FULL there.
        struct Mode: Decodable { let journal_mode: String }
        guard try await sql.raw("PRAGMA journal_mode").first(decoding: Mode.self)?.journal_mode.lowercased() == "wal" else { return }
        try await sql.raw("PRAGMA synchronous = NORMAL").run()
    }

    /// Inside the import's transaction, on the connection it holds.
    static func prepareTransaction(_ sql: any SQLDatabase) async throws {
        guard sql.dialect.name == "sqlite" else { return }
        try await sql.raw("PRAGMA cache_size = \(unsafeRaw: String(-cacheKiB))").run()
        try await sql.raw("PRAGMA temp_store = MEMORY").run()
    }
}

extension BulkWriteSettings {
    /// Rows written by one import above which PostgreSQL's statistics are refreshed at once.
    static let analyzeAfterRows = 10_000

    /// After a large import PostgreSQL's planner still believes the table is as it was (autovacuum
    /// gets to it later, on its own schedule): a directory that went from empty to 100,000 cameras
    /// was searched with plans made for an empty one, and counts read every heap page because no
    /// page was yet marked all-visible. VACUUM cannot run inside a transaction: this runs after the
    /// import commits, and a failure here loses nothing (autovacuum will do the same later).
    static func afterCommit(_ sql: any SQLDatabase, writtenRows: Int) async {
        guard sql.dialect.name == "postgresql", writtenRows >= analyzeAfterRows else { return }
        _ = try? await sql.raw("VACUUM (ANALYZE) cameras").run()
    }
}

/// The cameras table's indexes set aside while an import fills an empty directory, and rebuilt
/// after it. Building an index once from all rows (one sort) costs about a third less than keeping
/// twelve of them up to date row by row, and the first import of a directory is the big one.
/// SQLite only, where the import's transaction holds the only write lock anyway and readers keep
/// their snapshot (with the indexes) until it commits; on PostgreSQL DROP INDEX would lock every
/// reader out of the table for the whole import. The definitions are read back from the schema, so
/// an index a later migration adds is rebuilt too; a failed import rolls the drop back with it.
struct SetAsideIndexes {
    private var definitions: [(name: String, sql: String)] = []

    static func setAside(on sql: any SQLDatabase, tableIsEmpty: Bool) async throws -> SetAsideIndexes {
        var result = SetAsideIndexes()
        guard sql.dialect.name == "sqlite", tableIsEmpty else { return result }
        struct Index: Decodable { let name: String; let sql: String }
        let indexes = try await sql.raw("""
            SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'cameras' AND sql IS NOT NULL
            """).all(decoding: Index.self)
        for index in indexes {
            try await sql.raw("DROP INDEX \(ident: index.name)").run()
            result.definitions.append((index.name, index.sql))
        }
        return result
    }

    func rebuild(on sql: any SQLDatabase) async throws {
        for definition in definitions {
            try await sql.raw("\(unsafeRaw: definition.sql)").run()
        }
    }
}
