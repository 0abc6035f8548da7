import GB28181
import Media
import SIP

/// What `gbshare simulate` starts: N cameras that each register, one NVR with N channels, or a lower
/// platform with N channels, and how they reach the platform. Defaults in one place (here).
public struct SimulatedFleetConfiguration: Sendable {
    public enum Shape: Sendable, Equatable {
        case cameras(Int)
        case nvr(channels: Int)
        case platform(channels: Int)
    }

    public var shape: Shape = .cameras(1)
    public var platformHost = "127.0.0.1"
    public var platformPort = 5060
    public var platformID = "34020000002000000001"
    /// SIP domain; nil = the platform ID's first 10 digits (spec §1.6).
    public var domain: String?
    public var password = "12345678"
    public var keepaliveSeconds = 60
    /// When set, every member reports an alarm (video, priority 1) of its first channel this often: a
    /// source of alarms for the platform's alarm handling and the cascade's alarm forwarding.
    public var alarmEverySeconds: Int?
    public var expires = 3600
    public var transport: SIPTransportKind = .udp
    public var bindHost = "127.0.0.1"
    /// Six-digit division code and two-digit industry/department code of the generated device IDs.
    public var division = "441502"
    public var department = "29"
    /// Serial (last six digits) of the first device ID; the others count up from it.
    public var serial = 1
    public var codec: MediaCodec = .h264

    public init() {}

    /// Re-register when this much of `expires` is left, as cameras do (most refresh at about half).
    public var reregisterAfterSeconds: Int { max(1, expires / 2) }
}
