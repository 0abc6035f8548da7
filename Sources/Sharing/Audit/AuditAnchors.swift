import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A chain head written outside the database: position, hash, time.
public struct AuditAnchor: Sendable, Hashable {
    public var seq: Int64
    public var entryHash: String
    public var at: Date

    public init(seq: Int64, entryHash: String, at: Date) {
        self.seq = seq
        self.entryHash = entryHash
        self.at = at
    }

    /// One line: `<seq> <entry hash> <ISO 8601 time>`.
    var line: String { "\(seq) \(entryHash) \(ISO8601DateFormatter().string(from: at))\n" }

    init?(line: Substring) {
        let parts = line.split(separator: " ")
        guard parts.count >= 2, let seq = Int64(parts[0]), parts[1].count == 64 else { return nil }
        self.seq = seq
        self.entryHash = String(parts[1])
        self.at = parts.count > 2 ? ISO8601DateFormatter().date(from: String(parts[2])) ?? Date(timeIntervalSince1970: 0) : Date(timeIntervalSince1970: 0)
    }
}

/// The anchor log: a plain append-only text file beside the database (data/audit/anchors.log).
/// Whoever can rewrite the audit table and also this file can hide a change; keeping the file on
/// other storage, or forwarding it (the syslog forwarder sends every entry's hash too), closes that.
public struct AuditAnchorFile: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public func append(_ anchor: AuditAnchor) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o640)
        guard fd >= 0 else { throw AnchorError.cannotOpen(path, errno) }
        defer { close(fd) }
        let bytes = Array(anchor.line.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw AnchorError.cannotWrite(path, errno) }
        // The anchor is only worth something once it is on disk.
        _ = fsync(fd)
    }

    /// Every anchor in the file, in order; unreadable lines are skipped (verify reports the count).
    public func read() throws -> (anchors: [AuditAnchor], unreadable: Int) {
        guard FileManager.default.fileExists(atPath: path) else { return ([], 0) }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var anchors: [AuditAnchor] = []
        var unreadable = 0
        for line in text.split(whereSeparator: \.isNewline) where !line.isEmpty {
            if let anchor = AuditAnchor(line: line) { anchors.append(anchor) } else { unreadable += 1 }
        }
        return (anchors, unreadable)
    }

    public enum AnchorError: Error, CustomStringConvertible {
        case cannotOpen(String, Int32)
        case cannotWrite(String, Int32)

        public var description: String {
            switch self {
            case .cannotOpen(let path, let code): "cannot open anchor file \(path) (errno \(code))"
            case .cannotWrite(let path, let code): "cannot write anchor file \(path) (errno \(code))"
            }
        }
    }
}
