import Foundation
import NIOCore
import SIP

/// MESSAGE and NOTIFY from devices (spec §2.4, §3.5, §4). Bodies are decoded outside the actor; a body
/// that cannot be read (garbage, XML bomb, nesting, lying charset beyond repair) gets a log line and a 4xx,
/// and nothing else happens: an assembly it belonged to keeps the rest.
extension GBPlatformService {
    nonisolated func handleMessage(_ transaction: SIPServerTransaction) async {
        let sender = Self.senderID(transaction.request)
        guard let received = await decodeBody(transaction, sender: sender) else { return }
        let source = transaction.source, kind = transaction.transport
        switch received.message {
        case .notify(.keepalive(let keepalive)):
            // The body names the device; a few put a channel there, so the From user is the fallback.
            switch await speaker(candidates: [keepalive.deviceID, sender], source: source, transport: kind) {
            case .device(let deviceID):
                await recordKeepalive(keepalive, deviceID: deviceID)
                await transaction.respond(transaction.makeResponse(statusCode: 200))
            case .unregistered:
                await count { $0.unknownKeepalives += 1 }
                await transaction.respond(transaction.makeResponse(statusCode: 404, reasonPhrase: "Device Not Registered"))
            case .impostor:
                // 404 as for an unknown device: a real device whose NAT mapping moved re-registers (with its
                // digest, which may move it); an impostor learns nothing and moves nothing.
                await transaction.respond(transaction.makeResponse(statusCode: 404, reasonPhrase: "Device Not Registered"))
            }
        case .response(let response):
            // Only the queried device, from where it registered, may answer (an answer from elsewhere
            // would put another's catalog or status under it).
            guard case .device = await speaker(candidates: [sender, received.message.deviceID], source: source, transport: kind) else {
                return await transaction.respond(transaction.makeResponse(statusCode: 403, reasonPhrase: "Not From Registered Address"))
            }
            // 200 first: the device sends its next fragment only after it (spec §3.6 serial sending).
            await transaction.respond(transaction.makeResponse(statusCode: 200))
            await deliverResponse(response, sender: sender)
        case .notify(let notify):
            await count { $0.messages += 1 }
            guard case .device(let owner) = await speaker(candidates: [sender, received.message.deviceID], source: source, transport: kind) else {
                return await transaction.respond(transaction.makeResponse(statusCode: 403, reasonPhrase: "Device Not Registered"))
            }
            await transaction.respond(transaction.makeResponse(statusCode: 200))
            await handleNotification(notify, owner: owner, channel: .message)
        case .query, .control:
            if await routeFromUpper(transaction, sender: sender, message: received.message) { return }
            // Queries from a device to us (cascade, later issue): accepted so the peer does not retry.
            logger.info("MESSAGE command not handled here", metadata: ["sender": "\(sender)", "cmdType": "\(received.message.cmdType)"])
            await transaction.respond(transaction.makeResponse(statusCode: 200))
        }
    }

    nonisolated func handleNotify(_ transaction: SIPServerTransaction) async {
        let request = transaction.request
        let sender = Self.senderID(request)
        let terminated = request.headers["Subscription-State"]?.lowercased().hasPrefix("terminated") ?? false
        let owner = await notifyOwner(callID: request.headers.callID ?? "", sender: sender, terminated: terminated)
        guard let owner else {
            return await transaction.respond(transaction.makeResponse(statusCode: 481))
        }
        // A subscription's Call-ID is no secret on the wire: the NOTIFY must also come from the device.
        guard case .device = await speaker(candidates: [owner], source: transaction.source, transport: transaction.transport) else {
            return await transaction.respond(transaction.makeResponse(statusCode: 403, reasonPhrase: "Not From Registered Address"))
        }
        // A terminating NOTIFY may have no body (spec §4).
        if request.body.readableBytes == 0 { return await transaction.respond(transaction.makeResponse(statusCode: 200)) }
        guard let received = await decodeBody(transaction, sender: sender) else { return }
        await transaction.respond(transaction.makeResponse(statusCode: 200))
        if case .notify(let notify) = received.message {
            await handleNotification(notify, owner: owner, channel: .notify)
        }
    }

    /// Decodes a MANSCDP body, or answers 400/415 with a log line and returns nil.
    private nonisolated func decodeBody(_ transaction: SIPServerTransaction, sender: String) async -> ReceivedMANSCDP? {
        do {
            let received = try MANSCDPDecoder.decode(Array(transaction.request.body.readableBytesView))
            if received.body.declarationMismatch {
                // 🔧 devices lie about their charset (spec §1.5): worth fixing the device's charset setting.
                logger.info("MANSCDP charset declaration does not match the bytes", metadata: [
                    "sender": "\(sender)", "declared": "\(received.body.declared.map { "\($0)" } ?? "-")",
                    "detected": "\(received.body.detected)",
                ])
            }
            return received
        } catch {
            logger.warning("MANSCDP body refused", metadata: [
                "sender": "\(sender)", "source": "\(transaction.source)",
                "bytes": "\(transaction.request.body.readableBytes)", "error": "\(error)",
            ])
            await count { $0.badBodies += 1 }
            let status: Int
            if case .unknownRoot = error { status = 415 } else { status = 400 }
            await transaction.respond(transaction.makeResponse(statusCode: status))
            return nil
        }
    }

    func handleNotification(_ notify: MANSCDPNotify, owner: String, channel: NotificationChannel) {
        let now = Date()
        switch notify {
        case .alarm(let alarm):
            emit(.alarm(AlarmReport(deviceID: owner, alarm: alarm, channel: channel, time: now)))
            // 2016 alarm flow (spec §3.5): answer with a Response Alarm Result OK carrying the same SN.
            if channel == .message, let endpoint = try? endpoint(owner) {
                let answer = CommandResult(cmdType: .alarm, sn: alarm.sn, deviceID: alarm.deviceID)
                Task { try? await self.sendMessage(answer, to: endpoint) }
            }
        case .mobilePosition(let position):
            emit(.mobilePosition(MobilePositionReport(deviceID: owner, positions: position.positions, channel: channel, time: now)))
        case .catalog(let catalog):
            emit(.catalogChanged(CatalogChangeReport(deviceID: owner, sn: catalog.sn, changes: catalog.items, time: now)))
        case .keepalive(let keepalive):
            logger.info("keepalive by NOTIFY ignored", metadata: ["device": "\(keepalive.deviceID)"])
        case .mediaStatus(let status):
            logger.info("MediaStatus", metadata: ["device": "\(owner)", "type": "\(status.notifyType ?? "-")"])
        case .unknown(let command):
            logger.info("unknown Notify ignored", metadata: ["device": "\(owner)", "cmdType": "\(command.cmdType)"])
        }
    }

    /// `From` user part: the sending device's ID in GB headers (spec §1.6).
    nonisolated static func senderID(_ request: SIPRequest) -> String {
        (try? request.headers.from())?.uri.decodedUser ?? ""
    }
}
