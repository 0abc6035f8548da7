import Foundation

/// Implemented by App: where the platform service reports what devices do. Events arrive in order, one at a
/// time, from a single delivery task, so an implementation may write them straight to storage; a slow sink
/// delays later events but never the SIP answers (those are sent before the event is delivered).
///
/// Every method has a no-op default so a consumer implements only what it stores.
public protocol DeviceEventSink: Sendable {
    func deviceRegistered(_ registration: DeviceRegistration) async
    /// Expires: 0, or the registration expired (`reason` says which).
    func deviceUnregistered(deviceID: String, reason: OnlineReason, time: Date) async
    /// Online/offline transitions, each once; App keeps them as history and updates network status.
    func deviceOnlineChanged(_ transition: OnlineTransition) async
    /// Wrong password, unfiled or invalid code: an attempted access for the administrators.
    func registrationRefused(_ refusal: RegistrationRefusal) async
    func keepaliveReceived(_ keepalive: KeepaliveReport) async
    func catalogProgress(_ progress: CatalogProgressReport) async
    /// Every assembled catalog, complete or partial (a timed-out assembly still delivers what arrived).
    func catalogReceived(_ result: CatalogSyncResult) async
    func catalogChanged(_ change: CatalogChangeReport) async
    func alarmReceived(_ alarm: AlarmReport) async
    func mobilePositionReceived(_ position: MobilePositionReport) async
    /// A media session established by `invite` ended (any side, any reason), once per session: release its
    /// `offeredSSRC` and tear down the receiver.
    func mediaSessionEnded(_ ended: MediaSessionEnded) async
}

extension DeviceEventSink {
    public func deviceRegistered(_ registration: DeviceRegistration) async {}
    public func deviceUnregistered(deviceID: String, reason: OnlineReason, time: Date) async {}
    public func deviceOnlineChanged(_ transition: OnlineTransition) async {}
    public func registrationRefused(_ refusal: RegistrationRefusal) async {}
    public func keepaliveReceived(_ keepalive: KeepaliveReport) async {}
    public func catalogProgress(_ progress: CatalogProgressReport) async {}
    public func catalogReceived(_ result: CatalogSyncResult) async {}
    public func catalogChanged(_ change: CatalogChangeReport) async {}
    public func alarmReceived(_ alarm: AlarmReport) async {}
    public func mobilePositionReceived(_ position: MobilePositionReport) async {}
    public func mediaSessionEnded(_ ended: MediaSessionEnded) async {}
}

/// The events as values, for the ordered delivery queue (and for consumers that prefer one stream).
public enum DeviceEvent: Sendable {
    case registered(DeviceRegistration)
    case unregistered(deviceID: String, reason: OnlineReason, time: Date)
    case onlineChanged(OnlineTransition)
    case refused(RegistrationRefusal)
    case keepalive(KeepaliveReport)
    case catalogProgress(CatalogProgressReport)
    case catalog(CatalogSyncResult)
    case catalogChanged(CatalogChangeReport)
    case alarm(AlarmReport)
    case mobilePosition(MobilePositionReport)
    case mediaSessionEnded(MediaSessionEnded)

    func deliver(to sink: any DeviceEventSink) async {
        switch self {
        case .registered(let value): await sink.deviceRegistered(value)
        case let .unregistered(id, reason, time): await sink.deviceUnregistered(deviceID: id, reason: reason, time: time)
        case .onlineChanged(let value): await sink.deviceOnlineChanged(value)
        case .refused(let value): await sink.registrationRefused(value)
        case .keepalive(let value): await sink.keepaliveReceived(value)
        case .catalogProgress(let value): await sink.catalogProgress(value)
        case .catalog(let value): await sink.catalogReceived(value)
        case .catalogChanged(let value): await sink.catalogChanged(value)
        case .alarm(let value): await sink.alarmReceived(value)
        case .mobilePosition(let value): await sink.mobilePositionReceived(value)
        case .mediaSessionEnded(let value): await sink.mediaSessionEnded(value)
        }
    }
}
