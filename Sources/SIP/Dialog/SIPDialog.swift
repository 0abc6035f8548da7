import NIOCore

/// A dialog created by INVITE or SUBSCRIBE (RFC 3261 12, RFC 6665 4.1.2): what is needed to
/// send requests inside it (ACK, BYE, INFO, NOTIFY, SUBSCRIBE refreshes) and to check requests
/// that arrive in it.
public struct SIPDialog: Sendable, Hashable {
    public struct ID: Hashable, Sendable, CustomStringConvertible {
        public var callID: String
        public var localTag: String
        public var remoteTag: String

        public init(callID: String, localTag: String, remoteTag: String) {
            self.callID = callID
            self.localTag = localTag
            self.remoteTag = remoteTag
        }

        public var description: String { "\(callID);local=\(localTag);remote=\(remoteTag)" }
    }

    public var id: ID
    /// Our address with our tag (From of requests we send).
    public var localAddress: SIPNameAddress
    /// The peer's address with its tag (To of requests we send).
    public var remoteAddress: SIPNameAddress
    /// Request-URI of in-dialog requests: the peer's Contact (RFC 3261 12.1.1, 12.1.2).
    public var remoteTarget: SIPURI
    /// Route headers for in-dialog requests, in sending order.
    public var routeSet: [SIPNameAddress]
    /// Last CSeq number we used; `nextRequest` increments it.
    public var localSequence: UInt32
    /// Highest CSeq number seen from the peer (nil until the first in-dialog request).
    public var remoteSequence: UInt32?
    /// Our Contact, repeated in target-refresh requests.
    public var localContact: SIPNameAddress?

    /// The UAC side, from the request we sent and a 2xx (or 101-199 with a To tag) we got
    /// (RFC 3261 12.1.2): route set is the response's Record-Route reversed.
    public init(uacRequest request: SIPRequest, response: SIPResponse) throws(SIPParseError) {
        let from = try request.headers.from()
        let to = try response.headers.to()
        guard let localTag = from.tag else { throw .invalidHeader(name: "From", value: from.description, reason: "no tag") }
        guard let remoteTag = to.tag else { throw .invalidHeader(name: "To", value: to.description, reason: "no tag in the response") }
        guard let callID = request.headers.callID else { throw .missingHeader("Call-ID") }
        id = ID(callID: callID, localTag: localTag, remoteTag: remoteTag)
        localAddress = from
        remoteAddress = to
        remoteTarget = try response.headers.contact()?.uri ?? request.uri
        routeSet = try response.headers.recordRoutes().reversed()
        localSequence = try request.headers.cseq().sequence
        remoteSequence = nil
        localContact = try request.headers.contact()
    }

    /// The UAS side, from the request we got and the response we sent with our To tag
    /// (RFC 3261 12.1.1): route set is the request's Record-Route in order.
    public init(uasRequest request: SIPRequest, response: SIPResponse) throws(SIPParseError) {
        let from = try request.headers.from()
        let to = try response.headers.to()
        guard let remoteTag = from.tag else { throw .invalidHeader(name: "From", value: from.description, reason: "no tag") }
        guard let localTag = to.tag else { throw .invalidHeader(name: "To", value: to.description, reason: "no tag in our response") }
        guard let callID = request.headers.callID else { throw .missingHeader("Call-ID") }
        id = ID(callID: callID, localTag: localTag, remoteTag: remoteTag)
        localAddress = to
        remoteAddress = from
        guard let contact = try request.headers.contact() else { throw .missingHeader("Contact") }
        remoteTarget = contact.uri
        routeSet = try request.headers.recordRoutes()
        localSequence = 0
        remoteSequence = try request.headers.cseq().sequence
        localContact = try response.headers.contact()
    }

    /// A new request in the dialog (BYE, INFO, NOTIFY, SUBSCRIBE refresh...), with the next CSeq
    /// and a fresh branch in a Via for `via` (RFC 3261 12.2.1.1). Loose routing is assumed
    /// (`;lr`), which is all GB/T 28181 peers use.
    public mutating func nextRequest(
        _ method: SIPMethod, via: Via, body: ByteBuffer = ByteBuffer(), contentType: String? = nil
    ) -> SIPRequest {
        localSequence += 1
        return makeRequest(method, sequence: localSequence, via: via, body: body, contentType: contentType)
    }

    /// The ACK for a 2xx to the INVITE with CSeq number `inviteSequence` (RFC 3261 13.2.2.4):
    /// a new branch, the INVITE's CSeq number with method ACK, sent outside any transaction.
    public func acknowledgement(inviteSequence: UInt32, via: Via, body: ByteBuffer = ByteBuffer(), contentType: String? = nil) -> SIPRequest {
        makeRequest(.ack, sequence: inviteSequence, via: via, body: body, contentType: contentType)
    }

    /// Checks an in-dialog request's CSeq (RFC 3261 12.2.2): a lower number than one seen is out
    /// of order (answer 500). ACK and CANCEL reuse their INVITE's number and are not checked.
    public mutating func acceptRemoteSequence(of request: SIPRequest) throws(SIPParseError) -> Bool {
        let sequence = try request.headers.cseq().sequence
        guard request.method != .ack, request.method != .cancel else { return true }
        if let seen = remoteSequence, sequence <= seen, !(sequence == seen && request.method == .notify) { return false }
        remoteSequence = sequence
        return true
    }

    private func makeRequest(_ method: SIPMethod, sequence: UInt32, via: Via, body: ByteBuffer, contentType: String?) -> SIPRequest {
        var request = SIPRequest(method: method, uri: remoteTarget, body: body)
        var topVia = via
        topVia.branch = SIPIdentifiers.branch()
        request.headers.add("Via", topVia.description)
        request.headers.add("From", localAddress.description)
        request.headers.add("To", remoteAddress.description)
        request.headers.add("Call-ID", id.callID)
        request.headers.add("CSeq", CSeq(sequence, method).description)
        for route in routeSet { request.headers.add("Route", route.description) }
        if let localContact, method != .bye { request.headers.add("Contact", localContact.description) }
        request.headers.add("Max-Forwards", "70")
        if let contentType { request.headers.add("Content-Type", contentType) }
        return request
    }
}
