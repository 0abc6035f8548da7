import App
import Foundation

/// Small measuring tools shared by the benchmarks.
enum BenchClock {
    static func seconds(_ body: () async throws -> Void) async rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try await body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}

enum Percentile {
    static func of(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let index = min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))
        return sorted[index]
    }
}

enum ProcessFigures {
    /// Resident set size in MiB, from /proc/self/status.
    static func residentMiB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kb / 1024
    }
}

/// Where the benchmark's PostgreSQL comes from: a URL given, or the throwaway server
/// `scripts/start-test-postgres` starts on 127.0.0.1 (the same one the tests use).
enum BenchPostgres {
    static func url(option: String?) -> String? {
        if let option, option != "auto" { return option == "none" ? nil : option }
        if let url = ProcessInfo.processInfo.environment["GBSHARE_TEST_POSTGRES_URL"] { return url }
        let script = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("scripts/start-test-postgres").path
        guard FileManager.default.isExecutableFile(atPath: script) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: script)
        let pipe = Pipe()
        process.standardOutput = pipe
        do {
            try process.run()
            process.waitUntilExit()
        } catch {
            return nil
        }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        guard process.terminationStatus == 0, let range = output.range(of: "postgres://") else { return nil }
        return String(output[range.lowerBound...]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A fresh database per run, so figures are not flattered by a warm, full table.
    static func freshDatabase(baseURL: String, name: String) throws -> String {
        let psql = Process()
        psql.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        let adminURL = baseURL.replacingOccurrences(of: "?tlsmode=disable", with: "")
        psql.arguments = [adminURL, "-q", "-c", "DROP DATABASE IF EXISTS \(name)", "-c", "CREATE DATABASE \(name)"]
        try psql.run()
        psql.waitUntilExit()
        guard psql.terminationStatus == 0 else { throw BenchError("psql could not create database \(name)") }
        guard let slash = baseURL.range(of: "/", options: .backwards, range: baseURL.range(of: "@")!.upperBound..<baseURL.endIndex) else {
            throw BenchError("cannot read the database name in \(baseURL)")
        }
        let query = baseURL[slash.upperBound...].drop { $0 != "?" }
        return baseURL[..<slash.upperBound] + name + query
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
