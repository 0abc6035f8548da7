import Foundation
import NIOCore
import Testing
@testable import Media

/// A `StreamSource` whose behaviour a test chooses, counting starts and stops.
actor ScriptedSource: StreamSource {
    enum Behaviour: Sendable {
        case answer
        case fail(PlayFailure)
        case failWith(String)
        /// Never answers (until cancelled).
        case hang
    }

    private(set) var starts = 0
    private(set) var stops = 0
    private(set) var cancelledStarts = 0
    /// Starts that threw (no session, so no stop follows).
    private(set) var failedStarts = 0
    var behaviour: Behaviour
    /// Registers a lease with this ingest on start when set.
    private(set) var ingest: RTPIngestServer?
    var transport: IngestTransport
    /// The SSRC to register (else 200000002, 200000003, ...).
    var fixedSSRC: UInt32?
    /// TCP active: the device's listening address to connect to after the "answer".
    var activePeer: (host: String, port: Int)?
    private(set) var leases: [IngestLease] = []
    private var nextSSRC: UInt32 = 200_000_001

    init(_ behaviour: Behaviour = .answer, ingest: RTPIngestServer? = nil, transport: IngestTransport = .udp) {
        self.behaviour = behaviour
        self.ingest = ingest
        self.transport = transport
    }

    func setBehaviour(_ b: Behaviour) { behaviour = b }
    func attach(_ ingest: RTPIngestServer, ssrc: UInt32? = nil, transport: IngestTransport = .udp,
                activePeer: (host: String, port: Int)? = nil) {
        self.ingest = ingest
        self.fixedSSRC = ssrc
        self.transport = transport
        self.activePeer = activePeer
    }
    /// Leases handed out and not yet released.
    var liveLeases: Int { leases.filter { !$0.isReleased }.count }

    func start(_ key: StreamKey) async throws -> UpstreamSession {
        starts += 1
        do {
            return try await answer(key)
        } catch {
            failedStarts += 1
            throw error
        }
    }

    private func answer(_ key: StreamKey) async throws -> UpstreamSession {
        var lease: IngestLease?
        if let ingest {
            nextSSRC += 1
            let registered = try await ingest.register(ssrc: fixedSSRC ?? nextSSRC, key: key, transport: transport)
            if leases.count < 64 { leases.append(registered) }
            if let activePeer {
                do {
                    try await registered.connect(host: activePeer.host, port: activePeer.port)
                } catch {
                    registered.release()
                    throw error
                }
            }
            lease = registered
        }
        switch behaviour {
        case .answer:
            return UpstreamSession(id: "call-\(starts)", receiveAddress: lease == nil ? "127.0.0.1:30000 UDP" : "",
                                   ssrc: lease?.ssrc ?? 200_000_001, lease: lease)
        case let .fail(failure):
            throw failure
        case let .failWith(text):
            throw TestSourceError(text: text)
        case .hang:
            do {
                try await Task.sleep(for: .seconds(3600))
            } catch {
                cancelledStarts += 1
                throw error
            }
            return UpstreamSession(id: "late", lease: lease)
        }
    }

    func stop(_ session: UpstreamSession) async {
        stops += 1
    }
}

struct TestSourceError: Error, CustomStringConvertible {
    let text: String
    var description: String { text }
}

/// What a viewer task saw.
struct ViewerLog: Sendable {
    var parameters: [StreamParameters] = []
    var frames: [MediaFrame] = []
    var failure: PlayFailure?
    /// Event order: "P" parameters, "K" keyframe, "f" other frame.
    var order = ""
    var firstFrameAfter: Duration?
}

/// Consumes a subscription to its end (or `limit` frames).
func consume(_ subscription: StreamSubscription, limit: Int = .max) async -> ViewerLog {
    var log = ViewerLog()
    let started = ContinuousClock.now
    do {
        for try await event in subscription {
            switch event {
            case let .parameters(p):
                log.parameters.append(p)
                log.order += "P"
            case let .frame(f):
                if log.firstFrameAfter == nil { log.firstFrameAfter = .now - started }
                log.frames.append(f)
                log.order += f.isKeyframe && f.isVideo ? "K" : "f"
                if log.frames.count >= limit { return log }
            }
        }
    } catch let failure as PlayFailure {
        log.failure = failure
    } catch {
        log.failure = .sourceFailed(reason: "\(error)")
    }
    return log
}

enum HubFixtures {
    static let h264Frames: [MediaFrame] = {
        (try? demuxAll(TestFiles.psSample(TestFiles.h264File)).frames) ?? []
    }()
    static let h265Frames: [MediaFrame] = {
        (try? demuxAll(TestFiles.psSample(TestFiles.h265File)).frames) ?? []
    }()

    static func configuration(grace: Duration = .milliseconds(50)) -> StreamHubConfiguration {
        var c = StreamHubConfiguration()
        c.gracePeriod = grace
        // Long: a loaded machine must not turn a slow test into a play failure; failure tests set their own.
        c.answerTimeout = .seconds(60)
        c.noRTPTimeout = .seconds(60)
        c.noKeyframeTimeout = .seconds(60)
        c.mediaStallTimeout = .seconds(60)
        return c
    }
}

/// Polls `condition` every 10 ms for up to `timeout` (long: in a full parallel run the other suites
/// keep the two cooperative threads busy for seconds at a time).
func eventually(_ timeout: Duration = .seconds(20), _ condition: @Sendable () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return await condition()
}
