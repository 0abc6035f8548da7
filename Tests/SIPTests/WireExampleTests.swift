import Foundation
import NIOCore
import Testing

@testable import SIP

@Suite("GB/T 28181 wire examples")
struct WireExampleTests {
    let parser = SIPMessageParser()

    @Test("parses, validates and serialises back to the same bytes", arguments: SpecWire.all.map(\.name))
    func roundTrip(name: String) throws {
        let text = try #require(SpecWire.all.first { $0.name == name }?.text)
        let input = SpecWire.bytes(text)
        let message = try parser.parse(datagram: input)
        try message.validate()
        #expect(String(buffer: message.bytes) == SpecWire.crlf(text))
        #expect(message.body.readableBytes == (try message.headers.contentLength()))
    }

    @Test func registerFields() throws {
        let request = try #require(try parser.parse(datagram: SpecWire.bytes(SpecWire.register1)).request)
        #expect(request.method == .register)
        #expect(request.uri.user == "34020000002000000001")
        #expect(request.uri.host == "3402000000")
        #expect(request.uri.port == nil)
        let via = try request.headers.topVia()
        #expect(via.transport == "UDP")
        #expect(via.host == "192.168.1.64")
        #expect(via.port == 5060)
        #expect(via.hasRPort && via.rport == nil)
        #expect(via.branch == "z9hG4bK1371463273")
        #expect(via.hasRFC3261Branch)
        #expect(try request.headers.from().tag == "2043466181")
        #expect(try request.headers.to().tag == nil)
        #expect(try request.headers.to().uri.user == "34020000001320000001")
        #expect(request.headers.callID == "1011047669")
        #expect(try request.headers.cseq() == CSeq(1, .register))
        #expect(try request.headers.contact()?.uri.hostPort == "192.168.1.64:5060")
        #expect(try request.headers.maxForwards() == 70)
        #expect(try request.headers.expires() == 3600)
        #expect(request.headers["user-agent"] == "IP Camera")
    }

    /// The platform's 401 built from REGISTER #1 as received from 192.168.1.64:5060 is byte-equal
    /// to the spec's 401 (received/rport order included).
    @Test func build401FromRegister() throws {
        var request = try #require(try parser.parse(datagram: SpecWire.bytes(SpecWire.register1)).request)
        var via = try request.headers.topVia()
        via.recordSource(host: "192.168.1.64", port: 5060)
        request.headers.setTopVia(via)
        var response = SIPResponse(replyingTo: request, statusCode: 401, toTag: "1716163200123")
        let challenge = DigestChallenge(realm: "3402000000", nonce: "9bd055f2a4e3f4d1c2b3a49586778899")
        response.headers.add("WWW-Authenticate", challenge.headerValue)
        #expect(String(buffer: response.bytes) == SpecWire.crlf(SpecWire.unauthorized401))
    }

    @Test func build200FromRegister2() throws {
        var request = try #require(try parser.parse(datagram: SpecWire.bytes(SpecWire.register2)).request)
        var via = try request.headers.topVia()
        via.recordSource(host: "192.168.1.64", port: 5060)
        request.headers.setTopVia(via)
        var response = SIPResponse(replyingTo: request, statusCode: 200, toTag: "1716163200456")
        response.headers.add("Contact", try #require(request.headers["Contact"]))
        response.headers.add("Expires", "3600")
        response.headers.add("Date", "2024-05-20T08:00:00.456")
        #expect(String(buffer: response.bytes) == SpecWire.crlf(SpecWire.registerOK))
    }

    @Test func register2DigestVerifies() throws {
        let request = try #require(try parser.parse(datagram: SpecWire.bytes(SpecWire.register2)).request)
        let credentials = try DigestCredentials(parsing: try #require(request.headers["Authorization"]))
        #expect(credentials.qop == "auth")
        #expect(credentials.nonceCount == "00000001")
        #expect(DigestComputation.expectedResponse(for: credentials, method: "REGISTER", password: "12345678") == credentials.response)
        #expect(DigestComputation.expectedResponse(for: credentials, method: "REGISTER", password: "wrong") != credentials.response)
    }

    @Test func keepaliveBodyIsRawBytes() throws {
        let request = try #require(try parser.parse(datagram: SpecWire.bytes(SpecWire.keepalive)).request)
        #expect(request.method == .message)
        #expect(request.body.readableBytes == 168)
        #expect(request.bodyText.hasPrefix("<?xml version=\"1.0\" encoding=\"GB2312\"?>\r\n<Notify>"))
        #expect(request.headers.contentType?.lowercased() == "application/manscdp+xml")
    }

    @Test func subscribeAndNotifyDialogHeaders() throws {
        let subscribe = try #require(try parser.parse(datagram: SpecWire.bytes(SpecWire.subscribe)).request)
        #expect(subscribe.headers["Event"] == "Catalog;id=5")
        #expect(subscribe.body.readableBytes == 143)
        let ok = try #require(try parser.parse(datagram: SpecWire.bytes(SpecWire.subscribeOK)).response)
        #expect(ok.statusCode == 200 && ok.reasonPhrase == "OK")
        #expect(try ok.headers.to().tag == "devsub9")
        #expect(ok.body.readableBytes == 170)
        let notify = try #require(try parser.parse(datagram: SpecWire.bytes(SpecWire.notify)).request)
        #expect(notify.headers["Subscription-State"] == "active;expires=3540")
        #expect(notify.body.readableBytes == 285)
        #expect(notify.headers.callID == subscribe.headers.callID)
    }

    @Test func inviteAnswerCarriesSDP() throws {
        let invite = try #require(try parser.parse(datagram: SpecWire.bytes(SpecWire.invite)).request)
        #expect(invite.headers["Subject"] == "34020000001310000001:0200000001,34020000002000000001:0")
        #expect(invite.body.readableBytes == 220)
        #expect(invite.bodyText.hasSuffix("y=0200000001\r\n"))
        let ok = try #require(try parser.parse(datagram: SpecWire.bytes(SpecWire.inviteOK)).response)
        #expect(ok.body.readableBytes == 169)
        #expect(try ok.headers.contact()?.uri == SIPURI(user: "34020000001310000001", host: "192.168.1.64", port: 5060))
        let info = try #require(try parser.parse(datagram: SpecWire.bytes(SpecWire.info)).request)
        #expect(info.method == .info)
        #expect(info.body.readableBytes == 40)
    }

    @Test func gbDateFormat() throws {
        let zone = try #require(TimeZoneFixture.shanghai)
        let date = try #require(GBDate.date(from: "2024-05-20T08:00:00.456", timeZone: zone))
        #expect(GBDate.string(from: date, timeZone: zone) == "2024-05-20T08:00:00.456")
        #expect(abs(date.timeIntervalSince1970 - 1_716_163_200.456) < 0.0005)
    }
}
