import Foundation

/// Files of the shared folder beside the repository (CI clones the repo next to it).
enum SharedData {
    static let packageRoot = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let folder = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data")

    static var sampleCSV: URL { folder.appendingPathComponent("directory-sample.csv") }
    static var sampleXLSX: URL { folder.appendingPathComponent("directory-sample.xlsx") }

    /// `row,code,field,rule` of the planted mistakes.
    static func plantedFindings() throws -> [(row: Int, field: String, rule: String)] {
        try String(contentsOf: folder.appendingPathComponent("directory-sample.findings.csv"), encoding: .utf8)
            .split(whereSeparator: \.isNewline).dropFirst().map { line in
                let parts = line.split(separator: ",").map(String.init)
                return (Int(parts[0]) ?? -1, parts[2], parts[3])
            }
    }

    static func plantedDuplicates() throws -> [(String, String)] {
        try String(contentsOf: folder.appendingPathComponent("directory-sample.duplicates.csv"), encoding: .utf8)
            .split(whereSeparator: \.isNewline).dropFirst().map { line in
                let parts = line.split(separator: ",").map(String.init)
                return (parts[2], parts[3])
            }
    }

    static func temporaryFile(_ name: String) -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gbshare-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent(name)
    }
}
