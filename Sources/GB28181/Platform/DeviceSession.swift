import Foundation
import NIOCore
import SIP

/// What the service keeps per registered device. Kept small and flat (no per-device tasks or timers):
/// 100 000 of these live in one dictionary, and the sweeper scans them periodically.
struct DeviceSession: Sendable {
    /// Where requests go: received/rport of the REGISTER or the latest keepalive (NAT rebinding, spec §2.4),
    /// or the TCP peer address, which is also the key of the connection in the transport's table.
    var address: SocketAddress
    var transport: SIPTransportKind
    /// Call-ID of the accepted REGISTER: a refresh reuses it (spec §2.1).
    var registrationCallID: String
    var expiresAt: ContinuousClock.Instant
    var lastSeen: ContinuousClock.Instant
    var registeredAt: Date
    var online: Bool
    var charset: OutgoingCharset
    var gbVersion: String?
}

/// A copy of a device's state for App and tests.
public struct DeviceSnapshot: Sendable, Equatable {
    public var deviceID: String
    public var address: SocketAddress
    public var transport: SIPTransportKind
    public var online: Bool
    public var registeredAt: Date
    /// Seconds until the registration expires (negative once past).
    public var expiresIn: Duration
    /// Time since the last REGISTER or keepalive.
    public var silentFor: Duration
    public var charset: OutgoingCharset
    public var gbVersion: String?

    init(deviceID: String, session: DeviceSession, now: ContinuousClock.Instant) {
        self.deviceID = deviceID
        address = session.address
        transport = session.transport
        online = session.online
        registeredAt = session.registeredAt
        expiresIn = now.duration(to: session.expiresAt)
        silentFor = session.lastSeen.duration(to: now)
        charset = session.charset
        gbVersion = session.gbVersion
    }
}

/// Counters for benchmarks and metrics.
public struct PlatformCounters: Sendable, Equatable {
    public var registrations = 0
    public var refreshes = 0
    public var challenges = 0
    public var refusals = 0
    /// REGISTERs whose nonce had been used before (a captured header sent again).
    public var replays = 0
    public var unregistrations = 0
    public var keepalives = 0
    /// Keepalives from devices that are not registered (answered 404 so they re-register).
    public var unknownKeepalives = 0
    public var messages = 0
    /// MESSAGE/NOTIFY naming a registered device from an address other than its registration's.
    public var impostors = 0
    public var badBodies = 0
    public var onlineTransitions = 0
    public var offlineTransitions = 0
    public init() {}
}
