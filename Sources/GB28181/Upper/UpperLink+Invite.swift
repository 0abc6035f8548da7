import Foundation
import NIOCore
import SIP

/// One stream an upper platform INVITEd: our side of the dialog and the relayed leg.
struct UpperCall: Sendable {
    var dialog: SIPDialog
    var leg: any UpperMediaLeg
    var acknowledged = false
    var channelID: String
}

/// The upper's INVITEs (CASCADE.md §2 "Upper INVITE"): we answer as a B2BUA. The provider decides the
/// request (Sharing, the upper as principal) and joins the stream local viewers share; we answer 200
/// with a sender's SDP, start on ACK, stop on BYE, and send BYE when the leg ends on our side.
extension UpperLink {
    /// How long a 200 OK waits for its ACK before the leg is dropped (RFC 3261 Timer H, 64·T1).
    static let ackTimeout: Duration = .seconds(32)

    func answerInvite(_ transaction: SIPServerTransaction) async {
        let request = transaction.request
        guard let callID = request.headers.callID else {
            return await transaction.respond(transaction.makeResponse(statusCode: 400, reasonPhrase: "Missing Call-ID"))
        }
        if calls[callID] != nil {
            // A re-INVITE: we do not renegotiate a running relay (spec §5 never needs it).
            return await transaction.respond(transaction.makeResponse(statusCode: 488, reasonPhrase: "Re-INVITE Not Supported"))
        }
        let offer: GBSessionDescription
        do {
            offer = try GBSessionDescription(parsing: String(buffer: request.body))
        } catch {
            logger.warning("upper platform INVITE with an unreadable SDP", metadata: ["upper": "\(configuration.platformID)", "error": "\(error)"])
            return await transaction.respond(transaction.makeResponse(statusCode: 488, reasonPhrase: "Unreadable SDP Offer"))
        }
        guard let delivery = MediaDelivery(offer: offer) else {
            logger.warning("upper platform INVITE whose SDP gives nowhere to send (port 0 or no address)", metadata: [
                "upper": "\(configuration.platformID)", "call": "\(callID)"])
            return await transaction.respond(transaction.makeResponse(statusCode: 488, reasonPhrase: "No Usable Media Port In Offer"))
        }
        if let video = offer.video, !video.rtpMaps.isEmpty, !video.rtpMaps.contains(where: { $0.encoding.uppercased() == "PS" }) {
            return await transaction.respond(transaction.makeResponse(statusCode: 488, reasonPhrase: "Only PS Is Relayed"))
        }
        let channelID = Self.channel(of: request, platformID: local.platformID)
        let receiver = offer.video.flatMap { offer.address(of: $0) }.map { "\($0):\(offer.video?.port ?? 0)" } ?? "\(transaction.source)"
        let mediaRequest = UpperMediaRequest(upperID: configuration.platformID, channelID: channelID, offer: offer,
                                             delivery: delivery, callID: callID, receiver: receiver)
        let leg: any UpperMediaLeg
        do {
            leg = try await mediaProvider.open(mediaRequest) { [weak self] reason in
                Task { await self?.endedByUs(callID: callID, reason: reason) }
            }
        } catch let refusal as UpperMediaRefusal {
            logger.info("upper platform INVITE refused", metadata: [
                "upper": "\(configuration.platformID)", "channel": "\(channelID)", "answer": "\(refusal)"])
            return await transaction.respond(transaction.makeResponse(statusCode: refusal.statusCode, reasonPhrase: refusal.reason))
        } catch {
            return await transaction.respond(transaction.makeResponse(statusCode: 500, reasonPhrase: "Relay Failed"))
        }
        if await transaction.isCancelled {
            await leg.stop()
            return
        }
        var response = transaction.makeResponse(statusCode: 200, toTag: SIPIdentifiers.tag())
        response.headers.add("Contact", SIPNameAddress(uri: SIPURI(user: local.platformID, host: local.host, port: local.port)).description)
        response.headers.add("Content-Type", "APPLICATION/SDP")
        let answer = GBSessionDescription.senderAnswer(to: offer, originID: local.platformID, host: leg.answer.host,
                                                       ssrc: String(format: "%010u", leg.answer.ssrc), mediaPort: leg.answer.port)
        response.body = ByteBuffer(string: answer.text)
        guard let dialog = try? SIPDialog(uasRequest: request, response: response) else {
            await leg.stop()
            return await transaction.respond(transaction.makeResponse(statusCode: 400, reasonPhrase: "INVITE Without Contact Or Tag"))
        }
        calls[callID] = UpperCall(dialog: dialog, leg: leg, channelID: channelID)
        await transaction.respond(response)
        events(.callStarted(platformID: configuration.platformID, channelID: channelID, callID: callID))
        Task { [weak self] in
            try? await Task.sleep(for: Self.ackTimeout)
            await self?.dropIfUnacknowledged(callID)
        }
    }

    func acknowledged(_ ack: SIPRequest) async {
        guard let callID = ack.headers.callID, var call = calls[callID], !call.acknowledged else { return }
        call.acknowledged = true
        calls[callID] = call
        await call.leg.start()
    }

    func answerBye(_ transaction: SIPServerTransaction) async {
        guard let callID = transaction.request.headers.callID, let call = calls.removeValue(forKey: callID) else {
            return await transaction.respond(transaction.makeResponse(statusCode: 481))
        }
        await transaction.respond(transaction.makeResponse(statusCode: 200))
        await call.leg.stop()
        events(.callEnded(platformID: configuration.platformID, channelID: call.channelID, callID: callID, reason: "BYE from the upper platform"))
    }

    /// INFO in a relayed session: MANSRTSP (seek, speed, pause) carried by the leg to the device's
    /// playback session, answered with what the device answered. A body that is no MANSRTSP is 400
    /// before anything goes down; a live leg answers 405 (nothing to seek).
    func answerInfo(_ transaction: SIPServerTransaction) async {
        guard let callID = transaction.request.headers.callID, let call = calls[callID] else {
            return await transaction.respond(transaction.makeResponse(statusCode: 481))
        }
        let body = Array(buffer: transaction.request.body)
        guard (try? MANSRTSPRequest(parsing: String(decoding: body, as: UTF8.self))) != nil else {
            return await transaction.respond(transaction.makeResponse(statusCode: 400, reasonPhrase: "Bad MANSRTSP"))
        }
        let status = await call.leg.control(body)
        await transaction.respond(transaction.makeResponse(statusCode: status))
    }

    /// The leg ended on our side: BYE to the upper, which then stops waiting for packets.
    func endedByUs(callID: String, reason: String) async {
        guard var call = calls.removeValue(forKey: callID) else { return }
        await call.leg.stop()
        events(.callEnded(platformID: configuration.platformID, channelID: call.channelID, callID: callID, reason: reason))
        let bye = call.dialog.nextRequest(.bye, via: Via(transport: configuration.transport.rawValue, host: local.host, port: local.port,
                                                          branch: SIPIdentifiers.branch()))
        _ = try? await send(bye)
    }

    private func dropIfUnacknowledged(_ callID: String) async {
        guard let call = calls[callID], !call.acknowledged else { return }
        logger.warning("upper platform never acknowledged our answer; leg dropped", metadata: [
            "upper": "\(configuration.platformID)", "call": "\(callID)"])
        await endedByUs(callID: callID, reason: "no ACK")
    }

    func endAllCalls() async {
        for callID in Array(calls.keys) { await endedByUs(callID: callID, reason: "link to the upper platform stopped") }
    }

    public var activeCallCount: Int { calls.count }

    /// The channel an INVITE asks for: the Request-URI's user, or, when that names us (uppers that
    /// address the platform), the Subject's sender ID (spec §5.1: "媒体流发送者设备编码").
    static func channel(of request: SIPRequest, platformID: String) -> String {
        let user = request.uri.decodedUser ?? ""
        if user.isEmpty || user == platformID, let subject = request.headers["Subject"],
           let parsed = try? GBSubject(parsing: subject) {
            return parsed.senderID
        }
        return user
    }
}
