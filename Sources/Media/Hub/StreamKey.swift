/// Names one upstream: a camera (its 20-digit channel code) and what is asked of it. Every viewer with
/// the same key shares one INVITE (spec §5.2: "request a given live source only once and fan it out").
public struct StreamKey: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        case live
        /// A recording session; `session` tells two playbacks of one camera apart (time range, viewer),
        /// since a playback is paced and positioned for the viewer who asked for it.
        case playback(session: String)
    }

    public var camera: String
    public var kind: Kind

    public init(camera: String, kind: Kind = .live) {
        self.camera = camera
        self.kind = kind
    }

    public static func live(_ camera: String) -> StreamKey { StreamKey(camera: camera, kind: .live) }

    public var description: String {
        switch kind {
        case .live: "\(camera)/live"
        case let .playback(session): "\(camera)/playback:\(session)"
        }
    }
}
