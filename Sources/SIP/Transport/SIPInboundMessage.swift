import NIOCore

public enum SIPTransportKind: String, Sendable, Hashable, CustomStringConvertible {
    case udp = "UDP"
    case tcp = "TCP"

    public var description: String { rawValue }

    /// The Via transport token (`SIP/2.0/UDP`); anything not TCP is sent over UDP.
    init(viaTransport: String) {
        self = viaTransport.uppercased() == "TCP" ? .tcp : .udp
    }
}

/// A message as it arrived: parsed, validated, with the real source address. For a request
/// the top Via already carries `received`/`rport` (RFC 3261 18.2.1, RFC 3581 4).
public struct SIPInboundMessage: Sendable {
    public var message: SIPMessage
    public var source: SocketAddress
    public var transport: SIPTransportKind
    /// The UDP socket or the TCP connection it came on: responses go back the same way.
    let channel: Channel

    public var request: SIPRequest? { message.request }
    public var response: SIPResponse? { message.response }
}

extension SocketAddress {
    /// `ip` of an IPv4/IPv6 address as it should appear in `received`.
    var hostText: String { ipAddress ?? "0.0.0.0" }
}
