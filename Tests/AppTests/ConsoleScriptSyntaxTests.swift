import Foundation
import Testing

/// Every script of the web console parses. One stray quote in a translation file (`'the unit's ...'`)
/// stops the whole console at "Loading…" in every browser; node finds it in a second, where the
/// browser suite needs a release-sized build and minutes. scripts/test installs nodejs.
struct ConsoleScriptSyntaxTests {
    static let assets = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/App/Console/assets/js")

    @Test func everyConsoleScriptParses() throws {
        let node = "/usr/bin/node"
        guard FileManager.default.isExecutableFile(atPath: node) else {
            Issue.record("\(node) is missing: apt-get install -y nodejs (scripts/test installs it)")
            return
        }
        let scripts = try Self.scripts()
        #expect(scripts.count > 10, "found only \(scripts.count) scripts under \(Self.assets.path)")
        // As .mjs copies: the console's scripts are ES modules, and node parses a .js file as CommonJS
        // (where `import` is itself the error) or, from 20.19, guesses, hiding the real syntax error.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("console-scripts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for script in scripts {
            let copy = folder.appendingPathComponent(script.path.dropFirst(Self.assets.path.count + 1)
                .replacingOccurrences(of: "/", with: "_") + ".mjs")
            try FileManager.default.copyItem(at: script, to: copy)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: node)
            process.arguments = ["--check", copy.path]
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(script.lastPathComponent) does not parse:\n\(message)")
        }
    }

    static func scripts() throws -> [URL] {
        guard let walker = FileManager.default.enumerator(at: assets, includingPropertiesForKeys: nil) else {
            throw CocoaError(.fileReadNoSuchFile)
        }
        return walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "js" }.sorted { $0.path < $1.path }
    }
}
