import Foundation
import NIOCore
import SIP

/// A catalog or alarm subscription the upper holds on us (spec §4): its dialog, the Event header to
/// echo, and when it runs out unless refreshed.
struct UpperSubscription: Sendable {
    enum Kind: Sendable { case catalog, alarm }
    var kind: Kind
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
        let kind: UpperSubscription.Kind
        if let existing = subscriptions[callID] {
            kind = existing.kind  // a refresh, with or without a body
        } else if body.isEmpty {
            // No body: the Event header says what it is.
            guard let named = Self.subscriptionKind(event: event) else {
                return await transaction.respond(transaction.makeResponse(statusCode: 489, reasonPhrase: "Only Catalog And Alarm Subscriptions Are Served"))
            }
            kind = named
        } else {
            switch (try? MANSCDPDecoder.decode(body))?.message {
            case .query(.catalog)?: kind = .catalog
            case .query(.alarm)?: kind = .alarm
            default:
                // Mobile position and anything else: said so, rather than accepted and then silent.
                return await transaction.respond(transaction.makeResponse(statusCode: 489, reasonPhrase: "Only Catalog And Alarm Subscriptions Are Served"))
            }
        }
        let asked = (try? request.headers.expires()) ?? 3600
        let isCatalog = kind == .catalog
        if asked == 0 {
            subscriptions[callID] = nil
            var response = transaction.makeResponse(statusCode: 200, toTag: Self.localTag(of: request) ?? SIPIdentifiers.tag())
            response.headers.add("Expires", "0")
            await transaction.respond(response)
            events(isCatalog ? .catalogSubscription(platformID: configuration.platformID, expires: 0)
                             : .alarmSubscription(platformID: configuration.platformID, expires: 0))
            return
        }
        let granted = min(max(asked, Self.subscriptionExpiry.lowerBound), Self.subscriptionExpiry.upperBound)
        var response = transaction.makeResponse(statusCode: 200, toTag: Self.localTag(of: request) ?? SIPIdentifiers.tag())
        response.headers.add("Expires", String(granted))
        response.headers.add("Contact", SIPNameAddress(uri: SIPURI(user: local.platformID, host: local.host, port: local.port)).description)
        if var existing = subscriptions[callID] {
            existing.expiresAt = .now + .seconds(granted)
            subscriptions[callID] = existing
        } else {
            guard let dialog = try? SIPDialog(uasRequest: request, response: response) else {
                return await transaction.respond(transaction.makeResponse(statusCode: 400, reasonPhrase: "SUBSCRIBE Without Contact Or Tag"))
            }
            subscriptions[callID] = UpperSubscription(kind: kind, dialog: dialog, event: event, expiresAt: .now + .seconds(granted))
        }
        await transaction.respond(response)
        events(isCatalog ? .catalogSubscription(platformID: configuration.platformID, expires: granted)
                         : .alarmSubscription(platformID: configuration.platformID, expires: granted))
    }

    /// Which subscription an Event header without a body names (`Catalog`, `Alarm`, with or without `;id=`).
    static func subscriptionKind(event: String) -> UpperSubscription.Kind? {
        let name = event.lowercased()
        if name.hasPrefix("catalog") { return .catalog }
        if name.hasPrefix("alarm") { return .alarm }
        return nil
    }

    /// Live subscriptions of one kind, by Call-ID (expired ones are dropped here).
    func liveSubscriptions(_ kind: UpperSubscription.Kind) -> [String] {
        subscriptions = subscriptions.filter { $0.value.expiresAt > .now }
        return subscriptions.filter { $0.value.kind == kind }.map(\.key)
    }

    /// Whether the upper holds a live alarm subscription.
    public var hasAlarmSubscription: Bool {
        subscriptions.values.contains { $0.kind == .alarm && $0.expiresAt > .now }
    }

    /// An alarm of a camera the upper may see, in every live alarm subscription's dialog (spec §4, §9.4),
    /// with our SN and the alarm's source as DeviceID. Returns how many NOTIFYs were answered 2xx.
    @discardableResult
    public func notifyAlarm(_ alarm: AlarmNotify) async -> Int {
        var delivered = 0
        for callID in liveSubscriptions(.alarm) {
            lastSN += 1
            var notify = alarm
            notify.sn = lastSN
            guard let body = try? notify.encoded(charset: configuration.charset) else { continue }
            if await sendNotify(body, callID: callID) { delivered += 1 }
        }
        events(.alarmNotified(platformID: configuration.platformID, source: alarm.deviceID, notifies: delivered))
        return delivered
    }

    /// One NOTIFY in one subscription's dialog (its CSeq moves on); true when answered 2xx. A 481 means
    /// the upper forgot the subscription (it restarted): no more is sent in that dialog.
    private func sendNotify(_ body: [UInt8], callID: String) async -> Bool {
        guard var subscription = subscriptions[callID] else { return false }
        let remaining = max(0, Int((subscription.expiresAt - .now).components.seconds))
        var request = subscription.dialog.nextRequest(
            .notify, via: Via(transport: configuration.transport.rawValue, host: local.host, port: local.port, branch: SIPIdentifiers.branch()),
            body: ByteBuffer(bytes: body), contentType: OutgoingRequestFactory.manscdpContentType)
        request.headers.add("Event", subscription.event)
        request.headers.add("Subscription-State", "active;expires=\(remaining)")
        subscriptions[callID] = subscription
        guard let response = try? await send(request) else { return false }
        if response.statusCode == 481 { subscriptions[callID] = nil }
        return response.isSuccess
    }

    /// Whether the upper holds a live catalog subscription (App computes changes only then).
    public var hasCatalogSubscription: Bool {
        subscriptions.values.contains { $0.kind == .catalog && $0.expiresAt > .now }
    }

    /// Sends `changes` (items carrying their `Event`) in every live catalog subscription, in NOTIFYs of
    /// `catalogItemsPerMessage` items, one after the other in each dialog (CSeq order). Returns how many
    /// NOTIFYs were answered 2xx. Expired subscriptions are dropped here.
    @discardableResult
    public func notifyCatalogChanges(_ changes: [CatalogItem]) async -> Int {
        let live = liveSubscriptions(.catalog)
        guard !changes.isEmpty else { return 0 }
        var delivered = 0
        let size = max(1, configuration.catalogItemsPerMessage)
        for callID in live {
            for start in stride(from: 0, to: changes.count, by: size) {
                guard subscriptions[callID] != nil else { break }
                lastSN += 1
                let page = Array(changes[start..<min(start + size, changes.count)])
                let notify = CatalogNotify(sn: lastSN, deviceID: local.platformID, sumNum: changes.count, items: page)
                guard let body = try? notify.encoded(charset: configuration.charset) else { continue }
                if await sendNotify(body, callID: callID) { delivered += 1 }
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
