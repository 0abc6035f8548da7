/// What an upper platform's INVITE asks of this node, once the router attributed it to that upper and
/// the SDP was read: the channel (our code, re-coding already mapped back), the offer, and where the
/// stream must go.
public struct UpperMediaRequest: Sendable {
    public var upperID: String
    public var channelID: String
    public var offer: GBSessionDescription
    public var delivery: MediaDelivery
    public var callID: String
    /// The upper's media address as it will receive (for the audit's client address).
    public var receiver: String

    public init(upperID: String, channelID: String, offer: GBSessionDescription, delivery: MediaDelivery, callID: String,
                receiver: String) {
        self.upperID = upperID
        self.channelID = channelID
        self.offer = offer
        self.delivery = delivery
        self.callID = callID
        self.receiver = receiver
    }
}

/// What goes into our SDP answer: the address the stream leaves from (and, for `a=setup:active` offers,
/// the TCP port the upper connects to) and the SSRC we send with (the upper's `y=` when it gave one).
public struct UpperMediaAnswer: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var ssrc: UInt32

    public init(host: String, port: Int, ssrc: UInt32) {
        self.host = host
        self.port = port
        self.ssrc = ssrc
    }
}

/// Why an upper's INVITE is refused, as the SIP answer it gets (403 not shared with it, 404 no such
/// channel, 480 the camera is offline, 486 no capacity, 488 an offer we cannot serve, 503 media off).
public struct UpperMediaRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    public var statusCode: Int
    public var reason: String

    public init(statusCode: Int, reason: String) {
        self.statusCode = statusCode
        // A reason phrase is one line of text (an attacker-chosen code must not split the response).
        self.reason = String(reason.map { $0.isNewline || $0 == "\r" ? " " : $0 }.prefix(120))
    }

    public var description: String { "\(statusCode) \(reason)" }
}

/// One relayed stream towards an upper, as the provider opened it.
public protocol UpperMediaLeg: Sendable {
    var answer: UpperMediaAnswer { get }
    /// The upper acknowledged our 200 OK: start sending (TCP listen: after the upper connected).
    func start() async
    /// The upper sent BYE, the ACK never came, or the link is going away: stop and record the end.
    func stop() async
    /// MANSRTSP from the upper in this leg's dialog (seek, speed, pause of a playback), already parsed
    /// once by the link: carried to the device side; returns the status the upper's INFO gets.
    func control(_ body: [UInt8]) async -> Int
}

extension UpperMediaLeg {
    /// A live leg has no position or speed to change: its INFO is refused (405), not acknowledged and ignored.
    public func control(_ body: [UInt8]) async -> Int { 405 }
}

/// App's side of the B2BUA (CASCADE.md §2 "Upper INVITE"): decides the request through Sharing with the
/// upper as the principal, joins the stream local viewers share, and sends it to the upper.
public protocol UpperMediaProvider: Sendable {
    /// Throws `UpperMediaRefusal`. `ended` is called once if the leg ends on our side (a grant revoked, the
    /// camera's stream ended or failed, the upper closed its RTP connection): the link then sends BYE.
    func open(_ request: UpperMediaRequest, ended: @escaping @Sendable (String) -> Void) async throws -> any UpperMediaLeg
}

/// No media towards uppers: every INVITE is answered 503, honestly.
public struct NoUpperMedia: UpperMediaProvider {
    public init() {}
    public func open(_ request: UpperMediaRequest, ended: @escaping @Sendable (String) -> Void) async throws -> any UpperMediaLeg {
        throw UpperMediaRefusal(statusCode: 503, reason: "Media Not Available On This Node")
    }
}
