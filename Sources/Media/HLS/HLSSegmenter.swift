import DequeModule
import Foundation
import NIOCore

/// One stream's HLS: viewer events in, fMP4 segments (moof+mdat of whole GOPs) cut at keyframes near
/// the target duration, kept in a ring, and the media playlist that lists them (RFC 8216bis with
/// EXT-X-VERSION 7 and EXT-X-MAP, what Safari, hls.js and ffmpeg play).
///
/// A codec change (new SPS) starts a new initialization segment: the next segment carries
/// EXT-X-DISCONTINUITY and a new EXT-X-MAP.
public struct HLSSegmenter: Sendable {
    public struct Segment: Sendable {
        public let number: Int
        /// Seconds of media (EXTINF).
        public let duration: Double
        public let data: ByteBuffer
        public let initializationVersion: Int
        public let discontinuity: Bool
        public let videoFrames: Int
    }

    public let configuration: HLSConfiguration
    public private(set) var segments: Deque<Segment> = []
    /// initialization segments by version, while a listed segment uses them.
    private var initializationSegments: [Int: ByteBuffer] = [:]
    private var muxer: FragmentedMP4Muxer?
    private var version = 0
    private var nextNumber = 0
    private var discontinuitySequence = 0
    private var longestSegment = 0.0
    private var isFinished = false

    // The segment being written.
    private var pending = ByteBuffer()
    private var pendingStart: Int64?
    private var pendingFrames = 0
    private var pendingDiscontinuity = false
    private var lastVideoDTS: Int64?
    private var frameDuration: Int64 = 3600

    public init(configuration: HLSConfiguration = HLSConfiguration()) {
        self.configuration = configuration
    }

    public mutating func append(_ event: ViewerEvent) {
        guard !isFinished else { return }
        switch event {
        case let .parameters(parameters):
            closeSegment(endingAt: lastVideoDTS.map { $0 + frameDuration }, flushMuxer: true)
            version += 1
            let fresh = FragmentedMP4Muxer(video: parameters.video, audio: parameters.audio, mode: .perGOP)
            initializationSegments[version] = fresh.initializationSegment()
            muxer = fresh
            pendingDiscontinuity = version > 1
        case let .frame(frame):
            append(frame)
        }
    }

    private mutating func append(_ frame: MediaFrame) {
        guard muxer != nil else { return }
        // The keyframe closes the previous GOP's fragment; the keyframe itself opens the next one.
        if let fragment = muxer?.append(frame) {
            var fragment = fragment
            pending.writeBuffer(&fragment)
        }
        guard frame.isVideo else { return }
        if frame.isKeyframe {
            // Half a frame of slack: camera timestamps come from millisecond clocks (3599/3601 ticks).
            let target = Int64(Self.seconds(configuration.targetDuration) * 90_000) - frameDuration / 2
            if let start = pendingStart, pendingFrames > 0, frame.dts - start >= target {
                closeSegment(endingAt: frame.dts, flushMuxer: false)
            }
            if pendingStart == nil { pendingStart = frame.dts }
        }
        guard pendingStart != nil else { return }
        if let last = lastVideoDTS, frame.dts > last { frameDuration = frame.dts - last }
        lastVideoDTS = frame.dts
        pendingFrames += 1
    }

    /// Ends the stream: the last segment is closed and the playlist gets EXT-X-ENDLIST.
    public mutating func finish() {
        guard !isFinished else { return }
        closeSegment(endingAt: lastVideoDTS.map { $0 + frameDuration }, flushMuxer: true)
        isFinished = true
    }

    private mutating func closeSegment(endingAt end: Int64?, flushMuxer: Bool) {
        if flushMuxer, var last = muxer?.flush() { pending.writeBuffer(&last) }
        defer {
            pending = ByteBuffer()
            pendingStart = nil
            pendingFrames = 0
        }
        guard let start = pendingStart, let end, pendingFrames > 0, pending.readableBytes > 0 else { return }
        let duration = Double(end - start) / 90_000
        longestSegment = max(longestSegment, duration)
        segments.append(Segment(number: nextNumber, duration: duration, data: pending, initializationVersion: version,
                                discontinuity: pendingDiscontinuity, videoFrames: pendingFrames))
        nextNumber += 1
        pendingDiscontinuity = false
        while segments.count > max(1, configuration.segmentsKept), let dropped = segments.popFirst() {
            // RFC 8216bis 4.4.3.3: count the discontinuities that leave the playlist.
            if dropped.discontinuity { discontinuitySequence += 1 }
            if !segments.contains(where: { $0.initializationVersion == dropped.initializationVersion }),
               dropped.initializationVersion != version {
                initializationSegments[dropped.initializationVersion] = nil
            }
        }
    }

    public var mediaSequence: Int { segments.first?.number ?? nextNumber }

    public func segment(_ number: Int) -> ByteBuffer? {
        guard let first = segments.first, number >= first.number else { return nil }
        let index = number - first.number
        return index < segments.count ? segments[index].data : nil
    }

    public func initializationSegment(version: Int) -> ByteBuffer? { initializationSegments[version] }

    /// The media playlist (RFC 8216bis 4.4): `live.m3u8`.
    public func playlist() -> String {
        let target = max(Int(Self.seconds(configuration.targetDuration).rounded(.up)), Int(longestSegment.rounded()))
        var lines = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-TARGETDURATION:\(target)", "#EXT-X-MEDIA-SEQUENCE:\(mediaSequence)"]
        if discontinuitySequence > 0 { lines.append("#EXT-X-DISCONTINUITY-SEQUENCE:\(discontinuitySequence)") }
        // Every segment starts with a keyframe (4.4.2.4).
        lines.append("#EXT-X-INDEPENDENT-SEGMENTS")
        var map: Int?
        for segment in segments {
            if segment.discontinuity { lines.append("#EXT-X-DISCONTINUITY") }
            if segment.initializationVersion != map {
                lines.append("#EXT-X-MAP:URI=\"\(configuration.initializationSegmentURI(segment.initializationVersion))\"")
                map = segment.initializationVersion
            }
            lines.append(String(format: "#EXTINF:%.3f,", segment.duration))
            lines.append(configuration.segmentURI(segment.number))
        }
        if isFinished { lines.append("#EXT-X-ENDLIST") }
        return lines.joined(separator: "\n") + "\n"
    }

    static func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
}
