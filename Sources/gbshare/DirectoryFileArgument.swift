import Foundation

/// The file argument of `directory check` and `directory import`: a path, or `-` for standard input,
/// so that `gbshare simulate --print-directory | gbshare directory import -` files what it prints.
///
/// The readers need a seekable file (XLSX is a zip; CSV's charset is sniffed before reading), so standard
/// input is copied to a private temporary file first; it is removed when the command ends.
struct DirectoryFileArgument {
    let url: URL
    /// What to call the file in messages.
    let name: String
    private let temporary: Bool

    init(_ argument: String) throws {
        guard argument == "-" else {
            url = URL(fileURLWithPath: argument)
            name = argument
            temporary = false
            return
        }
        let data = FileHandle.standardInput.readDataToEndOfFile()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gbshare-stdin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        url = folder.appendingPathComponent("directory")
        try data.write(to: url)
        name = "stdin"
        temporary = true
    }

    /// Removes the copy of standard input, if one was made.
    func discard() {
        if temporary { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
    }
}
