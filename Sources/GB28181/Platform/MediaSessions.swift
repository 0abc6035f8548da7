import Foundation
import NIOCore
import SIP

/// An INVITE in flight. Kept until its client transaction ends, even after the caller gave up (timeout,
/// cancellation, device offline), so a 2xx that crosses the CANCEL is still ACKed and ended with BYE.
struct PendingInvite {
    var deviceID: String
    var channelID: String
    var offer: MediaOffer
    var sdp: GBSessionDescription
    var request: SIPRequest
    var endpoint: DeviceEndpoint
    /// nil once the caller got its answer (timeout, cancelled, offline): the INVITE is then only cleaned up.
    var waiter: CheckedContinuation<Result<MediaSession, MediaSessionError>, Never>?
    var timer: Task<Void, Never>?
}

/// An established session and the dialog to end it in.
struct ActiveMediaSession {
    var session: MediaSession
    var dialog: SIPDialog
    var endpoint: DeviceEndpoint
}

struct MediaSessionTable {
    var pending: [MediaSessionID: PendingInvite] = [:]
    var active: [MediaSessionID: ActiveMediaSession] = [:]
}

extension OutgoingRequestFactory {
    /// The INVITE of spec §5.6: Request-URI and To name the channel at the device's address, Contact,
    /// Subject `<channel>:<ssrc>,<platform>:0`, `Content-Type: APPLICATION/SDP`.
    func invite(to endpoint: DeviceEndpoint, channelID: String, callID: String, subject: GBSubject,
                sdp: GBSessionDescription) -> SIPRequest {
        var target = endpoint
        target.deviceID = channelID
        var request = base(.invite, to: target, callID: callID, sequence: 1)
        request.headers.add("Contact", contact.description)
        request.headers.add("Subject", subject.description)
        request.headers.add("Content-Type", "APPLICATION/SDP")
        request.body = ByteBuffer(string: sdp.text)
        return request
    }
}

/// Live view, playback and download sessions (spec §5): INVITE with an SDP offer, ACK, BYE both ways, CANCEL.
///
/// Requests go to where the device really is (received/rport of its REGISTER or latest keepalive, or its
/// TCP connection), like every other request to a registered device. The 2xx ACK and BYE are sent in the
/// dialog (Request-URI = the 200's Contact, route set from Record-Route), to that same address.
extension GBPlatformService {
    /// Invites `channelID` of a registered, online device and returns the session once the device accepted
    /// and the ACK is sent.
    ///
    /// - Throws: `.deviceNotRegistered`, `.deviceOffline`, `.refused` (status and reason of a non-2xx),
    ///   `.timeout` (no final response within `offer.answerTimeout`; a CANCEL was sent), `.cancelled` (the
    ///   calling Task was cancelled or `cancelInvite` was called; a CANCEL was sent), `.invalidAnswer` (a 200
    ///   without a usable SDP: ACKed and ended with BYE), `.transport`, `.duplicateSession`, `.invalidOffer`,
    ///   `.stopped`. Whatever is thrown, no session exists and the caller still owns `offer.ssrc`.
    public func invite(deviceID: String, channelID: String? = nil, offer: MediaOffer) async throws(MediaSessionError) -> MediaSession {
        let channelID = channelID ?? deviceID
        guard !stopped else { throw .stopped }
        guard let device = devices[deviceID] else { throw .deviceNotRegistered(deviceID) }
        guard device.online else { throw .deviceOffline(deviceID) }
        guard media.pending[offer.id] == nil, media.active[offer.id] == nil else { throw .duplicateSession(offer.id) }
        guard (1...65535).contains(offer.receivePort) else { throw .invalidOffer("receive port \(offer.receivePort) is not 1...65535") }
        guard !offer.receiveAddress.isEmpty else { throw .invalidOffer("no receive address") }
        guard !Task.isCancelled else { throw .cancelled(deviceID: deviceID) }
        let endpoint = DeviceEndpoint(deviceID: deviceID, address: device.address, transport: device.transport, charset: device.charset)
        var sdp = GBSessionDescription.offer(offer.request, originID: offer.originID ?? configuration.platformID, channelID: channelID,
                                             address: offer.receiveAddress, port: offer.receivePort, mode: offer.mode, ssrc: offer.ssrc)
        if let stream = offer.streamNumber { sdp.media[0].streamNumber = stream }
        let subject = GBSubject(channelID: channelID, ssrc: offer.ssrc, receiverID: configuration.platformID)
        let request = requests.invite(to: endpoint, channelID: channelID, callID: offer.id.callID, subject: subject, sdp: sdp)
        let id = offer.id
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<MediaSession, MediaSessionError>, Never>) in
                media.pending[id] = PendingInvite(deviceID: deviceID, channelID: channelID, offer: offer, sdp: sdp,
                                                  request: request, endpoint: endpoint, waiter: continuation)
                startInvite(id)
            }
        } onCancel: {
            Task { await self.cancelInvite(id) }
        }
        return try result.get()
    }

    /// Cancels a pending INVITE: its caller gets `.cancelled` at once, a CANCEL goes to the device, and a 2xx
    /// that arrives anyway is ACKed and ended with BYE. False when no INVITE with this ID is waiting.
    @discardableResult
    public func cancelInvite(_ id: MediaSessionID) async -> Bool {
        guard let pending = media.pending[id], pending.waiter != nil else { return false }
        answer(id, .failure(.cancelled(deviceID: pending.deviceID)))
        await layer.cancelInvite(pending.request)
        return true
    }

    /// Ends an established session with BYE. The session is gone (and `mediaSessionEnded` reported with
    /// `.localBye`) whatever the device answers; an error only says the BYE was not confirmed.
    public func bye(_ id: MediaSessionID) async throws(MediaSessionError) {
        guard let active = media.active.removeValue(forKey: id) else { throw .unknownSession(id) }
        reportEnded(active.session, reason: .localBye)
        let (request, endpoint) = byeRequest(active.dialog, active.endpoint)
        let response = try await sendInDialog(request, to: endpoint, deviceID: active.session.deviceID)
        guard response.isSuccess else {
            throw .refused(deviceID: active.session.deviceID, statusCode: response.statusCode, reason: response.reasonPhrase)
        }
    }

    public func mediaSession(_ id: MediaSessionID) -> MediaSession? { media.active[id]?.session }

    /// Established sessions, of one device or all.
    public func mediaSessions(deviceID: String? = nil) -> [MediaSession] {
        media.active.values.map(\.session).filter { deviceID == nil || $0.deviceID == deviceID }
    }

    /// INVITEs still in their client transaction (including ones the caller gave up on).
    public var pendingInviteCount: Int { media.pending.count }

    // MARK: - INVITE client side

    private func startInvite(_ id: MediaSessionID) {
        guard let pending = media.pending[id] else { return }
        let layer = self.layer
        let request = pending.request, endpoint = pending.endpoint, timeout = pending.offer.answerTimeout
        Task {
            let outcome: Result<SIPResponse, any Error>
            do {
                outcome = .success(try await layer.sendRequest(request, to: endpoint.address, transport: endpoint.transport))
            } catch {
                outcome = .failure(error)
            }
            await self.inviteCompleted(id, outcome)
        }
        media.pending[id]?.timer = Task {
            try? await Task.sleep(for: timeout)
            guard !Task.isCancelled else { return }
            await self.inviteTimedOut(id)
        }
    }

    private func inviteTimedOut(_ id: MediaSessionID) async {
        guard let pending = media.pending[id], pending.waiter != nil else { return }
        logger.info("INVITE not answered in time, cancelling", metadata: ["device": "\(pending.deviceID)", "call-id": "\(id)"])
        answer(id, .failure(.timeout(deviceID: pending.deviceID, after: pending.offer.answerTimeout)))
        await layer.cancelInvite(pending.request)
    }

    /// Resumes the caller of `invite` once.
    private func answer(_ id: MediaSessionID, _ result: Result<MediaSession, MediaSessionError>) {
        guard let waiter = media.pending[id]?.waiter else { return }
        media.pending[id]?.waiter = nil
        media.pending[id]?.timer?.cancel()
        waiter.resume(returning: result)
    }

    private func inviteCompleted(_ id: MediaSessionID, _ outcome: Result<SIPResponse, any Error>) async {
        guard let pending = media.pending[id] else { return }
        let deviceID = pending.deviceID
        switch outcome {
        case .failure(let error):
            let failure: MediaSessionError
            switch error as? SIPTransactionError {
            case .timeout(_, let after)?: failure = .timeout(deviceID: deviceID, after: after)
            case .stopped?: failure = .stopped
            default: failure = .transport(deviceID: deviceID, reason: "\(error)")
            }
            if pending.endpoint.transport == .tcp, case .transportFailure = error as? SIPTransactionError {
                connectionFailed(pending.endpoint)
            }
            answer(id, .failure(failure))
            media.pending[id] = nil
        case .success(let response) where !response.isSuccess:
            answer(id, .failure(.refused(deviceID: deviceID, statusCode: response.statusCode, reason: response.reasonPhrase)))
            media.pending[id] = nil
        case .success(let response):
            await accepted(id, pending, response)
        }
    }

    /// A 2xx: ACK it (always, RFC 3261 13.2.2.4), then keep the session, or BYE it when the caller is gone
    /// or the answer is unusable.
    private func accepted(_ id: MediaSessionID, _ pending: PendingInvite, _ response: SIPResponse) async {
        let deviceID = pending.deviceID
        let dialog: SIPDialog
        do {
            dialog = try SIPDialog(uacRequest: pending.request, response: response)
        } catch {
            // Without a To tag there is no dialog to ACK or BYE in.
            answer(id, .failure(.invalidAnswer(deviceID: deviceID, reason: "200 OK without a dialog: \(error)")))
            media.pending[id] = nil
            return
        }
        let ack = dialog.acknowledgement(inviteSequence: dialog.localSequence, via: requests.via(pending.endpoint.transport))
        do {
            try await layer.sendACK(ack, to: pending.endpoint.address, transport: pending.endpoint.transport)
        } catch {
            logger.warning("sending ACK failed", metadata: ["device": "\(deviceID)", "error": "\(error)"])
        }
        let waiting = media.pending[id]?.waiter != nil
        let parsed: Result<GBSessionDescription, SDPError>
        do {
            parsed = .success(try GBSessionDescription(parsing: String(buffer: response.body)))
        } catch {
            parsed = .failure(error)
        }
        guard waiting, !stopped, case .success(let answerSDP) = parsed else {
            if waiting, case .failure(let error) = parsed {
                answer(id, .failure(.invalidAnswer(deviceID: deviceID, reason: error.description)))
            } else {
                answer(id, .failure(stopped ? .stopped : .cancelled(deviceID: deviceID)))
            }
            media.pending[id] = nil
            logger.info("2xx to an abandoned INVITE: ACK and BYE", metadata: ["device": "\(deviceID)", "call-id": "\(id)"])
            sendBestEffortBye(dialog, pending.endpoint)
            return
        }
        let session = makeSession(id, pending, answer: answerSDP)
        media.active[id] = ActiveMediaSession(session: session, dialog: dialog, endpoint: pending.endpoint)
        answer(id, .success(session))
        media.pending[id] = nil
        logger.info("media session established", metadata: [
            "device": "\(deviceID)", "channel": "\(pending.channelID)", "ssrc": "\(session.ssrc)", "media": "\(session.deviceMedia)",
        ])
    }

    private func makeSession(_ id: MediaSessionID, _ pending: PendingInvite, answer: GBSessionDescription) -> MediaSession {
        let video = answer.video
        let signallingIP = pending.endpoint.address.ipAddress ?? ""
        var host = video.flatMap { answer.address(of: $0) } ?? signallingIP
        if host.isEmpty || host == "0.0.0.0" { host = signallingIP }
        return MediaSession(
            id: id, deviceID: pending.deviceID, channelID: pending.channelID, request: pending.offer.request, mode: pending.offer.mode,
            offeredSSRC: pending.offer.ssrc, ssrc: answer.ssrcValue ?? pending.offer.ssrc.value, answeredSSRC: answer.ssrc,
            deviceMedia: MediaEndpoint(host: host, port: video?.port ?? 0), deviceSetup: video?.setup,
            offer: pending.sdp, answer: answer, establishedAt: Date())
    }

    // MARK: - BYE

    /// The in-dialog BYE, to the device's current address when it is still registered on the same transport.
    private func byeRequest(_ dialog: SIPDialog, _ endpoint: DeviceEndpoint) -> (SIPRequest, DeviceEndpoint) {
        var dialog = dialog
        let endpoint = currentEndpoint(endpoint)
        var request = dialog.nextRequest(.bye, via: requests.via(endpoint.transport))
        request.headers.add("User-Agent", configuration.userAgent)
        return (request, endpoint)
    }

    /// Where an in-dialog request goes: the device's current address when it is still registered on the
    /// same transport (it may have moved since the INVITE).
    func currentEndpoint(_ endpoint: DeviceEndpoint) -> DeviceEndpoint {
        var endpoint = endpoint
        if let device = devices[endpoint.deviceID], device.transport == endpoint.transport { endpoint.address = device.address }
        return endpoint
    }

    /// Sends a request of an established session's dialog (BYE, INFO); the transaction's failure as a media session error.
    func sendInDialog(_ request: SIPRequest, to endpoint: DeviceEndpoint, deviceID: String) async throws(MediaSessionError) -> SIPResponse {
        do {
            return try await layer.sendRequest(request, to: endpoint.address, transport: endpoint.transport)
        } catch let error as SIPTransactionError {
            if case .timeout(_, let after) = error { throw .timeout(deviceID: deviceID, after: after) }
            throw .transport(deviceID: deviceID, reason: error.description)
        } catch {
            throw .transport(deviceID: deviceID, reason: "\(error)")
        }
    }

    private func sendBestEffortBye(_ dialog: SIPDialog, _ endpoint: DeviceEndpoint) {
        let (request, endpoint) = byeRequest(dialog, endpoint)
        let layer = self.layer
        Task { _ = try? await layer.sendRequest(request, to: endpoint.address, transport: endpoint.transport) }
    }

    private func reportEnded(_ session: MediaSession, reason: MediaSessionEndReason) {
        logger.info("media session ended", metadata: ["device": "\(session.deviceID)", "call-id": "\(session.id)", "reason": "\(reason)"])
        emit(.mediaSessionEnded(MediaSessionEnded(id: session.id, deviceID: session.deviceID, channelID: session.channelID,
                                                  offeredSSRC: session.offeredSSRC, ssrc: session.ssrc, reason: reason, time: Date())))
    }

    /// A BYE from a device: 200 and `.deviceBye` for one of our sessions, 481 otherwise (RFC 3261 15.1.2).
    nonisolated func handleBye(_ transaction: SIPServerTransaction) async {
        let ended = await byeReceived(transaction.request)
        await transaction.respond(transaction.makeResponse(statusCode: ended ? 200 : 481))
    }

    private func byeReceived(_ request: SIPRequest) -> Bool {
        guard let callID = request.headers.callID else { return false }
        let id = MediaSessionID(callID: callID)
        guard var active = media.active[id],
              (try? request.headers.to().tag) == active.dialog.id.localTag,
              (try? request.headers.from().tag) == active.dialog.id.remoteTag
        else { return false }
        guard (try? active.dialog.acceptRemoteSequence(of: request)) == true else { return false }
        media.active[id] = nil
        reportEnded(active.session, reason: .deviceBye)
        return true
    }

    // MARK: - Device offline, service stop

    /// The device went offline or unregistered: waiting INVITEs fail with `.deviceOffline` (and are cancelled),
    /// established sessions end with a best-effort BYE.
    func endMediaSessions(of deviceID: String, reason: OnlineReason) {
        for (id, pending) in media.pending where pending.deviceID == deviceID && pending.waiter != nil {
            answer(id, .failure(.deviceOffline(deviceID)))
            let layer = self.layer, request = pending.request
            Task { await layer.cancelInvite(request) }
        }
        for (id, active) in media.active where active.session.deviceID == deviceID {
            media.active[id] = nil
            reportEnded(active.session, reason: .deviceOffline(reason))
            if reason != .connectionLost { sendBestEffortBye(active.dialog, active.endpoint) }
        }
    }

    /// At `stop()`: waiting INVITEs fail with `.stopped`; established sessions get one BYE (no retransmission,
    /// the transport closes next) and are reported ended.
    func endAllMediaSessions() async {
        for id in media.pending.keys { answer(id, .failure(.stopped)) }
        let actives = Array(media.active.values)
        media.active.removeAll()
        for active in actives {
            reportEnded(active.session, reason: .serviceStopped)
            let (request, endpoint) = byeRequest(active.dialog, active.endpoint)
            try? await transport.send(.request(request), to: endpoint.address, transport: endpoint.transport)
        }
    }
}
