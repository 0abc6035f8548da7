import NIOCore

/// A viewer's events → fragmented MP4 for MSE (HTTP chunked, WebSocket): an initialization segment
/// first and again whenever the codec parameters change (the player must then re-create its source
/// buffer), then one fragment per frame (lowest latency) or per GOP.
public struct FragmentedMP4ViewerWriter {
    public let mode: FragmentedMP4Muxer.FragmentMode
    public private(set) var muxer: FragmentedMP4Muxer?
    public private(set) var initializationSegments = 0
    public private(set) var fragments = 0
    public private(set) var bytesOut = 0

    /// Carried into every initialization segment (e.g. the audit entry of a download).
    public let comment: String?

    public init(mode: FragmentedMP4Muxer.FragmentMode = .perFrame, comment: String? = nil) {
        self.mode = mode
        self.comment = comment
    }

    /// `video/mp4; codecs="..."` for `addSourceBuffer`, once parameters arrived.
    public var mimeType: String? { muxer?.mimeType }

    /// The bytes to send for this event, in order (often none: a fragment closes on the next frame).
    public mutating func write(_ event: ViewerEvent) -> [ByteBuffer] {
        var out: [ByteBuffer] = []
        switch event {
        case let .parameters(parameters):
            if let last = muxer?.flush() { out.append(last) }
            var fresh = FragmentedMP4Muxer(video: parameters.video, audio: parameters.audio, mode: mode)
            fresh.comment = comment
            muxer = fresh
            out.append(fresh.initializationSegment())
            initializationSegments += 1
        case let .frame(frame):
            if let fragment = muxer?.append(frame) {
                out.append(fragment)
            }
        }
        count(out, initSegment: { if case .parameters = event { true } else { false } }())
        return out
    }

    /// The last fragment, at the end of the stream.
    public mutating func finish() -> ByteBuffer? {
        guard let last = muxer?.flush() else { return nil }
        count([last], initSegment: false)
        return last
    }

    private mutating func count(_ out: [ByteBuffer], initSegment: Bool) {
        fragments += out.count - (initSegment ? 1 : 0)
        bytesOut += out.reduce(0) { $0 + $1.readableBytes }
    }
}
