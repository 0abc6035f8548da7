import Testing
@testable import GB28181

/// Spec §5.7: INFO bodies and their lengths.
struct MANSRTSPTests {
    @Test("§5.7 bodies", arguments: [
        (MANSRTSPRequest.speed(2.0, cseq: 3), "PLAY MANSRTSP/1.0\r\nCSeq: 3\r\nScale: 2.0\r\n", 40),
        (.pause(cseq: 4), "PAUSE MANSRTSP/1.0\r\nCSeq: 4\r\nPauseTime: now\r\n", 45),
        (.resume(cseq: 5), "PLAY MANSRTSP/1.0\r\nCSeq: 5\r\nRange: npt=now-\r\n", 45),
        (.seek(toSecond: 600, cseq: 6), "PLAY MANSRTSP/1.0\r\nCSeq: 6\r\nRange: npt=600-\r\n", 45),
        (.teardown(cseq: 7), "TEARDOWN MANSRTSP/1.0\r\nCSeq: 7\r\n", 32),
    ])
    func bodies(request: MANSRTSPRequest, text: String, length: Int) throws {
        #expect(request.description == text)
        #expect(text.utf8.count == length)
        #expect(try MANSRTSPRequest(parsing: text) == request)
    }

    @Test("🔧 RTSP/1.0 token, LF endings, reverse play")
    func lenient() throws {
        let parsed = try MANSRTSPRequest(parsing: "PLAY RTSP/1.0\ncseq: 9\nscale: -1\nRange: npt=12.5-\n")
        #expect(parsed.method == .play)
        #expect(parsed.cseq == 9)
        #expect(parsed.scale == -1)
        #expect(parsed.range == .from(seconds: 12))
        #expect(MANSRTSPRequest.speed(0.25, cseq: 1).description.contains("Scale: 0.25\r\n"))
    }

    @Test func malformed() {
        #expect(throws: MANSRTSPError.empty) { try MANSRTSPRequest(parsing: "\r\n") }
        #expect(throws: MANSRTSPError.badRequestLine("PLAY HTTP/1.1")) { try MANSRTSPRequest(parsing: "PLAY HTTP/1.1\r\nCSeq: 1\r\n") }
        #expect(throws: MANSRTSPError.missingCSeq) { try MANSRTSPRequest(parsing: "PLAY MANSRTSP/1.0\r\nScale: 2\r\n") }
    }
}
