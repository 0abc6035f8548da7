import Foundation
import Logging
import Media

/// The `StreamSource` of the "H.264 hub": its upstream for a key is the same key on the original hub,
/// transcoded from H.265 to H.264 by ffmpeg (Chromium has no HEVC decoder). One transcode per key
/// however many H.264 viewers, since the H.264 hub starts one upstream per key.
///
/// ```swift
/// let (h264Hub, transcoding) = TranscodingStreamSource.makeHub(upstream: hub, configuration: config)
/// let subscription = await h264Hub.subscribe(.live(camera))   // for a browser without HEVC
/// ```
///
/// `start` takes a transcode slot (`PlayFailure.transcodeLimit` when all are busy), subscribes to the
/// original hub, waits for its parameters (so an upstream failure such as `.deviceOffline` reaches the
/// H.264 viewer as itself), then starts ffmpeg. A camera already sending H.264 is passed through without
/// ffmpeg or slot. ffmpeg exiting or stalling, or the original stream failing, fails the H.264 stream
/// (`IngestEvent.failed`). `stop` kills ffmpeg, leaves the original stream and frees the slot.
///
/// The H.264 hub's `answerTimeout` must cover the original's start-up (its answer, first-RTP and
/// keyframe timeouts), since `start` returns once the original plays.
public final class TranscodingStreamSource: StreamSource {
    public let configuration: TranscodeConfiguration
    private let upstream: StreamHub
    private let logger: Logger

    private struct WeakSink: @unchecked Sendable {
        weak var sink: (any MediaFrameSink & AnyObject)?
    }

    private struct State {
        var sink = WeakSink()
        var slotsInUse = 0
        var sessions: [String: TranscodeSession] = [:]
        var nextID: UInt64 = 0
    }

    private let state = FFmpegLocked(State())

    public init(upstream: StreamHub, configuration: TranscodeConfiguration = .init(),
                logger: Logger = Logger(label: "gbshare.live.transcode")) {
        self.upstream = upstream
        self.configuration = configuration
        self.logger = logger
    }

    /// The hub whose source this is (held weakly: the hub holds its source).
    public func attach(to sink: any MediaFrameSink & AnyObject) {
        state.withLock { $0.sink.sink = sink }
    }

    /// A hub for H.264 viewers of `upstream`, with this source attached. Without `hubConfiguration` it
    /// takes the upstream's, with an answer timeout covering the upstream's whole start-up.
    public static func makeHub(upstream: StreamHub, configuration: TranscodeConfiguration = .init(),
                               hubConfiguration: StreamHubConfiguration? = nil,
                               logger: Logger = Logger(label: "gbshare.live.transcode")) -> (hub: StreamHub, source: TranscodingStreamSource) {
        let source = TranscodingStreamSource(upstream: upstream, configuration: configuration, logger: logger)
        let hub = StreamHub(source: source, configuration: hubConfiguration ?? Self.hubConfiguration(for: upstream.configuration),
                            logger: logger)
        source.attach(to: hub)
        return (hub, source)
    }

    /// The H.264 hub's settings for an upstream hub's: `start` returns once the original plays, so the
    /// answer timeout covers its answer, first RTP and first keyframe (plus ffmpeg's start).
    public static func hubConfiguration(for upstream: StreamHubConfiguration) -> StreamHubConfiguration {
        var c = upstream
        c.answerTimeout = upstream.answerTimeout + upstream.noRTPTimeout + upstream.noKeyframeTimeout + .seconds(5)
        return c
    }

    /// Transcode slots taken (ffmpeg processes running or starting).
    public var activeTranscodes: Int { state.withLock { $0.slotsInUse } }
    public var limit: Int { configuration.maxConcurrentTranscodes }
    /// The ffmpeg pids, for diagnostics.
    public var transcoderProcessIDs: [Int32] { state.withLock { Array($0.sessions.values) }.compactMap(\.pid) }

    // MARK: Slots

    private func takeSlot() throws(PlayFailure) {
        let ok = state.withLock { s in
            guard s.slotsInUse < configuration.maxConcurrentTranscodes else { return false }
            s.slotsInUse += 1
            return true
        }
        guard ok else { throw .transcodeLimit(limit: configuration.maxConcurrentTranscodes) }
    }

    private func releaseSlot() {
        state.withLock { s in s.slotsInUse = max(0, s.slotsInUse - 1) }
    }

    // MARK: StreamSource

    public func start(_ key: StreamKey) async throws -> UpstreamSession {
        guard let sink = state.withLock({ $0.sink.sink }) else {
            throw PlayFailure.transcodeFailed(reason: "no hub attached to the transcoding source")
        }
        try takeSlot()
        var holdsSlot = true
        let subscription = await upstream.subscribe(key)
        do {
            var parameters: StreamParameters?
            for try await event in subscription {
                if case let .parameters(p) = event {
                    parameters = p
                    break
                }
            }
            try Task.checkCancellation()
            guard let parameters else {
                throw PlayFailure.transcodeFailed(reason: "the original stream ended before it played")
            }
            let codec = parameters.video.codec
            switch codec {
            case .h265: break
            case .h264 where configuration.passThroughH264:
                releaseSlot()
                holdsSlot = false
            case .h264:
                throw PlayFailure.transcodeFailed(reason: "the camera sends H.264 already")
            default:
                throw PlayFailure.codecNotSupported(codec: codec.rawValue.uppercased())
            }
            let id: String = state.withLock { s in
                s.nextID += 1
                return "transcode-\(s.nextID)"
            }
            let session = TranscodeSession(id: id, key: key, subscription: subscription, sink: sink,
                                           configuration: configuration, logger: logger,
                                           holdsSlot: holdsSlot, parameters: parameters)
            do {
                try session.begin()
            } catch {
                await session.stop()
                throw PlayFailure.transcodeFailed(reason: "\(error)")
            }
            state.withLock { $0.sessions[id] = session }
            let address = session.pid.map { "ffmpeg pid \($0)" } ?? "pass-through"
            logger.info("transcode started", metadata: ["stream": "\(key)", "via": "\(address)"])
            return UpstreamSession(id: id, receiveAddress: address)
        } catch {
            await subscription.cancel()
            if holdsSlot { releaseSlot() }
            throw error
        }
    }

    public func stop(_ session: UpstreamSession) async {
        guard let running = state.withLock({ $0.sessions.removeValue(forKey: session.id) }) else { return }
        await running.stop()
        if running.holdsSlot { releaseSlot() }
        logger.info("transcode stopped", metadata: ["stream": "\(running.key)"])
    }
}

/// One running key: reads the original stream and feeds a transcoder (or passes H.264 through).
final class TranscodeSession: Sendable {
    let id: String
    let key: StreamKey
    let holdsSlot: Bool
    private let subscription: StreamSubscription
    private let sink: any MediaFrameSink
    private let configuration: TranscodeConfiguration
    private let logger: Logger

    private struct State {
        var transcoder: H265ToH264Transcoder?
        var parameters: StreamParameters
        var reader: Task<Void, Never>?
        var stopping = false
        var failed = false
    }

    private let state: FFmpegLocked<State>

    init(id: String, key: StreamKey, subscription: StreamSubscription, sink: any MediaFrameSink,
         configuration: TranscodeConfiguration, logger: Logger, holdsSlot: Bool, parameters: StreamParameters) {
        self.id = id
        self.key = key
        self.subscription = subscription
        self.sink = sink
        self.configuration = configuration
        self.logger = logger
        self.holdsSlot = holdsSlot
        state = FFmpegLocked(State(parameters: parameters))
    }

    var pid: Int32? { state.withLock { $0.transcoder }?.pid }

    /// Starts ffmpeg (for H.265) and the reader of the original stream.
    func begin() throws {
        let codec = state.withLock { $0.parameters.video.codec }
        if codec == .h265 {
            let transcoder = try makeTranscoder()
            state.withLock { $0.transcoder = transcoder }
        }
        let subscription = subscription
        let reader = Task { [weak self] in
            do {
                for try await event in subscription {
                    guard let self else { return }
                    switch event {
                    case let .parameters(p): await self.parametersChanged(p)
                    case let .frame(frame): self.input(frame)
                    }
                }
                self?.upstreamEnded(nil)
            } catch {
                self?.upstreamEnded(PlayFailure(error))
            }
        }
        state.withLock { $0.reader = reader }
    }

    private func makeTranscoder() throws -> H265ToH264Transcoder {
        let sink = sink, key = key
        return try H265ToH264Transcoder(
            configuration: configuration, logger: logger,
            onFrames: { frames in sink.deliver(frames, to: key) },
            onFailure: { [weak self] reason in self?.fail(.transcodeFailed(reason: reason)) })
    }

    private func input(_ frame: MediaFrame) {
        if let transcoder = state.withLock({ $0.transcoder }) {
            transcoder.push(frame)
        } else if frame.codec != .h265 {
            sink.deliver([frame], to: key)
        }
    }

    /// A new codec set-up in the original stream (a resolution or codec switch): a fresh ffmpeg (the
    /// encoder cannot change size mid-stream), or pass-through for H.264.
    private func parametersChanged(_ parameters: StreamParameters) async {
        let old: (StreamParameters, H265ToH264Transcoder?) = state.withLock { s in
            defer { s.parameters = parameters }
            return (s.parameters, s.transcoder)
        }
        let (was, transcoder) = old
        let same = was.video.codec == parameters.video.codec && was.video.width == parameters.video.width
            && was.video.height == parameters.video.height
        guard !same else { return }
        logger.info("original stream changed, restarting the transcoder", metadata: [
            "stream": "\(key)", "from": "\(was.video.codec) \(was.video.width)x\(was.video.height)",
            "to": "\(parameters.video.codec) \(parameters.video.width)x\(parameters.video.height)"])
        state.withLock { $0.transcoder = nil }
        await transcoder?.stop()
        switch parameters.video.codec {
        case .h265:
            guard holdsSlot else {
                // Started as an H.264 pass-through without a slot; a switch to H.265 needs a new play.
                return fail(.transcodeFailed(reason: "the camera switched from H.264 to H.265"))
            }
            do {
                let next = try makeTranscoder()
                let keep = state.withLock { s in
                    guard !s.stopping else { return false }
                    s.transcoder = next
                    return true
                }
                if !keep { await next.stop() }
            } catch {
                fail(.transcodeFailed(reason: "\(error)"))
            }
        case .h264 where configuration.passThroughH264:
            break
        default:
            fail(.codecNotSupported(codec: parameters.video.codec.rawValue.uppercased()))
        }
    }

    private func upstreamEnded(_ failure: PlayFailure?) {
        fail(failure ?? .transcodeFailed(reason: "the original stream ended"))
    }

    private func fail(_ failure: PlayFailure) {
        let first: Bool = state.withLock { s in
            guard !s.stopping, !s.failed else { return false }
            s.failed = true
            return true
        }
        guard first else { return }
        sink.report(.failed(failure), for: key)
    }

    func stop() async {
        let (transcoder, reader): (H265ToH264Transcoder?, Task<Void, Never>?) = state.withLock { s in
            s.stopping = true
            defer { s.transcoder = nil }
            return (s.transcoder, s.reader)
        }
        reader?.cancel()
        await subscription.cancel()
        await transcoder?.stop()
    }
}
