import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The data folder holds password hashes, sealed device passwords, the audit log and kept uploads: only
/// the account that runs GBShare may read it. Everything the process creates is owner-only (umask 077:
/// folders 0700, files 0600), the data folder is set to 0700 even when it was made earlier with looser
/// rights, and temporary files (exports, uploads in passing) go to a folder inside it rather than /tmp.
enum PrivateFiles {
    static func restrictProcess() {
        umask(0o077)
    }

    /// Creates the data folder if needed and makes it owner-only.
    static func secure(dataDirectory: String) throws {
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: dataDirectory)
    }

    /// `<data>/tmp`, owner-only, for files that exist only while a request runs.
    static func temporaryFolder(dataDirectory: String) throws -> URL {
        let folder = URL(fileURLWithPath: dataDirectory).appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return folder
    }
}
