import NIOCore
import SIP

/// Builds the requests the platform originates towards a device, in the header shapes of spec §1.6:
/// Request-URI `sip:<devID>@<ip>:<port>`, From `<sip:<serverID>@<domain>>;tag=`, a fresh Call-ID per request.
struct OutgoingRequestFactory: Sendable {
    let platformID: String
    let domain: String
    let host: String
    let port: Int
    let userAgent: String

    /// `Application/MANSCDP+xml`, as most peers write it (spec §1.4).
    static let manscdpContentType = "Application/MANSCDP+xml"

    init(configuration: GBPlatformConfiguration, port: Int) {
        platformID = configuration.platformID
        domain = configuration.domain
        host = configuration.host
        self.port = port
        userAgent = configuration.userAgent
    }

    var localURI: SIPURI { SIPURI(user: platformID, host: domain) }

    var contact: SIPNameAddress { SIPNameAddress(uri: SIPURI(user: platformID, host: host, port: port)) }

    func via(_ transport: SIPTransportKind) -> Via {
        Via(transport: transport.rawValue, host: host, port: port, branch: SIPIdentifiers.branch())
    }

    func deviceURI(_ endpoint: DeviceEndpoint) -> SIPURI {
        SIPURI(user: endpoint.deviceID, host: endpoint.address.ipAddress ?? domain, port: endpoint.address.port)
    }

    /// A MESSAGE carrying a MANSCDP body (spec §3.3 wire example).
    func message(to endpoint: DeviceEndpoint, body: [UInt8]) -> SIPRequest {
        var request = base(.message, to: endpoint, callID: SIPIdentifiers.callID(host: host), sequence: 1)
        request.headers.add("Content-Type", Self.manscdpContentType)
        request.body = ByteBuffer(bytes: body)
        return request
    }

    /// A SUBSCRIBE opening a subscription dialog (spec §4): Contact, Event and Expires are mandatory.
    func subscribe(to endpoint: DeviceEndpoint, event: String, expires: Int, body: [UInt8]) -> SIPRequest {
        var request = base(.subscribe, to: endpoint, callID: SIPIdentifiers.callID(host: host), sequence: 1)
        request.headers.add("Contact", contact.description)
        request.headers.add("Event", event)
        request.headers.add("Expires", String(expires))
        request.headers.add("Content-Type", Self.manscdpContentType)
        request.body = ByteBuffer(bytes: body)
        return request
    }

    func base(_ method: SIPMethod, to endpoint: DeviceEndpoint, callID: String, sequence: UInt32) -> SIPRequest {
        let target = deviceURI(endpoint)
        var request = SIPRequest(method: method, uri: target)
        request.headers.add("Via", via(endpoint.transport).description)
        var from = SIPNameAddress(uri: localURI)
        from.tag = SIPIdentifiers.tag()
        request.headers.add("From", from.description)
        request.headers.add("To", SIPNameAddress(uri: target).description)
        request.headers.add("Call-ID", callID)
        request.headers.add("CSeq", CSeq(sequence, method).description)
        request.headers.add("Max-Forwards", "70")
        request.headers.add("User-Agent", userAgent)
        return request
    }
}

extension GBPlatformService {
    /// Sends a request in its own client transaction and returns the final response; a non-2xx or a
    /// transport failure becomes a `GBPlatformError`.
    nonisolated func send(_ request: SIPRequest, to endpoint: DeviceEndpoint) async throws(GBPlatformError) -> SIPResponse {
        let response: SIPResponse
        do {
            response = try await layer.sendRequest(request, to: endpoint.address, transport: endpoint.transport)
        } catch {
            if endpoint.transport == .tcp, case .transportFailure = error as? SIPTransactionError {
                await connectionFailed(endpoint)
            }
            throw .transport(deviceID: endpoint.deviceID, reason: "\(error)")
        }
        guard response.isSuccess else {
            throw .rejected(deviceID: endpoint.deviceID, statusCode: response.statusCode, reason: response.reasonPhrase)
        }
        return response
    }

    /// Encodes `command` in the device's charset and sends it by MESSAGE.
    nonisolated func sendMessage(_ command: some MANSCDPCommand, to endpoint: DeviceEndpoint) async throws(GBPlatformError) {
        let body: [UInt8]
        do {
            body = try command.encoded(charset: endpoint.charset)
        } catch {
            throw .encoding(error.description)
        }
        _ = try await send(requests.message(to: endpoint, body: body), to: endpoint)
    }
}
