import Foundation

/// Where the link to one upper platform stands, as the console shows it.
public enum UpperLinkState: Sendable, Equatable {
    /// Not started, or stopped by us.
    case idle
    case registering
    /// Registered until `until` (refreshed before it); keepalives answered.
    case registered(until: Date)
    /// The last attempt failed with `failure`; the next starts at `retryAt`.
    case backoff(failure: UpperLinkFailure, attempt: Int, retryAt: Date)
    /// The upper refused us (403, or our credentials twice): no retry until the configuration changes,
    /// since retrying a refusal only fills the upper's log and may get our address blocked.
    case refused(UpperLinkFailure)

    public var isRegistered: Bool { if case .registered = self { true } else { false } }

    /// A stable name for the API and the console.
    public var name: String {
        switch self {
        case .idle: "idle"
        case .registering: "registering"
        case .registered: "registered"
        case .backoff: "backoff"
        case .refused: "refused"
        }
    }
}

/// Why a registration or keepalive towards an upper failed, in words a person can act on.
public enum UpperLinkFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The upper answered with this final status (400, 404, 503 ...).
    case rejected(statusCode: Int, reason: String)
    /// 403: the upper does not accept this node (not filed there, or barred).
    case forbidden(reason: String)
    /// The upper challenged our answer again: the user name or password is not what it has.
    case credentialsRefused
    /// A challenge we cannot answer (no or malformed WWW-Authenticate, an algorithm we lack).
    case unanswerableChallenge(String)
    /// No answer at all within the SIP timers.
    case noAnswer
    /// The transport failed (connection refused, reset).
    case transport(String)
    /// `misses` keepalives in a row went unanswered or were refused.
    case keepalivesUnanswered(misses: Int)

    public var description: String {
        switch self {
        case .rejected(let status, let reason):
            "the upper platform answered \(status) \(reason); check its address and our ID in its configuration"
        case .forbidden(let reason):
            "the upper platform refused this node (403 \(reason)); it must file our ID and password before we can register"
        case .credentialsRefused:
            "the upper platform did not accept our user name and password; check them against what it has filed"
        case .unanswerableChallenge(let detail):
            "the upper platform's challenge cannot be answered: \(detail)"
        case .noAnswer:
            "the upper platform did not answer; check its address, port and transport, and the network between"
        case .transport(let detail):
            "cannot reach the upper platform: \(detail)"
        case .keepalivesUnanswered(let misses):
            "\(misses) keepalives in a row were not answered; the link is re-registered"
        }
    }

    /// A stable code for the API and the audit.
    public var code: String {
        switch self {
        case .rejected: "rejected"
        case .forbidden: "forbidden"
        case .credentialsRefused: "credentials_refused"
        case .unanswerableChallenge: "unanswerable_challenge"
        case .noAnswer: "no_answer"
        case .transport: "transport"
        case .keepalivesUnanswered: "keepalives_unanswered"
        }
    }
}

/// What an upper link reports to whoever keeps its history (App records it; the console shows it).
public enum UpperLinkEvent: Sendable, Equatable {
    case stateChanged(platformID: String, state: UpperLinkState)
    case keepaliveMissed(platformID: String, misses: Int)
    /// The upper asked for our catalog and this is how the push went.
    case catalogPushed(platformID: String, report: CatalogPushReport)
    /// The upper INVITEd a channel and we answered 200 (the relay runs from its ACK).
    case callStarted(platformID: String, channelID: String, callID: String)
    /// A relayed session ended, by the upper's BYE or on our side (then we sent BYE), and why.
    case callEnded(platformID: String, channelID: String, callID: String, reason: String)
    /// The upper subscribed to our catalog (`expires` 0: it unsubscribed).
    case catalogSubscription(platformID: String, expires: Int)
    /// Catalog changes sent by NOTIFY: how many items, in how many NOTIFYs answered 2xx.
    case catalogNotified(platformID: String, changes: Int, notifies: Int)
    /// The upper subscribed to our alarms (`expires` 0: it unsubscribed).
    case alarmSubscription(platformID: String, expires: Int)
    /// An alarm of `source` sent up by NOTIFY, in how many NOTIFYs answered 2xx.
    case alarmNotified(platformID: String, source: String, notifies: Int)
    /// A command or query about one of our channels: relayed (`statusCode` 200) or refused, and why.
    case command(platformID: String, channelID: String, cmdType: String, statusCode: Int, reason: String)
}
