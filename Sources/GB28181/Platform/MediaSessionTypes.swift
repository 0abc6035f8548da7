import Foundation
import NIOCore
import SIP

/// Identifies a media session (and the INVITE that opens it): the Call-ID of its dialog. Chosen by the caller
/// before the INVITE (`MediaOffer.id`) so a pending INVITE can be cancelled by ID with `cancelInvite(_:)`.
public struct MediaSessionID: Hashable, Sendable, CustomStringConvertible {
    public var callID: String

    public init(callID: String) { self.callID = callID }

    /// A fresh, globally unique Call-ID.
    public init() { callID = SIPIdentifiers.callID() }

    public var description: String { callID }
}

/// What the platform asks a device for in an INVITE (spec §5.1, §5.4-§5.6).
///
/// SSRC ownership: the caller leases `ssrc` (e.g. from `SharedSSRCAllocator`) and frees it itself. If
/// `invite` throws, no session exists: free it then. If `invite` returns, free it when the session ends:
/// every end (our `bye`, the device's BYE, the device going offline or unregistering, `stop()`) is
/// reported once through `DeviceEventSink.mediaSessionEnded`, which carries `offeredSSRC`. The answer's `y=`
/// (which wins, spec §5.3) is the device's choice and is not leased by anyone.
public struct MediaOffer: Sendable, Equatable {
    public var id: MediaSessionID
    /// Live (`s=Play`), or a recorded range (`s=Playback` / `s=Download`, with `u=` and `t=`).
    public var request: MediaRequest
    public var mode: MediaReceiveMode
    public var ssrc: GBSSRC
    /// Our media receive address for `o=`/`c=` (the media server's IP as the device must reach it).
    public var receiveAddress: String
    /// Our receive port (`m=`): UDP RTP, or the TCP port we listen on (passive). For TCP active the device
    /// ignores it; a port is still written as the spec's examples do.
    public var receivePort: Int
    /// `o=` username; nil = the platform ID.
    public var originID: String?
    /// `a=streamnumber:` (0 main, 1 sub; 2022), nil to leave it out.
    public var streamNumber: Int?
    /// How long to wait for the final response to the INVITE; then CANCEL and `MediaSessionError.timeout`
    /// (spec §5.1: 10-20 s).
    public var answerTimeout: Duration

    public init(id: MediaSessionID = MediaSessionID(), request: MediaRequest = .live, mode: MediaReceiveMode = .udp,
                ssrc: GBSSRC, receiveAddress: String, receivePort: Int, originID: String? = nil,
                streamNumber: Int? = nil, answerTimeout: Duration = .seconds(15)) {
        self.id = id
        self.request = request
        self.mode = mode
        self.ssrc = ssrc
        self.receiveAddress = receiveAddress
        self.receivePort = receivePort
        self.originID = originID
        self.streamNumber = streamNumber
        self.answerTimeout = answerTimeout
    }
}

/// An address and port from an SDP (`c=` + `m=`).
public struct MediaEndpoint: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public var description: String { "\(host):\(port)" }
}

/// An established media session: the device accepted the INVITE and we sent the ACK.
public struct MediaSession: Sendable, Equatable, Identifiable {
    public var id: MediaSessionID
    public var deviceID: String
    public var channelID: String
    public var request: MediaRequest
    public var mode: MediaReceiveMode
    /// The SSRC we offered (and the caller leased).
    public var offeredSSRC: GBSSRC
    /// The SSRC to expect in RTP: the answer's `y=` when it has a usable one (spec §5.3: the answer wins),
    /// else the offered one. 🔧 Some devices still send another SSRC: bind the port to the stream if so.
    public var ssrc: UInt32
    /// The answer's `y=` verbatim (nil when absent).
    public var answeredSSRC: String?
    /// The device's media address from the answer (`c=`, falling back to the device's signalling IP, and
    /// `m=` port). For TCP active this is where we connect; for TCP passive the port is meaningless (often 9).
    public var deviceMedia: MediaEndpoint
    /// `a=setup:` of the answer (TCP): `active` when the device connects to us, `passive` when it listens.
    public var deviceSetup: TCPSetupRole?
    public var offer: GBSessionDescription
    public var answer: GBSessionDescription
    public var establishedAt: Date

    /// TCP active: the device's listening address to connect to (nil for UDP and TCP passive).
    public var tcpConnectTarget: MediaEndpoint? { mode == .tcpActive ? deviceMedia : nil }
    /// What the device will send: PS (payload type 96 `PS/90000`) or a raw elementary stream (spec §6.6).
    public var format: RTPMap? { answer.video?.primaryFormat }
}

/// Why a media session ended.
public enum MediaSessionEndReason: Sendable, Equatable, CustomStringConvertible {
    /// We sent BYE (`bye(_:)`).
    case localBye
    /// The device sent BYE (stream ended on its side, end of a playback file, device restart).
    case deviceBye
    /// The device went offline or unregistered; a BYE was sent best-effort.
    case deviceOffline(OnlineReason)
    /// The platform service stopped.
    case serviceStopped

    public var description: String {
        switch self {
        case .localBye: return "BYE sent by the platform"
        case .deviceBye: return "BYE sent by the device"
        case .deviceOffline(let reason): return "device offline (\(reason))"
        case .serviceStopped: return "platform service stopped"
        }
    }
}

/// A media session ended, for `DeviceEventSink.mediaSessionEnded`. Reported once per established session.
public struct MediaSessionEnded: Sendable, Equatable {
    public var id: MediaSessionID
    public var deviceID: String
    public var channelID: String
    /// The SSRC the caller leased for the offer: release it now.
    public var offeredSSRC: GBSSRC
    /// The RTP SSRC the session used (answer's y= or the offered one).
    public var ssrc: UInt32
    public var reason: MediaSessionEndReason
    public var time: Date
}

/// Why an INVITE did not give a session, or a BYE went wrong, phrased for an operator.
public enum MediaSessionError: Error, Sendable, Equatable, CustomStringConvertible {
    case deviceNotRegistered(String)
    case deviceOffline(String)
    /// A non-2xx final response to the INVITE (400, 404 no such channel, 486 busy, 488 SDP not acceptable...).
    case refused(deviceID: String, statusCode: Int, reason: String)
    /// No final response within the answer timeout (a CANCEL was sent).
    case timeout(deviceID: String, after: Duration)
    /// The caller's Task was cancelled or `cancelInvite` was called (a CANCEL was sent).
    case cancelled(deviceID: String)
    /// 200 OK with no usable SDP answer: we ACKed and sent BYE.
    case invalidAnswer(deviceID: String, reason: String)
    /// The INVITE or BYE could not be sent, or the BYE got no answer.
    case transport(deviceID: String, reason: String)
    /// `bye` for a session that is not (or no longer) established.
    case unknownSession(MediaSessionID)
    /// An INVITE with this ID is already pending or established.
    case duplicateSession(MediaSessionID)
    case invalidOffer(String)
    case stopped

    public var description: String {
        switch self {
        case .deviceNotRegistered(let id): return "device \(id) is not registered"
        case .deviceOffline(let id): return "device \(id) is offline"
        case let .refused(id, status, reason): return "device \(id) refused the INVITE: \(status) \(reason)"
        case let .timeout(id, after): return "device \(id) did not answer the INVITE within \(after)"
        case .cancelled(let id): return "INVITE to device \(id) cancelled"
        case let .invalidAnswer(id, reason): return "device \(id) accepted the INVITE with an unusable SDP answer: \(reason)"
        case let .transport(id, reason): return "could not reach device \(id): \(reason)"
        case .unknownSession(let id): return "no media session \(id)"
        case .duplicateSession(let id): return "media session \(id) already exists"
        case .invalidOffer(let reason): return "invalid media offer: \(reason)"
        case .stopped: return "the platform service stopped"
        }
    }
}
