import Foundation
import GB28181
import Logging
import Media
import Sharing
import Synchronization

/// The B2BUA's media side towards an upper platform (CASCADE.md §2 "Upper INVITE"): the upper is a
/// principal of Sharing like a department, so its INVITE is decided and audited as a view (who: the
/// upper, which camera, how long); the stream is the same hub subscription local viewers share (one
/// upstream from the device), re-packetised as PS over RTP with the upper's SSRC.
struct UpperMediaRelay: UpperMediaProvider {
    let sharing: SharingService
    let hub: StreamHub
    /// Where recording sessions are prepared and their MANSRTSP goes down.
    let source: InviteStreamSource
    /// The address in our SDP answer (where the stream leaves from and a TCP listener waits).
    let mediaHost: String
    let bindHost: String
    let logger = Logger(label: "gbshare.cascade.relay")

    /// What a relayed session runs as: the Sharing session on record, and the hub stream it reads (a live
    /// camera's shared stream, or a recording session of its own for a playback or download).
    private struct Started {
        var sessionID: UUID
        var key: StreamKey
        var recording: Bool
    }

    func open(_ request: UpperMediaRequest, ended: @escaping @Sendable (String) -> Void) async throws -> any UpperMediaLeg {
        let principal = Principal.upperPlatform(request.upperID)
        let cut = CutSignal()
        let context = AccessContext(purpose: "上级平台级联调阅 (cascade: upper platform \(request.upperID))", clientAddress: request.receiver)
        let started: Started
        do {
            started = try await begin(request, principal: principal, context: context) { decision in cut.fire(decision) }
        } catch let refusal as UpperMediaRefusal {
            throw refusal
        } catch AccessRefused.unknownCamera {
            throw UpperMediaRefusal(statusCode: 404, reason: "No Such Channel")
        } catch AccessRefused.refused(let decision) {
            throw UpperMediaRefusal(statusCode: 403, reason: "Not Shared With This Platform (\(decision.reason.rawValue))")
        } catch {
            logger.error("upper platform view could not be decided or recorded", metadata: ["upper": "\(request.upperID)", "error": "\(error)"])
            throw UpperMediaRefusal(statusCode: 500, reason: "Audit Unavailable")
        }
        do {
            let leg = try await UpperRelayLeg.open(request, key: started.key, sessionID: started.sessionID, hub: hub, sharing: sharing,
                                                   recordings: started.recording ? source : nil, mediaHost: mediaHost, bindHost: bindHost,
                                                   ended: ended)
            cut.attach { decision in leg.cut("grant ended: \(decision.reason.rawValue)") }
            return leg
        } catch {
            if started.recording { source.forget(session: request.callID) }
            await sharing.endView(started.sessionID)
            throw error
        }
    }

    /// Decides and records the session: live is a view of the shared stream; playback and download are
    /// recording sessions over the offer's `t=` range (a grant covers only footage from its start), each
    /// with its own upstream INVITE to the device, so the upper's seek and speed reach the device.
    private func begin(_ request: UpperMediaRequest, principal: Principal, context: AccessContext,
                       onEnd: @escaping AccessSessionRegistry.EndHandler) async throws -> Started {
        let offer = request.offer
        switch offer.sessionType {
        case .play:
            let ticket = try await sharing.beginView(principal, cameraCode: request.channelID, action: .live, context: context, onEnd: onEnd)
            return Started(sessionID: ticket.session.id, key: StreamKey(camera: request.channelID), recording: false)
        case .playback, .download:
            guard offer.startTime > 0, offer.stopTime > offer.startTime else {
                throw UpperMediaRefusal(statusCode: 488, reason: "Playback Offer Without A Time Range")
            }
            let download = offer.sessionType == .download
            let ticket = try await sharing.beginRecording(principal, cameraCode: request.channelID, action: download ? .download : .playback,
                                                          from: Date(timeIntervalSince1970: TimeInterval(offer.startTime)),
                                                          to: Date(timeIntervalSince1970: TimeInterval(offer.stopTime)),
                                                          context: context, onEnd: onEnd)
            // The upper's Call-ID names the recording session: one upstream per upper session.
            source.prepare(download ? .download(start: offer.startTime, end: offer.stopTime, speed: max(1, offer.video?.downloadSpeed ?? 1))
                                    : .playback(start: offer.startTime, end: offer.stopTime), session: request.callID)
            return Started(sessionID: ticket.session.id, key: StreamKey(camera: request.channelID, kind: .playback(session: request.callID)),
                           recording: true)
        default:
            throw UpperMediaRefusal(statusCode: 488, reason: "Session Type \(offer.sessionType) Is Not Relayed")
        }
    }
}

/// One relayed stream to an upper: the view on record, the hub subscription, the egress and, from the
/// ACK on, the pump.
final class UpperRelayLeg: UpperMediaLeg {
    let answer: UpperMediaAnswer
    private let sessionID: UUID
    /// Set for a playback or download: where its MANSRTSP goes and whose session is forgotten at the end.
    private let recordings: InviteStreamSource?
    private let key: StreamKey
    private let subscription: StreamSubscription
    private let egress: PSRTPEgress
    private let sharing: SharingService
    private let ended: @Sendable (String) -> Void
    private let pump = Mutex<(leg: RelayLeg?, over: Bool)>((nil, false))

    private init(answer: UpperMediaAnswer, key: StreamKey, sessionID: UUID, recordings: InviteStreamSource?, subscription: StreamSubscription,
                 egress: PSRTPEgress, sharing: SharingService, ended: @escaping @Sendable (String) -> Void) {
        self.answer = answer
        self.key = key
        self.sessionID = sessionID
        self.recordings = recordings
        self.subscription = subscription
        self.egress = egress
        self.sharing = sharing
        self.ended = ended
    }

    /// Joins the stream and waits until it plays (its codec parameters arrived), so that a camera that is
    /// offline or sends nothing is refused (480) instead of answered and then hung up.
    static func open(_ request: UpperMediaRequest, key: StreamKey, sessionID: UUID, hub: StreamHub, sharing: SharingService,
                     recordings: InviteStreamSource?, mediaHost: String, bindHost: String,
                     ended: @escaping @Sendable (String) -> Void) async throws -> UpperRelayLeg {
        let subscription = await hub.subscribe(key)
        do {
            var playing = false
            for try await event in subscription {
                if case .parameters = event { playing = true; break }
            }
            guard playing else { throw PlayFailure.sourceFailed(reason: "the stream ended before it started") }
        } catch {
            await subscription.cancel()
            let step = (error as? PlayFailure).map { "\($0.step)" } ?? "source"
            throw UpperMediaRefusal(statusCode: 480, reason: "Camera Stream Unavailable (\(step))")
        }
        let ssrc = request.offer.ssrcValue ?? UInt32.random(in: 1...999_999_999)
        let target: PSRTPEgress.Target = switch request.delivery {
        case .udp(let host, let port): .udp(host: host, port: port)
        case .tcpConnect(let host, let port): .tcpConnect(host: host, port: port)
        case .tcpListen: .tcpListen(bindHost: bindHost)
        }
        let egress: PSRTPEgress
        do {
            egress = try await PSRTPEgress.open(target, ssrc: ssrc, bindHost: bindHost)
        } catch {
            await subscription.cancel()
            throw UpperMediaRefusal(statusCode: 488, reason: "Cannot Reach Offered Media Address")
        }
        return UpperRelayLeg(answer: UpperMediaAnswer(host: mediaHost, port: egress.listenPort ?? 9, ssrc: ssrc),
                             key: key, sessionID: sessionID, recordings: recordings, subscription: subscription, egress: egress,
                             sharing: sharing, ended: ended)
    }

    func start() async {
        do {
            try await egress.waitForReceiver()
        } catch {
            return await finish(reason: "\(error)", tellLink: true)
        }
        let leg = RelayLeg.start(subscription: subscription, egress: egress) { [self] end in
            let reason: String = switch end {
            case .upstreamEnded: "the camera's stream ended"
            case .upstreamFailed(let failure): "the camera's stream failed: \(failure.message.en)"
            case .receiverClosed: "the upper platform closed its RTP connection"
            }
            Task { await self.finish(reason: reason, tellLink: true) }
        }
        let stopNow = pump.withLock { p -> Bool in
            if p.over { return true }
            p.leg = leg
            return false
        }
        if stopNow { await leg.stop() }
    }

    func stop() async { await finish(reason: nil, tellLink: false) }

    /// The upper's seek, speed or pause, to the device session feeding this recording; a live leg has none.
    func control(_ body: [UInt8]) async -> Int {
        guard let recordings else { return 405 }
        return await recordings.control(key, body: body)
    }

    /// A grant change ended the view: the leg stops and the link sends BYE.
    func cut(_ reason: String) { Task { await finish(reason: reason, tellLink: true) } }

    /// Ends once: stops the pump, leaves the stream, records the end of the view, and tells the link
    /// (which sends BYE) when the end came from our side.
    private func finish(reason: String?, tellLink: Bool) async {
        let leg = pump.withLock { p -> RelayLeg?? in
            if p.over { return .none }
            p.over = true
            return .some(p.leg)
        }
        guard let leg else { return }
        if let leg { await leg.stop() } else {
            await subscription.cancel()
            await egress.close()
        }
        if let recordings, case .playback(let session) = key.kind { recordings.forget(session: session) }
        await sharing.endView(sessionID)
        if tellLink, let reason { ended(reason) }
    }
}
