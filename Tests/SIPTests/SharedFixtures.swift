import Foundation
import NIOCore
import Testing

/// Files under /work/shared, found from this source file: Tests/SIPTests/X.swift → package root
/// → ../shared (CI clones the repo beside `shared`). Symlinks are resolved so a dev harness that
/// links Tests/SIPTests into another package still finds the real checkout.
enum SharedFixtures {
    static let sharedDirectory: URL = {
        let file = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        let packageRoot = file.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }()

    static let rfc4475Directory = sharedDirectory.appendingPathComponent("peers/rfc4475")

    static func bytes(_ url: URL) throws -> ByteBuffer {
        let data = try Data(contentsOf: url)
        return ByteBuffer(bytes: data)
    }

    struct ManifestRow: Sendable, CustomTestStringConvertible {
        var file: String
        var section: String
        var title: String
        var kind: String
        var summary: String
        var testDescription: String { "\(file) (\(kind))" }
    }

    static let rfc4475Manifest: [ManifestRow] = {
        let url = rfc4475Directory.appendingPathComponent("MANIFEST.tsv")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard columns.count >= 5 else { return nil }
            return ManifestRow(file: columns[0], section: columns[1], title: columns[2], kind: columns[3], summary: columns[4])
        }
    }()
}
