import NIOCore
import Testing

@testable import SIP

@Suite("Header and URI parsing")
struct HeaderParsingTests {
    @Test func sipURIParts() throws {
        let uri = try SIPURI(parsing: "sip:34020000001320000001:pw@[2001:db8::1]:5070;transport=tcp;lr?subject=x")
        #expect(uri.user == "34020000001320000001" && uri.password == "pw")
        #expect(uri.host == "2001:db8::1" && uri.port == 5070)
        #expect(uri.parameters["transport"] == "tcp" && uri.parameters.contains("lr"))
        #expect(uri.headers == "subject=x")
        #expect(uri.description == "sip:34020000001320000001:pw@[2001:db8::1]:5070;transport=tcp;lr?subject=x")
        let domainOnly = try SIPURI(parsing: "SIP:3402000000")
        #expect(domainOnly.scheme == "sip" && domainOnly.user == nil && domainOnly.host == "3402000000")
        let tel = try SIPURI(parsing: "tel:+86-10-1234")
        #expect(!tel.isSIP && tel.description == "tel:+86-10-1234")
    }

    @Test("bad URIs are refused with the reason", arguments: [
        ("sip:", "no host"), ("sip:@host", "empty user"), ("sip:host:70000", "port"), ("sip:[::1", "']'"),
        ("sip:a b@host", "0x20"), ("<sip:a@b>", "scheme"), ("sip:host;;x", "parameter"),
    ])
    func badURI(text: String, reason: String) {
        #expect {
            try SIPURI(parsing: text)
        } throws: { error in
            (error as? SIPParseError)?.description.contains(reason) ?? false
        }
    }

    @Test func viaVariants() throws {
        let plain = try Via(parsing: "SIP/2.0/TCP 10.0.0.1;branch=z9hG4bKabc;rport=5061;received=1.2.3.4")
        #expect(plain.transport == "TCP" && plain.port == nil && plain.rport == 5061 && plain.received == "1.2.3.4")
        let v6 = try Via(parsing: "SIP/2.0/udp [fe80::1]:5060;branch=z9hG4bKx")
        #expect(v6.host == "fe80::1" && v6.port == 5060 && v6.transport == "UDP" && !v6.hasRPort)
        #expect(v6.description == "SIP/2.0/UDP [fe80::1]:5060;branch=z9hG4bKx")
        var lying = try Via(parsing: "SIP/2.0/UDP 192.168.1.64:5060;branch=z9hG4bK1")
        lying.recordSource(host: "10.1.1.1", port: 40000)
        #expect(lying.description == "SIP/2.0/UDP 192.168.1.64:5060;branch=z9hG4bK1;received=10.1.1.1")
        var asked = try Via(parsing: "SIP/2.0/UDP 192.168.1.64:5060;rport;branch=z9hG4bK1")
        asked.recordSource(host: "192.168.1.64", port: 5060)
        #expect(asked.description == "SIP/2.0/UDP 192.168.1.64:5060;rport=5060;received=192.168.1.64;branch=z9hG4bK1")
        #expect(throws: SIPParseError.self) { try Via(parsing: "SIP/3.0/UDP host") }
        #expect(throws: SIPParseError.self) { try Via(parsing: "SIP/2.0/UDP host;;branch=x") }
    }

    @Test func nameAddressForms() throws {
        let quoted = try SIPNameAddress(parsing: "\"大门 \\\"1\\\"\" <sip:34020000001310000001@3402000000>;tag=abc")
        #expect(quoted.displayName == "大门 \"1\"" && quoted.tag == "abc")
        #expect(quoted.description == "\"大门 \\\"1\\\"\" <sip:34020000001310000001@3402000000>;tag=abc")
        let bare = try SIPNameAddress(parsing: "sip:34020000001320000001@3402000000;tag=9")
        #expect(bare.displayName == nil && bare.tag == "9" && bare.uri.parameters.isEmpty)
        let tokens = try SIPNameAddress(parsing: "IP Camera <sip:a@b>")
        #expect(tokens.displayName == "IP Camera")
        let contacts = try SIPHeaders([("m", "<sip:a@1.1.1.1>;expires=0, \"x,y\" <sip:b@2.2.2.2>")]).contacts()
        #expect(contacts.count == 2)
        #expect(contacts[0].address?.parameters["expires"] == "0")
        #expect(try SIPContact(parsing: " * ") == .wildcard)
    }

    @Test func headersAreCaseInsensitiveWithCompactForms() {
        var headers = SIPHeaders([("i", "abc"), ("content-length", "0"), ("X-GB-Ver", "3.0"), ("via", "SIP/2.0/UDP a, SIP/2.0/UDP b")])
        #expect(headers["Call-ID"] == "abc" && headers["CALL-ID"] == "abc")
        #expect(headers.fields.map(\.name) == ["Call-ID", "Content-Length", "X-GB-Ver", "Via"])
        #expect(headers.values("Via") == ["SIP/2.0/UDP a", "SIP/2.0/UDP b"])
        headers.setTopVia(Via(transport: "UDP", host: "c", port: 1, branch: "z9hG4bKq", rport: false))
        #expect(headers["Via"] == "SIP/2.0/UDP c:1;branch=z9hG4bKq, SIP/2.0/UDP b")
        headers.set("call-id", "new")
        #expect(headers.lines("Call-ID") == ["new"])
        headers.remove("X-GB-VER")
        #expect(!headers.contains("X-GB-Ver"))
    }

    /// Spec 10.1 and the sipp quirks: what devices actually send.
    @Test func deviceLeniency() throws {
        let sloppy = "\r\n\r\nMESSAGE sip:34020000002000000001@3402000000 SIP/2.0\n"
            + "via: SIP/2.0/UDP 192.168.1.64:5060;rport;branch=z9hG4bK1\n"
            + "FROM:<sip:34020000001320000001@3402000000>;tag=1\n"
            + "to :   <sip:34020000002000000001@3402000000>   \n"
            + "call-id: 605718939\n"
            + "cseq: 20\n MESSAGE\n"
            + "Content-Length:   4\n\nabcd"
        let request = try #require(try SIPMessageParser().parse(datagram: ByteBuffer(string: sloppy)).request)
        try request.validate()
        #expect(request.bodyText == "abcd")
        #expect(try request.headers.cseq() == CSeq(20, .message))
        #expect(request.headers["To"] == "<sip:34020000002000000001@3402000000>")
        let written = String(buffer: request.bytes)
        #expect(written.hasPrefix("MESSAGE sip:34020000002000000001@3402000000 SIP/2.0\r\nVia: SIP/2.0/UDP"))
        #expect(written.contains("\r\nCSeq: 20 MESSAGE\r\n"))
        #expect(written.hasSuffix("\r\nContent-Length: 4\r\n\r\nabcd"))
    }

    @Test func serialiserComputesContentLengthAndBlocksInjection() {
        var request = SIPRequest(method: .message, uri: SIPURI(user: "a", host: "b"))
        request.headers.add("Content-Length", "999")
        request.headers.add("Subject", "x\r\nEvil: 1")
        request.body = ByteBuffer(string: "hello")
        #expect(String(buffer: request.bytes) == "MESSAGE sip:a@b SIP/2.0\r\nSubject: x Evil: 1\r\nContent-Length: 5\r\n\r\nhello")
    }

    @Test("limits: header section size and header count")
    func limits() {
        let parser = SIPMessageParser(limits: SIPParserLimits(maxHeaderSectionBytes: 1024, maxHeaderLines: 10))
        let huge = "OPTIONS sip:a@b SIP/2.0\r\nX: " + String(repeating: "a", count: 2000) + "\r\n\r\n"
        #expect(throws: SIPParseError.headerSectionTooLarge(limit: 1024)) { try parser.parse(datagram: ByteBuffer(string: huge)) }
        let many = "OPTIONS sip:a@b SIP/2.0\r\n" + String(repeating: "X: 1\r\n", count: 11) + "\r\n"
        #expect(throws: SIPParseError.tooManyHeaders(limit: 10)) { try parser.parse(datagram: ByteBuffer(string: many)) }
        #expect(throws: SIPParseError.emptyMessage) { try parser.parse(datagram: ByteBuffer(string: "\r\n\r\n")) }
        let big = "OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 99999999\r\n\r\n"
        #expect(throws: SIPParseError.bodyTooLarge(declared: 99_999_999, limit: 1 << 20)) { try parser.parse(datagram: ByteBuffer(string: big)) }
    }

    @Test func errorMessagesNameTheLine() throws {
        let text = "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h\r\nthis line has no colon\r\n\r\n"
        #expect(throws: SIPParseError.malformedHeaderLine(lineNumber: 3, line: "this line has no colon", reason: "no ':' between header name and value")) {
            try SIPMessageParser().parse(datagram: ByteBuffer(string: text))
        }
        let error = SIPParseError.malformedHeaderLine(lineNumber: 3, line: "x", reason: "y")
        #expect(error.description == "header line 3 \"x\": y")
    }

    @Test func identifiers() {
        let branch = SIPIdentifiers.branch()
        #expect(branch.hasPrefix("z9hG4bK") && branch.count == 23)
        #expect(SIPIdentifiers.tag().count == 10)
        #expect(SIPIdentifiers.callID(host: "10.0.0.1").hasSuffix("@10.0.0.1"))
        #expect(SIPIdentifiers.branch() != branch)
    }
}
