import Foundation

/// The data folder, made and proven writable before anything opens it: SQLite would otherwise fail
/// later with "unable to open database file", and uploads or the device key at the first use.
enum DataFolder {
    static func prepare(_ path: String) throws(StartupError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw .dataFolderNotWritable(path: path, reason: ConfigFile.reason(error))
        }
        // access(2) answers for root as if every folder were writable; writing a file is the proof.
        let probe = URL(fileURLWithPath: path).appendingPathComponent(".gbshare-write-test-\(getpid())").path
        let descriptor = open(probe, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else {
            throw .dataFolderNotWritable(path: path, reason: String(cString: strerror(errno)).lowercased())
        }
        close(descriptor)
        unlink(probe)
    }
}
