import Testing
@testable import GB28181

/// Spec §1.5: byte vectors, the receive strategy, the send strategy.
struct CharsetTests {
    struct Vector: CustomTestStringConvertible, Sendable {
        var text: String
        var gb: String
        var utf8Count: Int
        var testDescription: String { text }
    }

    static let vectors = [
        Vector(text: "摄像机", gb: "c9e3cff1bbfa", utf8Count: 9),
        Vector(text: "大门", gb: "b4f3c3c5", utf8Count: 6),
        Vector(text: "一号门摄像机", gb: "d2bbbac5c3c5c9e3cff1bbfa", utf8Count: 18),
        Vector(text: "海康威视", gb: "baa3bfb5cdfecad3", utf8Count: 12),
    ]

    @Test("§1.5 vectors encode to GB bytes for both GB settings and decode back", arguments: vectors)
    func vectorsRoundTrip(vector: Vector) throws {
        #expect(hex(try OutgoingCharset.gb2312.encode(vector.text)) == vector.gb)
        #expect(hex(try OutgoingCharset.gb18030.encode(vector.text)) == vector.gb)
        #expect(try OutgoingCharset.utf8.encode(vector.text).count == vector.utf8Count)
        let decoded = try MANSCDPBodyDecoder.decode(bytes(fromHex: vector.gb))
        #expect(decoded.text == vector.text)
        #expect(decoded.detected == .gb18030)
    }

    @Test func utf8VectorsAreDetectedAsUTF8() throws {
        #expect(hex(Array("摄像机".utf8)) == "e69184e5838fe69cba")
        #expect(hex(Array("大门".utf8)) == "e5a4a7e997a8")
        let decoded = try MANSCDPBodyDecoder.decode(Array("<a>摄像机</a>".utf8))
        #expect(decoded.detected == .utf8)
        #expect(decoded.text == "<a>摄像机</a>")
    }

    @Test func declarationsFollowThePeerSetting() {
        let query = CatalogQuery(sn: 1, deviceID: "34020000001320000001")
        #expect(query.xml(charset: .gb2312).hasPrefix("<?xml version=\"1.0\" encoding=\"GB2312\"?>\r\n"))
        #expect(query.xml(charset: .gb18030).hasPrefix("<?xml version=\"1.0\" encoding=\"GB18030\"?>\r\n"))
        #expect(query.xml(charset: .utf8).hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n"))
    }

    @Test func fourByteGB18030CharactersEncodeUnderEitherGBLabel() throws {
        // GBK-only and four-byte characters are why strict GB 2312 is never used (spec §1.5).
        let bytes = try OutgoingCharset.gb2312.encode("😀")
        #expect(hex(bytes) == "9439fc36")
        #expect(try MANSCDPBodyDecoder.decode(bytes).text == "😀")
    }

    @Test("§10.1 item 3: GB bytes declared UTF-8 decode as GB 18030 and the lie is reported")
    func gbBytesDeclaredUTF8() throws {
        let body = Spec.keepalive.replacingOccurrences(of: "GB2312", with: "UTF-8")
            .replacingOccurrences(of: "<Status>OK</Status>", with: "<Status>OK</Status>\r\n<Name>大门</Name>")
        let wire = try OutgoingCharset.gb18030.encode(body)
        let received = try MANSCDPDecoder.decode(wire)
        #expect(received.body.detected == .gb18030)
        #expect(received.body.declared == .utf8)
        #expect(received.body.declarationMismatch)
        #expect(received.body.text.hasPrefix(XMLDeclaration.utf8Declaration))
        let (tree, _, _) = try MANSCDPDecoder.parseTree(wire)
        #expect(tree.value("Name") == "大门")
    }

    @Test("UTF-8 bytes declared GB2312 (🔧 Android/embedded stacks) decode as UTF-8, lie reported")
    func utf8BytesDeclaredGB2312() throws {
        let body = Spec.catalogResponse
        let received = try MANSCDPDecoder.decode(Array(body.utf8))
        #expect(received.body.detected == .utf8)
        #expect(received.body.declared == .gb2312)
        #expect(received.body.declarationMismatch)
        guard case .response(.catalog(let catalog)) = received.message else {
            Issue.record("not a catalog")
            return
        }
        #expect(catalog.items.first?.name == "一号门摄像机")
    }

    @Test func asciiBodiesNeverMismatch() throws {
        let body = try MANSCDPBodyDecoder.decode(Array(Spec.keepalive.utf8))
        #expect(body.detected == .ascii)
        #expect(body.declared == .gb2312)
        #expect(!body.declarationMismatch)
    }

    @Test func bodiesWithoutDeclarationAndWithBOMDecode() throws {
        let plain = try MANSCDPBodyDecoder.decode(Array("<Notify><Name>大门</Name></Notify>".utf8))
        #expect(plain.declared == nil)
        let bom = try MANSCDPBodyDecoder.decode([0xEF, 0xBB, 0xBF] + Array(Spec.keepalive.utf8))
        #expect(bom.declared == .gb2312)
        #expect(bom.text.hasPrefix(XMLDeclaration.utf8Declaration))
    }

    @Test("declaration labels", arguments: [
        ("GB2312", DeclaredCharset.gb2312), ("gb2312", .gb2312), ("GBK", .gbk), ("gb18030", .gb18030),
        ("UTF-8", .utf8), ("utf8", .utf8), ("ISO-8859-1", .other("ISO-8859-1")),
    ])
    func declarationLabels(label: String, expected: DeclaredCharset) {
        #expect(DeclaredCharset(label: label) == expected)
        let bytes = Array("<?xml version='1.0' encoding = '\(label)' ?><a/>".utf8)
        #expect(XMLDeclaration.find(in: bytes)?.encodingLabel == label)
    }

    @Test("🔧 a name cut in the middle of a GB character keeps the rest of the body")
    func truncatedDoubleByteCharacter() throws {
        // 大门 with the last byte of 门 missing, followed by markup.
        let wire = Array("<?xml version=\"1.0\" encoding=\"GB2312\"?><a><Name>".utf8) + [0xB4, 0xF3, 0xC3]
            + Array("</Name></a>".utf8)
        let decoded = try MANSCDPBodyDecoder.decode(wire)
        #expect(decoded.detected == .gb18030)
        #expect(decoded.replacedSequences == 1)
        let tree = try SafeXMLParser.parse(decoded.text)
        #expect(tree.value("Name") == "大\u{FFFD}")
    }
}
