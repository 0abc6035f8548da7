import Logging
import NIOCore

/// What every transport does with a parsed message before the transaction layer sees it:
/// validate, stamp the source into the top Via, and decide whether a broken request can still be
/// answered. Runs on the channel's event loop.
struct SIPInboundProcessor: Sendable {
    let continuation: AsyncStream<SIPInboundMessage>.Continuation
    let logger: Logger

    enum Outcome {
        case delivered
        /// A request we could not accept but can answer (RFC 3261 8.2, 16.3): send this back.
        case reply(SIPResponse)
        case dropped
    }

    func process(_ message: SIPMessage, source: SocketAddress, transport: SIPTransportKind, channel: Channel) -> Outcome {
        do {
            try message.validate()
        } catch {
            logger.warning("dropping invalid SIP message", metadata: [
                "source": "\(source)", "transport": "\(transport)", "error": "\(error)",
            ])
            guard case .request(let request) = message, request.method != .ack,
                  let reply = Self.errorResponse(to: request, error: error, source: source)
            else { return .dropped }
            return .reply(reply)
        }
        var message = message
        if case .request(var request) = message {
            stampSource(&request, source: source)
            message = .request(request)
        }
        continuation.yield(SIPInboundMessage(message: message, source: source, transport: transport, channel: channel))
        return .delivered
    }

    /// RFC 3261 18.2.1 / RFC 3581 4: record where the request really came from, whatever the
    /// device wrote in its Via (NATed cameras put their LAN address there).
    private func stampSource(_ request: inout SIPRequest, source: SocketAddress) {
        guard var via = try? request.headers.topVia(), let port = source.port else { return }
        via.recordSource(host: source.hostText, port: port)
        request.headers.setTopVia(via)
    }

    /// A 400/416/505 for a request whose Via, From, To, Call-ID and CSeq lines exist (otherwise the
    /// peer could not match the answer), with the parse error in a Warning (RFC 3261 20.43).
    static func errorResponse(to request: SIPRequest, error: SIPParseError, source: SocketAddress) -> SIPResponse? {
        guard var via = try? request.headers.topVia(), let port = source.port else { return nil }
        for name in ["From", "To", "Call-ID", "CSeq"] where request.headers[name] == nil { return nil }
        via.recordSource(host: source.hostText, port: port)
        var copy = request
        copy.headers.setTopVia(via)
        var response = SIPResponse(replyingTo: copy, statusCode: error.suggestedStatus)
        let text = error.description.replacingControlCharacters().filter { $0 != "\"" && $0 != "\\" }
        response.headers.add("Warning", "399 gbshare \"\(text)\"")
        return response
    }
}
