import Foundation
import Media

/// The video a simulated camera sends: the clips shipped in Resources (10 s of 1280x720 25 fps testsrc2
/// with a burnt-in clock, see Resources/README.md) or a file given with `--clip`.
public enum SimulatedClip {
    /// The shipped clip in `codec` (H.264 or H.265).
    public static func builtIn(_ codec: MediaCodec) throws(SimulatedClipError) -> PSReplayProgram {
        guard codec == .h264 || codec == .h265 else { throw .unsupportedCodec(codec.rawValue) }
        let ext = codec.rawValue
        guard let url = Bundle.module.url(forResource: "clip-720p25", withExtension: ext) else {
            throw .missingResource("clip-720p25.\(ext)")
        }
        return try load(url)
    }

    /// A clip file: Annex B `.h264`/`.264`, `.h265`/`.265`/`.hevc`, or a PS file (`.ps`, `.mpg`).
    public static func load(_ url: URL) throws(SimulatedClipError) -> PSReplayProgram {
        let bytes: [UInt8]
        do { bytes = Array(try Data(contentsOf: url)) } catch { throw .unreadable(path: url.path, reason: "\(error)") }
        let program: PSReplayProgram
        switch url.pathExtension.lowercased() {
        case "h264", "264": program = PSReplayProgram(annexB: bytes, codec: .h264)
        case "h265", "265", "hevc": program = PSReplayProgram(annexB: bytes, codec: .h265)
        case "ps", "mpg", "mpeg": program = PSReplayProgram(psFile: bytes)
        default: throw .unknownFormat(path: url.path)
        }
        guard program.frames.contains(where: \.isKeyframe) else { throw .noVideo(path: url.path) }
        return program
    }

    /// The clip from frame `first` on, then from its start, respaced so a restarted sender's timestamps
    /// still grow by one frame duration per frame.
    static func program(_ program: PSReplayProgram, startingAt first: Int) -> PSReplayProgram {
        guard first % program.frames.count != 0 else { return program }
        let split = first % program.frames.count
        let order = program.frames[split...] + program.frames[..<split]
        let frames = order.enumerated().map { index, frame in
            var frame = frame
            frame.pts = Int64(index) * program.frameDuration
            frame.dts = frame.pts
            return frame
        }
        return PSReplayProgram(frames: frames)
    }
}

/// Why a clip cannot be used; each says what to give instead.
public enum SimulatedClipError: Error, Sendable, Equatable, CustomStringConvertible {
    case unsupportedCodec(String)
    case missingResource(String)
    case unreadable(path: String, reason: String)
    case unknownFormat(path: String)
    case noVideo(path: String)

    public var description: String {
        switch self {
        case .unsupportedCodec(let codec): "no built-in clip for \(codec): use --codec h264 or h265, or --clip FILE"
        case .missingResource(let name): "the built-in clip \(name) is missing from the GBSimulator bundle: rebuild, or use --clip FILE"
        case .unreadable(let path, let reason): "cannot read the clip \(path): \(reason)"
        case .unknownFormat(let path): "\(path): give an Annex B .h264/.h265 elementary stream or a .ps program stream"
        case .noVideo(let path): "\(path) holds no H.264/H.265 keyframe: give an Annex B stream or a PS file with video"
        }
    }
}
