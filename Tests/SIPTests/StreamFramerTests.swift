import NIOCore
import Testing

@testable import SIP

@Suite("TCP framing by Content-Length")
struct StreamFramerTests {
    static let stream: String = SpecWire.crlf(SpecWire.keepalive) + "\r\n\r\n" + SpecWire.crlf(SpecWire.register1)
        + "\r\n" + SpecWire.crlf(SpecWire.invite)

    private func drain(_ chunks: [ByteBuffer]) throws -> [SIPMessage] {
        var framer = SIPStreamFramer()
        var buffer = ByteBuffer()
        var messages: [SIPMessage] = []
        for var chunk in chunks {
            buffer.writeBuffer(&chunk)
            while let message = try framer.next(from: &buffer) { messages.append(message) }
            buffer.discardReadBytes()
        }
        #expect(buffer.readableBytes == 0)
        #expect(!framer.hasPartialMessage)
        return messages
    }

    @Test("three messages with keepalive CRLFs in one read")
    func merged() throws {
        let messages = try drain([ByteBuffer(string: Self.stream)])
        #expect(messages.map { $0.request?.method } == [.message, .register, .invite])
        #expect(messages[0].body.readableBytes == 168)
        #expect(messages[2].body.readableBytes == 220)
    }

    @Test("split at every byte offset", arguments: [1, 2, 3, 7, 64, 500])
    func split(chunkSize: Int) throws {
        let bytes = Array(Self.stream.utf8)
        let chunks = stride(from: 0, to: bytes.count, by: chunkSize).map {
            ByteBuffer(bytes: bytes[$0..<min($0 + chunkSize, bytes.count)])
        }
        let messages = try drain(chunks)
        #expect(messages.count == 3)
        #expect(messages.map(\.bytes) == (try drain([ByteBuffer(string: Self.stream)])).map(\.bytes))
    }

    @Test func everySplitPoint() throws {
        let bytes = Array(Self.stream.utf8)
        for cut in 1..<bytes.count {
            let messages = try drain([ByteBuffer(bytes: bytes[..<cut]), ByteBuffer(bytes: bytes[cut...])])
            #expect(messages.count == 3)
        }
    }

    @Test("sipp's space-padded Content-Length and a missing one on a stream")
    func paddedAndMissingLength() throws {
        let padded = "MESSAGE sip:a@b SIP/2.0\r\nContent-Length:   3\r\n\r\nxyzOPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h\r\n\r\n"
        let messages = try drain([ByteBuffer(string: padded)])
        #expect(messages.count == 2)
        #expect(String(buffer: messages[0].body) == "xyz")
        #expect(messages[1].body.readableBytes == 0)
    }

    @Test func refusesOversizeAndGarbage() {
        var framer = SIPStreamFramer(parser: SIPMessageParser(limits: SIPParserLimits(maxHeaderSectionBytes: 256)))
        var endless = ByteBuffer(string: "OPTIONS sip:a@b SIP/2.0\r\n" + String(repeating: "X-Filler: yes\r\n", count: 40))
        #expect(throws: SIPParseError.headerSectionTooLarge(limit: 256)) { try framer.next(from: &endless) }
        var bigBody = ByteBuffer(string: "OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 2000000\r\n\r\n")
        var fresh = SIPStreamFramer()
        #expect(throws: SIPParseError.bodyTooLarge(declared: 2_000_000, limit: 1 << 20)) { try fresh.next(from: &bigBody) }
        var garbage = ByteBuffer(string: "\u{16}\u{03}\u{01} hello there\r\n\r\n")
        var another = SIPStreamFramer()
        #expect(throws: SIPParseError.self) { try another.next(from: &garbage) }
    }

    @Test func waitsForTheBody() throws {
        var framer = SIPStreamFramer()
        var buffer = ByteBuffer(string: "MESSAGE sip:a@b SIP/2.0\r\nContent-Length: 5\r\n\r\nab")
        #expect(try framer.next(from: &buffer) == nil)
        #expect(framer.hasPartialMessage)
        buffer.writeString("cde")
        let message = try #require(try framer.next(from: &buffer))
        #expect(String(buffer: message.body) == "abcde")
    }
}
