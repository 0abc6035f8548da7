import Foundation
import GB28181
import NIOCore
import SIP

/// How the simulated device answers the platform: 200 OK first, then the Response MESSAGE(s) on new Call-IDs
/// (like cameras and sipp), pages sent serially, each after the previous 200 OK (spec §3.6).
extension SimulatedGBDevice {
    nonisolated func handle(_ transaction: SIPServerTransaction) async {
        switch transaction.request.method {
        case .message:
            // Recorded before the 200 OK, so a platform call that returned has been seen here.
            let decoded = try? MANSCDPDecoder.decode(Array(transaction.request.body.readableBytesView))
            if let decoded { await record(decoded) }
            await transaction.respond(transaction.makeResponse(statusCode: 200))
            if let decoded { await answer(decoded.message) }
        case .subscribe:
            await acceptSubscription(transaction)
        case .invite:
            await answerInvite(transaction)
        case .ack:
            await recordACK(transaction.request)
        case .bye:
            await answerBye(transaction)
        case .info:
            await answerInfo(transaction)
        default:
            await transaction.respond(transaction.makeResponse(statusCode: 200))
        }
    }

    private func record(_ decoded: ReceivedMANSCDP) {
        received.append(decoded.message)
        receivedBodies.append(decoded.body.text)
    }

    private func answer(_ message: MANSCDPMessage) async {
        switch message {
        case .query(.catalog(let query)):
            await sendCatalog(sn: query.sn)
        case .query(.deviceInfo(let query)):
            var info = configuration.deviceInfo
            info.sn = query.sn
            info.deviceID = query.deviceID
            _ = try? await send(info)
        case .query(.deviceStatus(let query)):
            _ = try? await send(DeviceStatusResponse(sn: query.sn, deviceID: query.deviceID, online: true, status: .ok,
                                                     encode: true, record: false))
        case .query(.presetQuery(let query)):
            _ = try? await send(PresetQueryResponse(sn: query.sn, deviceID: query.deviceID, sumNum: 2,
                                                    presets: [Preset(id: 1, name: "Gate"), Preset(id: 2, name: "Parking")]))
        case .query(.recordInfo(let query)):
            let items = configuration.recordList?.records(channelID: query.deviceID, name: "Camera", from: query.startTime,
                                                          to: query.endTime) ?? configuration.records
            let pages = CatalogPager.recordResponses(sn: query.sn, deviceID: query.deviceID, name: "Camera",
                                                     items: items, itemsPerMessage: configuration.recordsPerMessage)
            for page in pages { _ = try? await send(page) }
        case .control(.deviceControl(let control)) where control.command.expectsResponse:
            _ = try? await send(CommandResult(cmdType: .deviceControl, sn: control.sn, deviceID: control.deviceID))
        default:
            return
        }
    }

    /// Catalog pages in order; an override replaces a page's bytes; a refused page does not stop the rest.
    private func sendCatalog(sn: Int) async {
        let pages = CatalogPager.responses(sn: sn, deviceID: configuration.deviceID, items: configuration.catalog,
                                           itemsPerMessage: configuration.catalogItemsPerMessage)
        for (index, page) in pages.enumerated() {
            var page = page
            if let lie = configuration.catalogSumNumOverride { page.list.sumNum = lie }
            let body = configuration.catalogPageOverrides[index]?(page) ?? ((try? page.encoded(charset: configuration.charset)) ?? [])
            _ = try? await sendBody(body)
            catalogPagesSent += 1
        }
    }

    /// 200 OK with Expires and a Result body (GB habit, spec §4); the dialog is kept for NOTIFYs.
    private func acceptSubscription(_ transaction: SIPServerTransaction) async {
        let request = transaction.request
        let expires = (try? request.headers.expires()) ?? 600
        var response = transaction.makeResponse(statusCode: 200)
        response.headers.add("Contact", SIPNameAddress(uri: SIPURI(user: configuration.deviceID, host: configuration.bindHost,
                                                                   port: transport.localAddress.port)).description)
        response.headers.add("Expires", String(expires))
        if let query = try? MANSCDPDecoder.decode(Array(request.body.readableBytesView)), let sn = query.message.sn {
            let result = CommandResult(cmdType: query.message.cmdType, sn: sn, deviceID: configuration.deviceID)
            response.headers.add("Content-Type", "Application/MANSCDP+xml")
            response.body = ByteBuffer(bytes: (try? result.encoded(charset: configuration.charset)) ?? [])
        }
        storeDialog(request: request, response: response, expires: expires)
        await transaction.respond(response)
    }

    private func storeDialog(request: SIPRequest, response: SIPResponse, expires: Int) {
        guard let dialog = try? SIPDialog(uasRequest: request, response: response) else { return }
        subscriptionDialogs.removeAll { $0.id.callID == dialog.id.callID }
        if expires > 0 { subscriptionDialogs.append(dialog) }
    }
}
