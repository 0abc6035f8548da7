import Testing
@testable import GB28181

/// Hostile and broken input: each gives a typed error or a correct parse, never a crash, bounded memory.
struct SafeXMLParserTests {
    @Test func billionLaughsIsRefusedBeforeParsing() {
        let bomb = """
        <?xml version="1.0"?>
        <!DOCTYPE lolz [
         <!ENTITY lol "lol">
         <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
         <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
         <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
        ]>
        <Notify><CmdType>Keepalive</CmdType><SN>1</SN><DeviceID>&lol9;</DeviceID></Notify>
        """
        #expect(throws: MANSCDPError.forbiddenMarkup("DOCTYPE declaration")) {
            try MANSCDPDecoder.decode(Array(bomb.utf8))
        }
    }

    @Test func externalEntityIsRefused() {
        let xxe = "<?xml version=\"1.0\"?><!doctype a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><a>&x;</a>"
        #expect(throws: MANSCDPError.self) { try MANSCDPDecoder.decode(Array(xxe.utf8)) }
    }

    @Test func tenThousandDeepNestingStopsAtTheDepthLimit() throws {
        let deep = String(repeating: "<a>", count: 10_000) + String(repeating: "</a>", count: 10_000)
        let error = try #require(throws: MANSCDPError.self) { try SafeXMLParser.parse(deep) }
        guard case .tooDeep(let limit, _) = error else {
            Issue.record("expected tooDeep, got \(error)")
            return
        }
        #expect(limit == 32)
    }

    @Test func oneMegabyteTextNodeIsRefused() {
        let big = "<Notify><CmdType>Keepalive</CmdType><SN>1</SN><DeviceID>"
            + String(repeating: "9", count: 1 << 20) + "</DeviceID></Notify>"
        #expect(throws: MANSCDPError.textTooLong(element: "DeviceID", limit: 64 << 10)) {
            try MANSCDPDecoder.decode(Array(big.utf8))
        }
    }

    @Test func oversizedBodyIsRefusedBeforeDecoding() {
        let limits = MANSCDPLimits(maxBodyBytes: 1024)
        #expect(throws: MANSCDPError.bodyTooLarge(size: 2048, limit: 1024)) {
            try MANSCDPDecoder.decode([UInt8](repeating: 0x20, count: 2047) + [0x41], limits: limits)
        }
    }

    @Test func elementCountIsBounded() {
        let many = "<a>" + String(repeating: "<b/>", count: 200) + "</a>"
        #expect(throws: MANSCDPError.tooManyElements(limit: 100)) {
            try SafeXMLParser.parse(many, limits: MANSCDPLimits(maxElements: 100))
        }
    }

    @Test("truncated XML (a lost UDP fragment) is a typed error even though Linux parse() says true")
    func truncatedXML() throws {
        let truncated = String(Spec.catalogResponse.prefix(400))
        let error = try #require(throws: MANSCDPError.self) { try MANSCDPDecoder.decode(Array(truncated.utf8)) }
        guard case .malformedXML = error else {
            Issue.record("expected malformedXML, got \(error)")
            return
        }
    }

    @Test("binary garbage", arguments: [
        [UInt8](repeating: 0xFF, count: 64),
        [0x00, 0x01, 0x02, 0x03, 0x80, 0x81, 0xFE, 0x00],
        (0..<1024).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) },
    ])
    func binaryGarbage(bytes: [UInt8]) {
        #expect(throws: MANSCDPError.self) { try MANSCDPDecoder.decode(bytes) }
    }

    @Test func emptyAndWhitespaceBodies() {
        #expect(throws: MANSCDPError.emptyBody) { try MANSCDPDecoder.decode([]) }
        #expect(throws: MANSCDPError.emptyBody) { try MANSCDPDecoder.decode(Array(" \r\n".utf8)) }
        #expect(throws: MANSCDPError.noRootElement) { try SafeXMLParser.parse("") }
        #expect(throws: MANSCDPError.self) { try SafeXMLParser.parse("<?xml version=\"1.0\"?>") }
    }

    @Test func unknownRootAndMissingEnvelope() {
        #expect(throws: MANSCDPError.unknownRoot("Foo")) {
            try MANSCDPDecoder.decode(Array("<Foo><CmdType>Catalog</CmdType></Foo>".utf8))
        }
        #expect(throws: MANSCDPError.missingElement("SN", in: "Query")) {
            try MANSCDPDecoder.decode(Array("<Query><CmdType>Catalog</CmdType><DeviceID>1</DeviceID></Query>".utf8))
        }
        #expect(throws: MANSCDPError.invalidValue(element: "SN", value: "abc", expected: "a non-negative integer")) {
            try MANSCDPDecoder.decode(Array("<Query><CmdType>Catalog</CmdType><SN>abc</SN><DeviceID>1</DeviceID></Query>".utf8))
        }
        #expect(throws: MANSCDPError.missingElement("CmdType", in: "Query")) {
            try MANSCDPDecoder.decode(Array("<Query><SN>1</SN></Query>".utf8))
        }
    }

    @Test func errorMessagesSayWhatToDo() {
        let message = MANSCDPError.malformedXML(line: 3, column: 7, code: 5).description
        #expect(message.contains("line 3"))
        #expect(message.contains("400"))
        #expect(MANSCDPError.unknownRoot("X").description.contains("415"))
    }

    @Test func cdataAndEntitiesAreText() throws {
        let tree = try SafeXMLParser.parse("<a><b><![CDATA[x<y]]></b><c>A&amp;B</c></a>")
        #expect(tree.value("b") == "x<y")
        #expect(tree.value("c") == "A&B")
    }
}
