import Foundation
import NIOCore
import SIP

/// A catalog subscription the upper holds on us (spec §4): its dialog, the Event header to echo, and
/// when it runs out unless refreshed.
struct UpperCatalogSubscription: Sendable {
    var dialog: SIPDialog
    var event: String
    var expiresAt: ContinuousClock.Instant
}

/// The upper's SUBSCRIBE for our catalog, and the NOTIFYs that keep its copy of our virtual catalog
/// current (ADD/DEL/UPDATE/ON/OFF) without a new query. App works out the changes (it knows what the
/// upper may see) and hands them over batched; they go in every live catalog subscription's dialog.
extension UpperLink {
    /// Longest and shortest subscription we grant (a refresh keeps it; spec §4 leaves the value to the peers).
    static let subscriptionExpiry = 60...86_400

    func answerSubscribe(_ transaction: SIPServerTransaction) async {
        let request = transaction.request
        guard let callID = request.headers.callID else {
            return await transaction.respond(transaction.makeResponse(statusCode: 400, reasonPhrase: "Missing Call-ID"))
        }
        let event = request.headers["Event"] ?? "Catalog"
        let body = Array(request.body.readableBytesView)
        let asksCatalog: Bool
        if body.isEmpty {
            // A refresh may come without a body; the Event header still says what it is.
            asksCatalog = event.lowercased().hasPrefix("catalog") || catalogSubscriptions[callID] != nil
        } else if let decoded = try? MANSCDPDecoder.decode(body), case .query(.catalog) = decoded.message {
            asksCatalog = true
        } else {
            asksCatalog = false
        }
        guard asksCatalog else {
            // Alarm and position subscriptions from an upper are not served yet: say so rather than accept and stay silent.
            return await transaction.respond(transaction.makeResponse(statusCode: 489, reasonPhrase: "Only Catalog Subscriptions Are Served"))
        }
        let asked = (try? request.headers.expires()) ?? 3600
        if asked == 0 {
            catalogSubscriptions[callID] = nil
            var response = transaction.makeResponse(statusCode: 200, toTag: Self.localTag(of: request) ?? SIPIdentifiers.tag())
            response.headers.add("Expires", "0")
            await transaction.respond(response)
            events(.catalogSubscription(platformID: configuration.platformID, expires: 0))
            return
        }
        let granted = min(max(asked, Self.subscriptionExpiry.lowerBound), Self.subscriptionExpiry.upperBound)
        var response = transaction.makeResponse(statusCode: 200, toTag: Self.localTag(of: request) ?? SIPIdentifiers.tag())
        response.headers.add("Expires", String(granted))
        response.headers.add("Contact", SIPNameAddress(uri: SIPURI(user: local.platformID, host: local.host, port: local.port)).description)
        if var existing = catalogSubscriptions[callID] {
            existing.expiresAt = .now + .seconds(granted)
            catalogSubscriptions[callID] = existing
        } else {
            guard let dialog = try? SIPDialog(uasRequest: request, response: response) else {
                return await transaction.respond(transaction.makeResponse(statusCode: 400, reasonPhrase: "SUBSCRIBE Without Contact Or Tag"))
            }
            catalogSubscriptions[callID] = UpperCatalogSubscription(dialog: dialog, event: event, expiresAt: .now + .seconds(granted))
        }
        await transaction.respond(response)
        events(.catalogSubscription(platformID: configuration.platformID, expires: granted))
    }

    /// Whether the upper holds a live catalog subscription (App computes changes only then).
    public var hasCatalogSubscription: Bool {
        catalogSubscriptions.values.contains { $0.expiresAt > .now }
    }

    /// Sends `changes` (items carrying their `Event`) in every live catalog subscription, in NOTIFYs of
    /// `catalogItemsPerMessage` items, one after the other in each dialog (CSeq order). Returns how many
    /// NOTIFYs were answered 2xx. Expired subscriptions are dropped here.
    @discardableResult
    public func notifyCatalogChanges(_ changes: [CatalogItem]) async -> Int {
        catalogSubscriptions = catalogSubscriptions.filter { $0.value.expiresAt > .now }
        guard !changes.isEmpty else { return 0 }
        var delivered = 0
        let size = max(1, configuration.catalogItemsPerMessage)
        for callID in Array(catalogSubscriptions.keys) {
            for start in stride(from: 0, to: changes.count, by: size) {
                guard var subscription = catalogSubscriptions[callID] else { break }
                lastSN += 1
                let page = Array(changes[start..<min(start + size, changes.count)])
                let notify = CatalogNotify(sn: lastSN, deviceID: local.platformID, sumNum: changes.count, items: page)
                guard let body = try? notify.encoded(charset: configuration.charset) else { continue }
                let remaining = max(0, Int((subscription.expiresAt - .now).components.seconds))
                var request = subscription.dialog.nextRequest(
                    .notify, via: Via(transport: configuration.transport.rawValue, host: local.host, port: local.port, branch: SIPIdentifiers.branch()),
                    body: ByteBuffer(bytes: body), contentType: "Application/MANSCDP+xml")
                request.headers.add("Event", subscription.event)
                request.headers.add("Subscription-State", "active;expires=\(remaining)")
                catalogSubscriptions[callID] = subscription  // the dialog's CSeq moved on
                guard let response = try? await send(request) else { continue }
                if response.isSuccess {
                    delivered += 1
                } else if response.statusCode == 481 {
                    // The upper forgot the subscription (it restarted): stop sending in this dialog.
                    catalogSubscriptions[callID] = nil
                }
            }
        }
        events(.catalogNotified(platformID: configuration.platformID, changes: changes.count, notifies: delivered))
        return delivered
    }

    /// Our tag in an in-dialog request (a refresh carries it in To).
    static func localTag(of request: SIPRequest) -> String? {
        (try? request.headers.to())?.tag
    }
}
