import App
import ArgumentParser
import Directory
import Foundation
import GBCore

/// A directory of N cameras made from the shared sample: each row repeated with a unique code, so
/// the file has the sample's mix of good rows and planted mistakes at any size.
enum SyntheticDirectory {
    static func write(rows: Int, to url: URL) throws {
        let sample = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("../shared/data/directory-sample.csv")
        let text = try String(contentsOf: sample, encoding: .utf8)
        let lines = text.split(whereSeparator: \.isNewline).map(String.init)
        guard let header = lines.first, lines.count > 1 else { throw BenchError("the sample directory is empty") }
        let body = Array(lines.dropFirst())
        var out = header + "\n"
        out.reserveCapacity(rows * (text.utf8.count / lines.count + 8))
        for index in 0..<rows {
            let line = body[index % body.count]
            // Digits 15-20 become the row number: unique codes, same division/industry/type.
            let code = line.prefix { $0 != "," }
            if code.count == 20 {
                out += code.prefix(14) + String(format: "%06d", index % 1_000_000) + line.dropFirst(20) + "\n"
            } else {
                out += line + "\n"
            }
        }
        try out.write(to: url, atomically: true, encoding: .utf8)
    }
}

struct DirectoryImportBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "directory-import",
                                                    abstract: "Import + validate + store N rows into a fresh SQLite file, and into PostgreSQL.")

    @Option(name: .long, help: "Rows in the synthetic file.") var rows = 100_000
    @Option(name: .long, help: "PostgreSQL URL, 'auto' (scripts/start-test-postgres) or 'none'.") var postgres = "auto"

    func run() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gbshare-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("directory-\(rows).csv")
        try SyntheticDirectory.write(rows: rows, to: file)
        let megabytes = Double((try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0) / 1_048_576
        print("directory-import: \(rows) rows, \(String(format: "%.1f", megabytes)) MB CSV")

        let checkSeconds = try await BenchClock.seconds { _ = try DirectoryImporter.check(url: file) }
        print(String(format: "  read + validate only: %.2f s (%.0f rows/s)", checkSeconds, Double(rows) / checkSeconds))

        var sqlite = GBShareConfig()
        sqlite.dataDirectory = folder.appendingPathComponent("data").path
        try await measure(label: "SQLite (\(sqlite.sqlitePath))", config: sqlite, file: file)

        if let base = BenchPostgres.url(option: postgres) {
            var pg = GBShareConfig()
            pg.databaseURL = try BenchPostgres.freshDatabase(baseURL: base, name: "gbshare_bench_import")
            try await measure(label: "PostgreSQL (127.0.0.1)", config: pg, file: file)
        } else {
            print("  PostgreSQL: not measured (no server: install postgresql or pass --postgres URL)")
        }
    }

    func measure(label: String, config: GBShareConfig, file: URL) async throws {
        try await GBShareApplication.withApplication(config: config) { app in
            var summary = ImportSummary()
            let first = try await BenchClock.seconds {
                summary = try await DirectoryImporter(database: app.db).apply(url: file, context: ChangeContext(actor: "bench", source: "bench")).summary
            }
            print(String(format: "  %@: import + validate + store %d rows in %.2f s (%.0f rows/s); %d new, %d rows with errors; RSS %.0f MiB",
                         label, summary.rows, first, Double(summary.rows) / first, summary.inserted, summary.rowsWithErrors, ProcessFigures.residentMiB()))
            let again = try await BenchClock.seconds {
                summary = try await DirectoryImporter(database: app.db).apply(url: file, context: ChangeContext(actor: "bench", source: "bench")).summary
            }
            print(String(format: "  %@: re-import of the same file %.2f s (%d unchanged)", label, again, summary.unchanged))
        }
    }
}

struct DirectoryQueryBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "directory-query",
                                                    abstract: "Search latency (p50/p99) over N cameras for every filter of the API.")

    @Option(name: .long, help: "Cameras in the directory.") var rows = 100_000
    @Option(name: .long, help: "Runs of each query.") var iterations = 200
    @Option(name: .long, help: "PostgreSQL URL, 'auto' or 'none'.") var postgres = "none"

    func run() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gbshare-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("directory.csv")
        try SyntheticDirectory.write(rows: rows, to: file)
        var sqlite = GBShareConfig()
        sqlite.dataDirectory = folder.appendingPathComponent("data").path
        try await run(label: "SQLite", config: sqlite, file: file)
        if let base = BenchPostgres.url(option: postgres) {
            var pg = GBShareConfig()
            pg.databaseURL = try BenchPostgres.freshDatabase(baseURL: base, name: "gbshare_bench_query")
            try await run(label: "PostgreSQL", config: pg, file: file)
        }
    }

    func run(label: String, config: GBShareConfig, file: URL) async throws {
        try await GBShareApplication.withApplication(config: config) { app in
            _ = try await DirectoryImporter(database: app.db).apply(url: file, context: ChangeContext(actor: "bench", source: "bench"))
            let store = app.cameraStore
            var all: [Double] = []
            print("directory-query (\(label), \(rows) cameras, \(iterations) runs each, 50 per page):")
            for (name, query) in Self.queries() {
                var times: [Double] = []
                for _ in 0..<iterations {
                    times.append(try await BenchClock.seconds { _ = try await store.search(query) } * 1000)
                }
                all += times
                print(String(format: "  %-34@ p50 %6.2f ms  p99 %6.2f ms", name as NSString, Percentile.of(times, 0.5), Percentile.of(times, 0.99)))
            }
            for (name, query, pages) in [("page 41 by code (cursor)", CameraQuery(), 40), ("page 11 of department 06 (cursor)", Self.department06, 10)] {
                var deep = query
                for _ in 0..<pages { deep.cursor = try await store.search(deep).nextCursor }
                var times: [Double] = []
                for _ in 0..<iterations {
                    times.append(try await BenchClock.seconds { _ = try await store.search(deep) } * 1000)
                }
                all += times
                print(String(format: "  %-34@ p50 %6.2f ms  p99 %6.2f ms", name as NSString, Percentile.of(times, 0.5), Percentile.of(times, 0.99)))
            }
            print(String(format: "  all filters: p50 %.2f ms, p99 %.2f ms (goal: p99 < 20 ms)", Percentile.of(all, 0.5), Percentile.of(all, 0.99)))
        }
    }

    static var department06: CameraQuery {
        var query = CameraQuery()
        query.department = "06"
        return query
    }

    static func queries() -> [(String, CameraQuery)] {
        func query(_ change: (inout CameraQuery) -> Void) -> CameraQuery {
            var query = CameraQuery()
            change(&query)
            return query
        }
        return [
            ("first page, by code", query { _ in }),
            ("division prefix 441523", query { $0.divisionPrefix = "441523" }),
            ("division prefix 4415 (city)", query { $0.divisionPrefix = "4415" }),
            ("division prefix 44 (province)", query { $0.divisionPrefix = "44" }),
            ("division prefix 3401 (none)", query { $0.divisionPrefix = "3401" }),
            ("department 06", query { $0.department = "06" }),
            ("point class 1", query { $0.pointClass = "1" }),
            ("camera type 1", query { $0.cameraType = "1" }),
            ("device status 1", query { $0.deviceStatus = "1" }),
            ("share attribute 2", query { $0.shareAttribute = "2" }),
            ("network status 2", query { $0.networkStatus = "2" }),
            ("text 香洲路 (name/address)", query { $0.text = "香洲路" }),
            ("text 河堤 (two characters)", query { $0.text = "河堤" }),
            ("text with no match", query { $0.text = "不存在的地址" }),
            ("text code fragment", query { $0.text = "0958132000" }),
            ("bounding box", query { $0.boundingBox = [115.6, 23.2, 115.7, 23.3] }),
            ("class 1 of police in 441502", query { $0.pointClass = "1"; $0.department = "06"; $0.divisionPrefix = "441502" }),
            ("police, not shared, offline", query { $0.department = "06"; $0.shareAttribute = "2"; $0.networkStatus = "2" }),
            ("sorted by name, descending", query { $0.sort = .name; $0.descending = true }),
            ("with errors", query { $0.hasErrors = true }),
            ("department 19 with total", query { $0.department = "19"; $0.includeTotal = true }),
        ]
    }
}
