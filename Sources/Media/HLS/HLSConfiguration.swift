/// HLS with fMP4 segments (RFC 8216bis): how long segments are, how many stay in memory, and how their
/// URIs are spelled in the playlist (App's routes serve them).
public struct HLSConfiguration: Sendable {
    /// Segments are cut at the first keyframe at or after this much media (the issue: default 2 s).
    public var targetDuration: Duration = .seconds(2)
    /// The ring of segments kept and listed (RFC 8216bis 6.2.2: at least three target durations of a
    /// live playlist should stay available).
    public var segmentsKept = 6
    /// Appended to every URI, e.g. "?token=..." when App authorises segment requests.
    public var uriSuffix = ""

    public init() {}

    public func initializationSegmentURI(_ version: Int) -> String { "init-\(version).mp4" + uriSuffix }
    public func segmentURI(_ number: Int) -> String { "segment-\(number).m4s" + uriSuffix }

    /// The segment number in a URI this configuration wrote ("segment-12.m4s" → 12).
    public static func segmentNumber(in uri: String) -> Int? {
        guard uri.hasPrefix("segment-"), let dot = uri.firstIndex(of: ".") else { return nil }
        return Int(uri[uri.index(uri.startIndex, offsetBy: 8)..<dot])
    }

    /// The initialization segment version in a URI ("init-2.mp4" → 2).
    public static func initializationSegmentVersion(in uri: String) -> Int? {
        guard uri.hasPrefix("init-"), let dot = uri.firstIndex(of: ".") else { return nil }
        return Int(uri[uri.index(uri.startIndex, offsetBy: 5)..<dot])
    }
}
