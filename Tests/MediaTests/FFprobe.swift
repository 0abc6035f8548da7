import Foundation

/// Runs Debian's ffprobe (scripts/test installs ffmpeg). Tests that need it fail, never skip, without it.
enum FFprobe {
    static let path = "/usr/bin/ffprobe"

    struct Missing: Error, CustomStringConvertible {
        var description: String { "ffprobe not found at \(FFprobe.path): install it with `apt-get install -y ffmpeg`" }
    }

    struct Failed: Error, CustomStringConvertible {
        let status: Int32
        let stderr: String
        var description: String { "ffprobe exited with \(status): \(stderr)" }
    }

    static func run(_ arguments: [String]) throws -> (stdout: Data, stderr: String) {
        guard FileManager.default.isExecutableFile(atPath: path) else { throw Missing() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read before waiting so a large output cannot fill the pipe and block ffprobe.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failed(status: process.terminationStatus, stderr: stderr) }
        return (stdout, stderr)
    }

    struct Stream: Decodable {
        let codec_name: String?
        let codec_type: String?
        let width: Int?
        let height: Int?
        let nb_read_frames: String?
        let codec_tag_string: String?
    }

    struct StreamsOutput: Decodable { let streams: [Stream] }

    /// `ffprobe -v error -show_streams -count_frames -of json FILE`; stderr must be empty.
    static func streams(_ url: URL) throws -> (streams: [Stream], errors: String) {
        let (stdout, stderr) = try run(["-v", "error", "-show_streams", "-count_frames", "-of", "json", url.path])
        return (try JSONDecoder().decode(StreamsOutput.self, from: stdout).streams, stderr)
    }

    /// PTS (in 90 kHz units for PS) of every video packet, in decode order; nil where ffprobe prints N/A.
    static func packetPTS(_ url: URL) throws -> [Int64?] {
        let (stdout, _) = try run(["-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts",
                                   "-of", "csv=p=0", url.path])
        return String(decoding: stdout, as: UTF8.self).split(whereSeparator: \.isNewline).map { Int64($0) }
    }
}
