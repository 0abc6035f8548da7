import Foundation

/// Playback control carried in INFO inside the playback dialog, `Content-Type: Application/MANSRTSP`
/// (2016 Appendix B, spec §5.7). The inner CSeq is independent of the SIP CSeq.
public struct MANSRTSPRequest: Sendable, Equatable, CustomStringConvertible {
    public enum Method: Sendable, Equatable, CustomStringConvertible {
        case play, pause, teardown
        case other(String)

        init(_ raw: String) {
            switch raw.uppercased() {
            case "PLAY": self = .play
            case "PAUSE": self = .pause
            case "TEARDOWN": self = .teardown
            default: self = .other(raw)
            }
        }

        public var description: String {
            switch self {
            case .play: return "PLAY"
            case .pause: return "PAUSE"
            case .teardown: return "TEARDOWN"
            case .other(let raw): return raw
            }
        }
    }

    /// `Range: npt=...`: seconds relative to the playback start in `t=`.
    public enum Range: Sendable, Equatable {
        /// `npt=now-`: resume where paused.
        case now
        case from(seconds: Int)
    }

    public var method: Method
    public var cseq: Int
    /// 2022 requires 0.25, 0.5, 1, 2, 4; negative = reverse play ⚠️.
    public var scale: Double?
    public var range: Range?
    /// `PauseTime: now` in the standard's examples.
    public var pauseTime: String?
    /// `MANSRTSP/1.0` is sent; 🔧 [W] sends `RTSP/1.0` and devices accept both, so both are parsed.
    public var version: String

    public init(method: Method, cseq: Int, scale: Double? = nil, range: Range? = nil, pauseTime: String? = nil,
                version: String = "MANSRTSP/1.0") {
        self.method = method
        self.cseq = cseq
        self.scale = scale
        self.range = range
        self.pauseTime = pauseTime
        self.version = version
    }

    public static func pause(cseq: Int) -> Self { Self(method: .pause, cseq: cseq, pauseTime: "now") }
    public static func resume(cseq: Int) -> Self { Self(method: .play, cseq: cseq, range: .now) }
    public static func seek(toSecond second: Int, cseq: Int) -> Self { Self(method: .play, cseq: cseq, range: .from(seconds: second)) }
    public static func speed(_ scale: Double, cseq: Int) -> Self { Self(method: .play, cseq: cseq, scale: scale) }
    public static func teardown(cseq: Int) -> Self { Self(method: .teardown, cseq: cseq) }

    /// The body, CRLF after every line (spec §5.7 body lengths: pause/resume/seek 45, speed 40, teardown 32).
    public var description: String {
        var lines = ["\(method) \(version)", "CSeq: \(cseq)"]
        if let scale { lines.append("Scale: \(MANSCDPWriter.decimal(scale))") }
        switch range {
        case .now: lines.append("Range: npt=now-")
        case .from(let seconds): lines.append("Range: npt=\(seconds)-")
        case nil: break
        }
        if let pauseTime { lines.append("PauseTime: \(pauseTime)") }
        return lines.map { $0 + "\r\n" }.joined()
    }

    /// Lenient: LF or CRLF, header names in any case, unknown headers ignored.
    public init(parsing text: String) throws(MANSRTSPError) {
        let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }).map { String($0).trimmed }
            .filter { !$0.isEmpty }
        guard let requestLine = lines.first else { throw .empty }
        let parts = requestLine.split(separator: " ").map(String.init)
        guard parts.count == 2, parts[1].uppercased().hasSuffix("RTSP/1.0") else { throw .badRequestLine(requestLine) }
        var cseq: Int?
        self.init(method: Method(parts[0]), cseq: 0, version: parts[1])
        for line in lines.dropFirst() {
            let header = line.split(separator: ":", maxSplits: 1).map { String($0).trimmed }
            guard header.count == 2 else { continue }
            switch header[0].lowercased() {
            case "cseq": cseq = Int(header[1])
            case "scale": scale = Double(header[1])
            case "pausetime": pauseTime = header[1]
            case "range":
                let value = header[1].lowercased().replacingOccurrences(of: "npt=", with: "")
                let start = value.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
                range = start == "now" ? .now : Double(start).map { .from(seconds: Int($0)) }
            default: continue
            }
        }
        guard let cseq else { throw .missingCSeq }
        self.cseq = cseq
    }
}

public enum MANSRTSPError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case badRequestLine(String)
    case missingCSeq

    public var description: String {
        switch self {
        case .empty: return "MANSRTSP body is empty; answer the INFO with 400."
        case .badRequestLine(let line): return "MANSRTSP request line '\(line)' is not '<METHOD> MANSRTSP/1.0' (or RTSP/1.0); answer 400."
        case .missingCSeq: return "MANSRTSP body has no CSeq header; answer 400."
        }
    }
}
