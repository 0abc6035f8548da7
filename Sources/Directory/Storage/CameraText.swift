import GBCore
import SQLKit

/// The trigram index behind the directory's text search (name, address or code contains a term).
///
/// The search's meaning stays `name LIKE '%t%' OR address LIKE '%t%' OR code LIKE '%t%'`; the index
/// only narrows which rows that test runs on. On SQLite an FTS5 table with the trigram tokenizer
/// (kept in step by triggers, so every write path, present or future, keeps it current) gives the
/// candidate rows: every trigram of the term must occur in the row, a superset of the LIKE matches,
/// and the LIKE then decides. On PostgreSQL pg_trgm's GIN operator class makes the LIKE itself
/// indexable, so the SQL does not change there.
enum CameraText {
    /// Trigram matching needs at least three characters; shorter terms are searched by LIKE alone.
    static let minimumTermLength = 3
    /// Above this many candidates a term is common, and walking the rows in page order with the LIKE
    /// reaches a page of matches sooner than sorting every candidate.
    static let candidateLimit = 2_000

    static func createSQLiteIndex(on sql: any SQLDatabase) async throws {
        // detail=none keeps no positions: the index is several times smaller and cheaper to fill
        // during a 100,000-row import; the trigrams are ANDed and the LIKE rechecks, so nothing is lost.
        try await sql.raw("""
            CREATE VIRTUAL TABLE cameras_text USING fts5(name, address, code, content='cameras', content_rowid='id',
                tokenize='trigram', detail='none')
            """).run()
        try await sql.raw("""
            CREATE TRIGGER cameras_text_insert AFTER INSERT ON cameras BEGIN
                INSERT INTO cameras_text(rowid, name, address, code) VALUES (new.id, new.name, new.address, new.code);
            END
            """).run()
        try await sql.raw("""
            CREATE TRIGGER cameras_text_delete AFTER DELETE ON cameras BEGIN
                INSERT INTO cameras_text(cameras_text, rowid, name, address, code) VALUES ('delete', old.id, old.name, old.address, old.code);
            END
            """).run()
        try await sql.raw("""
            CREATE TRIGGER cameras_text_update AFTER UPDATE OF name, address, code ON cameras BEGIN
                INSERT INTO cameras_text(cameras_text, rowid, name, address, code) VALUES ('delete', old.id, old.name, old.address, old.code);
                INSERT INTO cameras_text(rowid, name, address, code) VALUES (new.id, new.name, new.address, new.code);
            END
            """).run()
        // A database that already holds cameras gets them indexed now.
        try await sql.raw("INSERT INTO cameras_text(cameras_text) VALUES ('rebuild')").run()
    }

    static func dropSQLiteIndex(on sql: any SQLDatabase) async throws {
        for trigger in ["cameras_text_insert", "cameras_text_delete", "cameras_text_update"] {
            try await sql.raw("DROP TRIGGER IF EXISTS \(ident: trigger)").run()
        }
        try await sql.raw("DROP TABLE IF EXISTS cameras_text").run()
    }

    static let postgresColumns = ["name", "address", "code"]

    /// pg_trgm ships with PostgreSQL's contrib package and is a trusted extension (PostgreSQL 13+),
    /// but a server without contrib, or a role without CREATE on the database, cannot have it: then
    /// the text search stays a scan and nothing else changes.
    static func createPostgresIndexes(on sql: any SQLDatabase) async throws {
        struct Available: Decodable { let n: Int }
        let available = try await sql.raw("SELECT COUNT(*) AS n FROM pg_available_extensions WHERE name = 'pg_trgm'")
            .first(decoding: Available.self)?.n ?? 0
        guard available > 0 else { return }
        // The migrations run outside a transaction, so a refused CREATE EXTENSION leaves nothing behind;
        // one that lost a race with another database's migration finds the extension there below.
        _ = try? await sql.raw("CREATE EXTENSION IF NOT EXISTS pg_trgm").run()
        // The extension lives in one schema per database (wherever it was first created), which need
        // not be on this connection's search_path: name its operator class by schema.
        struct Schema: Decodable { let nspname: String }
        guard let schema = try await sql.raw("""
            SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'
            """).first(decoding: Schema.self)?.nspname else { return }
        for column in postgresColumns {
            try await sql.raw("""
                CREATE INDEX \(ident: "cameras_\(column)_trgm") ON cameras USING gin (\(ident: column) \(ident: schema).gin_trgm_ops)
                """).run()
        }
    }

    static func dropPostgresIndexes(on sql: any SQLDatabase) async throws {
        for column in postgresColumns {
            try await sql.raw("DROP INDEX IF EXISTS \(ident: "cameras_\(column)_trgm")").run()
        }
    }

    /// The FTS5 query for a term: each of its trigrams as a quoted token, all required.
    static func trigramQuery(_ term: String) -> String? {
        // FTS5 counts code points, not Swift's grapheme clusters.
        let scalars = Array(term.unicodeScalars)
        guard scalars.count >= minimumTermLength else { return nil }
        var seen = Set<String>()
        var tokens: [String] = []
        for start in 0...(scalars.count - minimumTermLength) {
            var trigram = ""
            trigram.unicodeScalars.append(contentsOf: scalars[start..<start + minimumTermLength])
            guard seen.insert(trigram).inserted else { continue }
            tokens.append("\"" + trigram.replacingOccurrences(of: "\"", with: "\"\"") + "\"")
        }
        return tokens.joined(separator: " AND ")
    }
}

/// How a search's text term is applied.
enum TextFilter {
    /// No term.
    case none
    /// `name`, `address` or `code` LIKE the pattern, tested row by row.
    case like(String)
    /// The same LIKE, over the rows the trigram index names.
    case candidates(pattern: String, trigrams: String)
    /// The trigram index proves no row can match.
    case nothing

    static func plan(_ text: String?, on sql: any SQLDatabase) async throws -> TextFilter {
        guard let text = text?.trimmedWhitespace, !text.isEmpty else { return .none }
        let term = text.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "")
        let pattern = "%" + term + "%"
        guard sql.dialect.name == "sqlite", let trigrams = CameraText.trigramQuery(term) else { return .like(pattern) }
        // Count candidates up to the limit: a rare term is answered from its candidates, a common one
        // by walking rows in page order, where a page fills within a few hundred rows.
        struct Row: Decodable { let n: Int }
        let count = try await sql.raw("""
            SELECT COUNT(*) AS n FROM (SELECT rowid FROM cameras_text WHERE cameras_text MATCH \(bind: trigrams) \
            LIMIT \(unsafeRaw: String(CameraText.candidateLimit + 1))) AS r
            """).first(decoding: Row.self)?.n ?? 0
        if count == 0 { return .nothing }
        return count > CameraText.candidateLimit ? .like(pattern) : .candidates(pattern: pattern, trigrams: trigrams)
    }

    static func like(_ pattern: String) -> any SQLExpression {
        SQLGroupExpression(SQLBinaryExpression(SQLBinaryExpression(
            SQLBinaryExpression(SQLIdentifier("name"), .like, SQLBind(pattern)), .or,
            SQLBinaryExpression(SQLIdentifier("address"), .like, SQLBind(pattern))), .or,
            SQLBinaryExpression(SQLIdentifier("code"), .like, SQLBind(pattern))))
    }
}
