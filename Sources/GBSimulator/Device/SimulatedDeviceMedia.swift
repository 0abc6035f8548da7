import Foundation
import GB28181
import NIOCore
import SIP

/// How the simulated device answers an INVITE (spec §5). The SIP layer sends 100 Trying by itself.
public enum SimulatedInviteAnswer: Sendable, Equatable {
    /// 200 OK with an SDP answer after `delay`: `c=IN IP4 127.0.0.1`, `m=video <mediaPort>` (9 when it connects
    /// for TCP passive offers), `a=sendonly`, `a=rtpmap:96 PS/90000`, the TCP setup role opposite to the
    /// offer's, and `y=` = `ssrc` when given, else the offer's. Nothing is sent if CANCEL came first.
    case accept(ssrc: String? = nil, mediaPort: Int = 15060, delay: Duration = .zero)
    /// A final non-2xx (486 Busy Here, 488, 404...).
    case refuse(statusCode: Int, reason: String? = nil)
    /// Only the 100 Trying: the platform has to time out and CANCEL.
    case never
}

struct SimulatedMediaState {
    var answer: SimulatedInviteAnswer = .accept()
    var invites: [SIPRequest] = []
    var acks: [SIPRequest] = []
    var byes: [SIPRequest] = []
    var cancelledInvites = 0
    var stopped = false
    /// Established media dialogs by Call-ID (after our 200 OK).
    var dialogs: [String: SIPDialog] = [:]
    /// Their clip streams (SimulatedDeviceStreaming.swift), started by the ACK.
    var streams: [String: (stream: SimulatedStream, channelID: String)] = [:]
}

extension SimulatedGBDevice {
    public func setInviteAnswer(_ answer: SimulatedInviteAnswer) { media.answer = answer }

    /// Every INVITE received, in order.
    public var receivedInvites: [SIPRequest] { media.invites }
    /// ACKs to our 2xx responses.
    public var receivedACKs: [SIPRequest] { media.acks }
    /// BYEs from the platform.
    public var receivedByes: [SIPRequest] { media.byes }
    /// INVITEs that a CANCEL ended before we answered them.
    public var cancelledInviteCount: Int { media.cancelledInvites }
    /// Media dialogs open on the device side (accepted, not yet ended by either BYE).
    public var mediaDialogCount: Int { media.dialogs.count }
    public var mediaDialogCallIDs: [String] { Array(media.dialogs.keys) }

    /// Ends a media session from the device side (stream over): BYE in the dialog; returns the final response.
    @discardableResult
    public func sendBye(callID: String) async throws -> SIPResponse {
        await stopStream(callID: callID)
        guard var dialog = media.dialogs.removeValue(forKey: callID) else {
            throw GBPlatformError.transport(deviceID: configuration.deviceID, reason: "no media dialog \(callID)")
        }
        let request = dialog.nextRequest(.bye, via: via())
        return try await layer.sendRequest(request, to: configuration.platformAddress, transport: configuration.transport)
    }

    nonisolated func answerInvite(_ transaction: SIPServerTransaction) async {
        let answer = await recordInvite(transaction.request)
        switch answer {
        case .refuse(let code, let reason):
            await transaction.respond(transaction.makeResponse(statusCode: code, reasonPhrase: reason))
        case .never:
            // Notice the CANCEL (the layer answers it and 487s the INVITE) for the tests.
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline, await !isStopped {
                if await transaction.isCancelled {
                    await countCancelled()
                    return
                }
                try? await Task.sleep(for: .milliseconds(20))
            }
        case let .accept(ssrc, mediaPort, delay):
            if delay > .zero { try? await Task.sleep(for: delay) }
            if await transaction.isCancelled {
                await countCancelled()
                return
            }
            let offer = try? GBSessionDescription(parsing: String(buffer: transaction.request.body))
            var response = transaction.makeResponse(statusCode: 200)
            response.headers.add("Contact", SIPNameAddress(uri: SIPURI(user: configuration.deviceID, host: configuration.bindHost,
                                                                       port: transport.localAddress.port)).description)
            response.headers.add("Content-Type", "APPLICATION/SDP")
            let stream = await prepareStream(offer: offer, answeredSSRC: ssrc, callID: transaction.request.headers.callID,
                                             channelID: transaction.request.uri.user ?? configuration.deviceID)
            response.body = ByteBuffer(string: GBSessionDescription.senderAnswer(
                to: offer, originID: configuration.deviceID, host: configuration.bindHost, ssrc: ssrc,
                mediaPort: stream?.listenPort ?? mediaPort).text)
            await storeMediaDialog(request: transaction.request, response: response)
            await transaction.respond(response)
        }
    }

    nonisolated func answerBye(_ transaction: SIPServerTransaction) async {
        let known = await recordBye(transaction.request)
        await transaction.respond(transaction.makeResponse(statusCode: known ? 200 : 481))
    }

    private func recordInvite(_ request: SIPRequest) -> SimulatedInviteAnswer {
        media.invites.append(request)
        return media.answer
    }

    private func countCancelled() { media.cancelledInvites += 1 }

    private var isStopped: Bool { media.stopped }

    func recordACK(_ request: SIPRequest) async {
        media.acks.append(request)
        if let callID = request.headers.callID { startStream(callID: callID) }
    }

    private func recordBye(_ request: SIPRequest) async -> Bool {
        media.byes.append(request)
        guard let callID = request.headers.callID else { return false }
        await stopStream(callID: callID)
        return media.dialogs.removeValue(forKey: callID) != nil
    }

    private func storeMediaDialog(request: SIPRequest, response: SIPResponse) {
        guard let dialog = try? SIPDialog(uasRequest: request, response: response), let callID = request.headers.callID else { return }
        media.dialogs[callID] = dialog
    }
}
