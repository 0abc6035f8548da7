import Fluent
import Foundation
import GB28181
import Logging
import Media
import Synchronization

/// The hub's upstream for a filed camera: finds the device that serves it, leases an SSRC (spec
/// §5.3) and an ingest registration, INVITEs, and BYEs on stop. The SSRC lease is freed in exactly
/// one place for an established session, when the platform reports the session ended (our BYE, the
/// device's BYE, the device going offline, shutdown); for an INVITE that failed, at once.
final class InviteStreamSource: StreamSource {
    struct Settings: Sendable {
        var mediaHost: String
        var mode: MediaReceiveMode
        var transport: IngestTransport
    }

    private let signalling: Signalling
    private let database: any Database
    private let allocator: SharedSSRCAllocator
    private let settings: Settings
    private let logger: Logger
    private let ingest = Mutex<RTPIngestServer?>(nil)
    /// Running sessions by Call-ID: the stream they feed and the SSRC to free when they end.
    private let running = Mutex<[String: (key: StreamKey, ssrc: GBSSRC)]>([:])
    /// What a playback/download stream asks the device for, by the session of its `StreamKey`, set
    /// by the route before it subscribes.
    private let recordings = Mutex<[String: MediaRequest]>([:])

    func prepare(_ request: MediaRequest, session: String) { recordings.withLock { $0[session] = request } }
    func forget(session: String) { _ = recordings.withLock { $0.removeValue(forKey: session) } }

    init(signalling: Signalling, database: any Database, allocator: SharedSSRCAllocator, settings: Settings, logger: Logger) {
        self.signalling = signalling
        self.database = database
        self.allocator = allocator
        self.settings = settings
        self.logger = logger
    }

    /// The ingest server is started with the hub as its sink, after the hub that holds this source.
    func attach(_ server: RTPIngestServer) { ingest.withLock { $0 = server } }

    var runningCount: Int { running.withLock { $0.count } }

    /// MANSRTSP (seek, speed, pause) to the device session that feeds a recording stream; the device's
    /// status code, 481 when no session feeds it (not started yet, or already ended).
    func control(_ key: StreamKey, body: [UInt8]) async -> Int {
        guard let service = signalling.service,
              let callID = running.withLock({ $0.first { $0.value.key == key }?.key }) else { return 481 }
        do {
            return try await service.playbackControl(MediaSessionID(callID: callID), body: body)
        } catch {
            logger.warning("playback control not delivered", metadata: ["camera": "\(key.camera)", "error": "\(error)"])
            return 504
        }
    }

    func start(_ key: StreamKey) async throws -> UpstreamSession {
        guard let service = signalling.service, let ingest = ingest.withLock({ $0 }) else {
            throw PlayFailure.sourceFailed(reason: "GB/T 28181 signalling is not running on this node")
        }
        let request: MediaRequest
        switch key.kind {
        case .live:
            request = .live
        case .playback(let session):
            guard let asked = recordings.withLock({ $0[session] }) else {
                throw PlayFailure.sourceFailed(reason: "no time range for recording session \(session)")
            }
            request = asked
        }
        let route = try await ChannelRoute.find(camera: key.camera, service: service, database: database)
        let ssrc: GBSSRC
        do {
            ssrc = try await allocator.allocate(request == .live ? .live : .historical)
        } catch {
            throw PlayFailure.sourceFailed(reason: "no free SSRC: \(error)")
        }
        let lease: IngestLease
        do {
            lease = try await ingest.register(ssrc: ssrc.value, key: key, transport: settings.transport)
        } catch {
            await allocator.release(ssrc)
            throw PlayFailure.sourceFailed(reason: "no RTP port: \(error)")
        }
        do {
            let offer = MediaOffer(request: request, mode: settings.mode, ssrc: ssrc, receiveAddress: settings.mediaHost, receivePort: lease.localPort)
            let session = try await service.invite(deviceID: route.deviceID, channelID: route.channelID, offer: offer)
            running.withLock { $0[session.id.callID] = (key, ssrc) }
            if session.ssrc != ssrc.value {
                logger.info("device answered another SSRC", metadata: ["camera": "\(key.camera)", "offered": "\(ssrc)", "answered": "\(session.ssrc)"])
                try? lease.updateSSRC(session.ssrc)
            }
            lease.expectSource(host: session.deviceMedia.host)
            if let target = session.tcpConnectTarget {
                try await lease.connect(host: target.host, port: target.port)
            }
            return UpstreamSession(id: session.id.callID, ssrc: session.ssrc, lease: lease)
        } catch let error as MediaSessionError {
            lease.release()
            await allocator.release(ssrc)
            throw Self.failure(error)
        } catch {
            // Established but TCP active could not connect: the BYE ends it and frees the SSRC.
            lease.release()
            throw error
        }
    }

    func stop(_ session: UpstreamSession) async {
        guard let service = signalling.service else { return }
        do {
            try await service.bye(MediaSessionID(callID: session.id))
        } catch {
            logger.debug("BYE: \(error)", metadata: ["call": "\(session.id)"])
        }
    }

    /// The platform's report that a session ended, whoever ended it: frees its SSRC, and tells the
    /// hub when the device ended it so viewers hear why at once.
    func sessionEnded(_ ended: MediaSessionEnded, hub: StreamHub) async {
        guard let entry = running.withLock({ $0.removeValue(forKey: ended.id.callID) }) else { return }
        await allocator.release(entry.ssrc)
        switch ended.reason {
        case .deviceBye:
            await hub.upstreamEnded(entry.key, sessionID: ended.id.callID, failure: .deviceEnded(device: ended.deviceID))
        case .deviceOffline:
            await hub.upstreamEnded(entry.key, sessionID: ended.id.callID, failure: .deviceOffline(device: ended.deviceID))
        case .localBye, .serviceStopped:
            break
        }
    }

    static func failure(_ error: MediaSessionError) -> PlayFailure {
        switch error {
        case .deviceNotRegistered(let id), .deviceOffline(let id): .deviceOffline(device: id)
        case let .refused(_, code, reason): .inviteRefused(code: code, reason: reason)
        case let .timeout(_, after): .noAnswer(timeout: after)
        default: .sourceFailed(reason: error.description)
        }
    }
}
