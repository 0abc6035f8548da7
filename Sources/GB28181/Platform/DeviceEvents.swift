import Foundation
import NIOCore
import SIP

/// A device's accepted REGISTER (first registration or refresh).
public struct DeviceRegistration: Sendable, Equatable {
    public var deviceID: String
    /// Where requests to the device go: the packet source (received/rport, spec §1.3), or the TCP peer.
    public var address: SocketAddress
    public var transport: SIPTransportKind
    /// Granted expiry in seconds.
    public var expires: Int
    /// True for a refresh of a registration that was still valid.
    public var isRefresh: Bool
    /// `X-GB-Ver` as sent (absent = 2016 peer, spec §8.2).
    public var gbVersion: String?
    public var userAgent: String?
    public var time: Date
}

/// Why a REGISTER was refused; every refusal is reported so administrators see attempted access.
public enum RegistrationRefusalReason: Sendable, Equatable, CustomStringConvertible {
    /// Not filed in the directory (先注册后接入).
    case unfiled
    /// Digest response did not match the password.
    case wrongPassword
    /// Not a 20-digit code, or a type that may not register (spec §1.1); the text says which.
    case invalidCode(String)
    /// Filed but barred by the directory.
    case barred(String)
    /// Digest username differs from the registering code.
    case usernameMismatch(String)
    /// Neither the device's record nor the platform has a password; the text says how to set one.
    case noPassword(String)

    public var description: String {
        switch self {
        case .unfiled: return "unfiled code"
        case .wrongPassword: return "wrong password"
        case .invalidCode(let text): return "invalid code: \(text)"
        case .barred(let text): return "barred: \(text)"
        case .usernameMismatch(let name): return "digest username \(name) is not the registering code"
        case .noPassword(let hint): return "no password for this device: \(hint)"
        }
    }
}

public struct RegistrationRefusal: Sendable, Equatable {
    /// The code as the device wrote it in From/To (may be anything for a bad code).
    public var deviceID: String
    public var source: SocketAddress
    public var transport: SIPTransportKind
    public var reason: RegistrationRefusalReason
    public var time: Date
}

/// Why a device went online or offline.
public enum OnlineReason: Sendable, Equatable, CustomStringConvertible {
    case registered
    /// A keepalive (or any MESSAGE) from a registered device that had been marked offline.
    case keepaliveResumed
    case unregistered
    /// No REGISTER or keepalive for interval × misses (spec §2.1).
    case keepaliveTimeout
    case registrationExpired
    /// The TCP connection it registered on closed (2022 §9.1.1 f).
    case connectionLost
    /// The platform service stopped.
    case serviceStopped

    public var description: String {
        switch self {
        case .registered: return "registered"
        case .keepaliveResumed: return "keepalive resumed"
        case .unregistered: return "unregistered"
        case .keepaliveTimeout: return "keepalive timeout"
        case .registrationExpired: return "registration expired"
        case .connectionLost: return "TCP connection lost"
        case .serviceStopped: return "service stopped"
        }
    }
}

/// One online/offline transition; each is reported once.
public struct OnlineTransition: Sendable, Equatable {
    public var deviceID: String
    public var online: Bool
    public var reason: OnlineReason
    public var time: Date
}

public struct KeepaliveReport: Sendable, Equatable {
    public var deviceID: String
    /// `Status` of the keepalive (`OK` normally).
    public var status: MANSCDPResult?
    /// Sub-devices the keepalive lists as faulty ⚠️.
    public var faultyDeviceIDs: [String]
    public var time: Date
}

/// How a catalog assembly ended.
public enum CatalogCompletion: Sendable, Equatable {
    /// The count reached SumNum.
    case complete
    /// Stopped waiting; the items received are kept (SumNum lied high, a page was lost or refused).
    case timedOut(AssemblyState.TimeoutReason)
    /// The service stopped or the device unregistered mid-way.
    case abandoned
}

public struct CatalogProgressReport: Sendable, Equatable {
    public var deviceID: String
    public var sn: Int
    public var progress: AssemblyProgress
    public var fragments: Int
}

/// An assembled catalog: the device-reported items as received (App stores them beside the filed values,
/// never over them, and files unknown codes as "discovered, not filed") and both trees of spec §3.6.
public struct CatalogSyncResult: Sendable {
    public var deviceID: String
    public var sn: Int
    public var items: [CatalogItem]
    public var completion: CatalogCompletion
    public var progress: AssemblyProgress
    public var fragments: Int
    public var duplicates: Int
    /// SumNum 0 and no items: the device's channel list is to be cleared (spec §3.6).
    public var isEmptyCatalog: Bool
    /// IDs that stand above the catalog (the queried device, our platform ID).
    public var topIDs: Set<String>
    public var startedAt: Date
    public var finishedAt: Date

    /// The region tree and the business-group (215) / virtual-organisation (216) tree. Computed on demand:
    /// for 100 000 items it costs a fraction of a second, which should not be spent inside the service actor.
    public var trees: CatalogTrees { CatalogTrees(items: items, topIDs: topIDs) }
}

/// One change from a catalog subscription NOTIFY (spec §4): ADD/UPDATE carry the full item, the others
/// only DeviceID and Event.
public struct CatalogChangeReport: Sendable, Equatable {
    public var deviceID: String
    public var sn: Int
    public var changes: [CatalogItem]
    public var time: Date
}

public enum NotificationChannel: String, Sendable, Equatable {
    case message = "MESSAGE"
    case notify = "NOTIFY"
}

public struct AlarmReport: Sendable, Equatable {
    /// The registered device (or lower platform) that sent it; `alarm.deviceID` is the alarm source.
    public var deviceID: String
    public var alarm: AlarmNotify
    public var channel: NotificationChannel
    public var time: Date
}

public struct MobilePositionReport: Sendable, Equatable {
    public var deviceID: String
    public var positions: [MobilePosition]
    public var channel: NotificationChannel
    public var time: Date
}
