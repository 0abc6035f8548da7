/// A request method. Methods are case-sensitive tokens (RFC 3261 7.1); anything that is not one of
/// the constants below is an extension method and is kept as sent (RFC 4475 3.1.1.2, 3.1.1.5).
public struct SIPMethod: RawRepresentable, Hashable, Sendable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public var description: String { rawValue }

    public static let register = SIPMethod("REGISTER")
    public static let message = SIPMethod("MESSAGE")
    public static let invite = SIPMethod("INVITE")
    public static let ack = SIPMethod("ACK")
    public static let bye = SIPMethod("BYE")
    public static let cancel = SIPMethod("CANCEL")
    public static let subscribe = SIPMethod("SUBSCRIBE")
    public static let notify = SIPMethod("NOTIFY")
    public static let info = SIPMethod("INFO")
    public static let options = SIPMethod("OPTIONS")

    /// Methods this stack knows; anything else is an extension.
    public static let known: [SIPMethod] = [
        .register, .message, .invite, .ack, .bye, .cancel, .subscribe, .notify, .info, .options,
    ]

    public var isKnown: Bool { Self.known.contains(self) }
}
