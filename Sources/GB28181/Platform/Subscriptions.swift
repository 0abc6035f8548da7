import Foundation
import NIOCore
import SIP

/// What a subscription is for (spec §4).
public enum SubscriptionKind: Sendable, Equatable {
    /// Catalog changes (ADD/DEL/UPDATE/ON/OFF/VLOST/DEFECT) keep the catalog current without a re-query.
    case catalog
    case alarm
    /// Position reports every `interval` seconds.
    case mobilePosition(interval: Int)

    /// `Catalog;id=<sn>` for catalogs, `presence` for the others (what [W] sends; devices dispatch on CmdType).
    func eventHeader(sn: Int) -> String {
        switch self {
        case .catalog: return "Catalog;id=\(sn)"
        case .alarm, .mobilePosition: return "presence"
        }
    }

    func query(sn: Int, deviceID: String) -> any MANSCDPCommand {
        switch self {
        case .catalog: return CatalogQuery(sn: sn, deviceID: deviceID)
        case .alarm: return AlarmQuery(sn: sn, deviceID: deviceID, startAlarmPriority: 0, endAlarmPriority: 0, alarmMethod: "0")
        case .mobilePosition(let interval): return MobilePositionQuery(sn: sn, deviceID: deviceID, interval: interval)
        }
    }
}

/// One subscription we hold on a device, keyed by its Call-ID. Stored before the SUBSCRIBE is sent because
/// the first NOTIFY may beat the 200 OK over UDP (spec §4).
struct DeviceSubscription {
    var deviceID: String
    var kind: SubscriptionKind
    var event: String
    var body: [UInt8]
    var endpoint: DeviceEndpoint
    var dialog: SIPDialog?
    var refresh: Task<Void, Never>?
}

extension GBPlatformService {
    /// Subscribes and keeps the subscription refreshed inside its dialog (spec §4: a refresh outside the
    /// dialog is not matched by eXosip peers). Returns the subscription's ID (its Call-ID).
    public func subscribe(_ kind: SubscriptionKind, deviceID: String, expires: Int? = nil) async throws -> String {
        let endpoint = try endpoint(deviceID)
        let sn = nextSN()
        let body: [UInt8]
        do {
            body = try kind.query(sn: sn, deviceID: deviceID).encoded(charset: endpoint.charset)
        } catch {
            throw GBPlatformError.encoding(error.description)
        }
        let event = kind.eventHeader(sn: sn)
        let seconds = expires ?? configuration.subscriptionExpiry
        let request = requests.subscribe(to: endpoint, event: event, expires: seconds, body: body)
        let id = request.headers.callID ?? ""
        subscriptions[id] = DeviceSubscription(deviceID: deviceID, kind: kind, event: event, body: body, endpoint: endpoint)
        let response: SIPResponse
        do {
            response = try await send(request, to: endpoint)
        } catch {
            subscriptions[id] = nil
            throw error
        }
        let granted = (try? response.headers.expires()) ?? seconds
        subscriptions[id]?.dialog = try? SIPDialog(uacRequest: request, response: response)
        scheduleRefresh(id, after: granted)
        logger.info("subscribed", metadata: ["device": "\(deviceID)", "event": "\(event)", "expires": "\(granted)"])
        return id
    }

    /// Ends a subscription with an in-dialog SUBSCRIBE Expires: 0.
    public func unsubscribe(_ id: String) async throws {
        guard let subscription = subscriptions.removeValue(forKey: id) else { return }
        subscription.refresh?.cancel()
        guard var dialog = subscription.dialog else { return }
        let request = inDialogSubscribe(&dialog, subscription, expires: 0)
        _ = try await send(request, to: subscription.endpoint)
    }

    public var subscriptionIDs: [String] { Array(subscriptions.keys) }

    private func scheduleRefresh(_ id: String, after seconds: Int) {
        guard seconds > 0 else {
            subscriptions[id] = nil
            return
        }
        // Refresh at 80 % of the granted time, so a retransmitted refresh still lands before expiry.
        let delay = Duration.milliseconds(seconds * 800)
        subscriptions[id]?.refresh?.cancel()
        subscriptions[id]?.refresh = Task { [weak self] in
            try? await Task.sleep(for: delay)
            guard !Task.isCancelled else { return }
            await self?.refreshSubscription(id)
        }
    }

    private func refreshSubscription(_ id: String) async {
        guard var subscription = subscriptions[id], var dialog = subscription.dialog else {
            subscriptions[id] = nil
            return
        }
        let seconds = configuration.subscriptionExpiry
        let request = inDialogSubscribe(&dialog, subscription, expires: seconds)
        subscription.dialog = dialog
        subscriptions[id] = subscription
        do {
            let response = try await send(request, to: subscription.endpoint)
            scheduleRefresh(id, after: (try? response.headers.expires()) ?? seconds)
        } catch {
            logger.warning("subscription refresh failed; subscription dropped", metadata: [
                "device": "\(subscription.deviceID)", "event": "\(subscription.event)", "error": "\(error)",
            ])
            subscriptions[id] = nil
        }
    }

    private func inDialogSubscribe(_ dialog: inout SIPDialog, _ subscription: DeviceSubscription, expires: Int) -> SIPRequest {
        var request = dialog.nextRequest(.subscribe, via: requests.via(subscription.endpoint.transport),
                                         body: ByteBuffer(bytes: subscription.body),
                                         contentType: OutgoingRequestFactory.manscdpContentType)
        request.headers.add("Event", subscription.event)
        request.headers.add("Expires", String(expires))
        request.headers.add("User-Agent", requests.userAgent)
        return request
    }

    /// Whose NOTIFY this is: the subscription with this Call-ID, else a registered sender (a device that
    /// keeps notifying after a platform restart). A terminating NOTIFY ends the subscription.
    func notifyOwner(callID: String, sender: String, terminated: Bool) -> String? {
        if let subscription = subscriptions[callID] {
            if terminated {
                subscription.refresh?.cancel()
                subscriptions[callID] = nil
            }
            return subscription.deviceID
        }
        return devices[sender] != nil ? sender : nil
    }
}
