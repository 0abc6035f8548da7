import Foundation
import NIOCore
@testable import Media

/// Paths and small helpers shared by the Media tests.
enum TestFiles {
    /// Tests/MediaTests/TestSupport.swift → package root.
    static let packageRoot = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let shared = packageRoot.appendingPathComponent("../shared").standardizedFileURL

    static func psSample(_ name: String) throws -> [UInt8] {
        try bytes(shared.appendingPathComponent("peers/ps/\(name)"))
    }

    static func pcap(_ name: String) throws -> [UInt8] {
        try bytes(shared.appendingPathComponent("peers/sipp/pcap/\(name)"))
    }

    static func bytes(_ url: URL) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url))
    }

    static let h264File = "gb_ps_h264_1080p25_zlm.ps"
    static let h265File = "gb_ps_h265_1080p25_zlm.ps"
    static let vobFile = "ffmpeg_vob_h264_1080p25_nopsm.ps"
}

/// "00 00 01 BA ..." → bytes (spaces and newlines ignored).
func hex(_ s: String) -> [UInt8] {
    let digits = s.filter { $0.isHexDigit }
    var out: [UInt8] = []
    var i = digits.startIndex
    while i < digits.endIndex {
        let j = digits.index(i, offsetBy: 2)
        out.append(UInt8(digits[i..<j], radix: 16) ?? 0)
        i = j
    }
    return out
}

func hexString(_ bytes: some Sequence<UInt8>) -> String {
    bytes.map { String(format: "%02X", $0) }.joined(separator: " ")
}

/// Demuxes a whole PS byte array in chunks of `chunk` bytes (to exercise split packets).
func demuxAll(_ bytes: [UInt8], chunk: Int = 1400) -> (frames: [MediaFrame], stats: PSDemuxStats) {
    var demuxer = PSDemuxer()
    var frames: [MediaFrame] = []
    var i = 0
    while i < bytes.count {
        let end = min(bytes.count, i + chunk)
        frames += demuxer.feed(Array(bytes[i..<end]))
        i = end
    }
    frames += demuxer.flush()
    return (frames, demuxer.stats)
}

struct MissingValue: Error, CustomStringConvertible {
    let description: String
}

/// Codec parameters from the first frame (a keyframe with its parameter sets in every sample).
func parameters(of frames: [MediaFrame]) throws -> CodecParameters {
    guard let first = frames.first, let params = CodecParameters(frame: first) else {
        throw MissingValue(description: "no parameter sets in the first of \(frames.count) frames")
    }
    return params
}
