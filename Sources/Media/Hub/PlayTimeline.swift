import Foundation
import GBCore

/// The steps of a play, in order (spec §5.1 flow, then the media checks).
public enum PlayStep: Int, Sendable, Comparable, CaseIterable, CustomStringConvertible {
    /// A viewer asked; the device's online state is checked by the source.
    case requested
    /// The source is signalling (INVITE sent, waiting for the answer).
    case inviting
    /// 200 OK received and ACKed: RTP is expected.
    case answered
    /// The first RTP packet of the stream arrived.
    case rtpReceived
    /// The first keyframe with parameter sets arrived: viewers get video.
    case playing

    public static func < (a: PlayStep, b: PlayStep) -> Bool { a.rawValue < b.rawValue }

    public var description: String {
        switch self {
        case .requested: "requested"
        case .inviting: "inviting"
        case .answered: "answered"
        case .rtpReceived: "rtp-received"
        case .playing: "playing"
        }
    }

    public var label: LocalizedText {
        switch self {
        case .requested: LocalizedText(zh: "已请求", en: "requested")
        case .inviting: LocalizedText(zh: "正在点播（INVITE）", en: "inviting")
        case .answered: LocalizedText(zh: "设备已应答，等待 RTP", en: "answered, waiting for RTP")
        case .rtpReceived: LocalizedText(zh: "已收到 RTP，等待关键帧", en: "RTP received, waiting for a keyframe")
        case .playing: LocalizedText(zh: "播放中", en: "playing")
        }
    }
}

/// Which steps a play reached and when, what was noticed on the way, and how it failed.
public struct PlayTimeline: Sendable {
    public struct Entry: Sendable, Equatable {
        public var step: PlayStep
        public var at: Date
        /// Since `requested`.
        public var elapsed: Duration
    }

    public private(set) var entries: [Entry] = []
    public private(set) var failure: PlayFailure?
    /// Things a person should know that did not stop the play (an SSRC mismatch accepted, ...).
    public private(set) var notes: [String] = []
    private let origin: ContinuousClock.Instant

    static let maxNotes = 16

    init(origin: ContinuousClock.Instant = .now) {
        self.origin = origin
    }

    /// The furthest step reached.
    public var reached: PlayStep? { entries.last?.step }

    public func time(of step: PlayStep) -> Duration? { entries.first { $0.step == step }?.elapsed }

    mutating func mark(_ step: PlayStep, now: ContinuousClock.Instant = .now) {
        guard failure == nil, reached.map({ $0 < step }) ?? true else { return }
        entries.append(Entry(step: step, at: Date(), elapsed: now - origin))
    }

    mutating func fail(_ failure: PlayFailure) {
        if self.failure == nil { self.failure = failure }
    }

    mutating func note(_ text: String) {
        if notes.count < Self.maxNotes { notes.append(text) }
    }

    /// One line for a person: the step reached, or the failure.
    public var summary: LocalizedText {
        if let failure { return failure.message }
        return reached?.label ?? PlayStep.requested.label
    }
}
