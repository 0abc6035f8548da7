import Testing
@testable import GB28181

/// Spec §5.3-§5.6: offers byte-exact, answers parsed into fields, device quirks tolerated.
struct SDPTests {
    static let liveOffer = crlf("""
    v=0
    o=34020000002000000001 0 0 IN IP4 192.168.1.10
    s=Play
    c=IN IP4 192.168.1.10
    t=0 0
    m=video 30000 RTP/AVP 96 97 98
    a=recvonly
    a=rtpmap:96 PS/90000
    a=rtpmap:97 MPEG4/90000
    a=rtpmap:98 H264/90000
    y=0200000001
    """)

    static let liveAnswer = crlf("""
    v=0
    o=34020000001310000001 0 0 IN IP4 192.168.1.64
    s=Play
    c=IN IP4 192.168.1.64
    t=0 0
    m=video 15060 RTP/AVP 96
    a=sendonly
    a=rtpmap:96 PS/90000
    y=0200000001
    f=
    """)

    static let playbackOffer = crlf("""
    v=0
    o=34020000002000000001 0 0 IN IP4 192.168.1.10
    s=Playback
    u=34020000001310000001:0
    c=IN IP4 192.168.1.10
    t=1716163200 1716166800
    m=video 30002 TCP/RTP/AVP 96 97 98
    a=recvonly
    a=rtpmap:96 PS/90000
    a=rtpmap:97 MPEG4/90000
    a=rtpmap:98 H264/90000
    a=setup:passive
    a=connection:new
    y=1200000002
    """)

    static let playbackAnswer = crlf("""
    v=0
    o=34020000001310000001 0 0 IN IP4 192.168.1.64
    s=Playback
    c=IN IP4 192.168.1.64
    t=1716163200 1716166800
    m=video 9 TCP/RTP/AVP 96
    a=sendonly
    a=rtpmap:96 PS/90000
    a=setup:active
    a=connection:new
    y=1200000002
    f=
    """)

    static let downloadOffer = crlf("""
    v=0
    o=34020000002000000001 0 0 IN IP4 192.168.1.10
    s=Download
    u=34020000001310000001:0
    c=IN IP4 192.168.1.10
    t=1716163200 1716166800
    m=video 30004 RTP/AVP 96 97 98
    a=recvonly
    a=rtpmap:96 PS/90000
    a=rtpmap:97 MPEG4/90000
    a=rtpmap:98 H264/90000
    a=downloadspeed:4
    y=1200000003
    """)

    let platform = "34020000002000000001"
    let channel = "34020000001310000001"

    func ssrc(_ text: String) throws -> GBSSRC { try #require(GBSSRC(parsing: text)) }

    @Test func liveOfferIsByteExact() throws {
        let offer = GBSessionDescription.offer(.live, originID: platform, channelID: channel, address: "192.168.1.10",
                                               port: 30000, ssrc: try ssrc("0200000001"))
        #expect(offer.text == Self.liveOffer)
        #expect(offer.text.utf8.count == 220)
    }

    @Test func playbackOfferOverTCPPassiveIsByteExact() throws {
        let offer = GBSessionDescription.offer(.playback(start: 1_716_163_200, end: 1_716_166_800), originID: platform,
                                               channelID: channel, address: "192.168.1.10", port: 30002,
                                               mode: .tcpPassive, ssrc: try ssrc("1200000002"))
        #expect(offer.text == Self.playbackOffer)
        #expect(offer.text.utf8.count == 307)
    }

    @Test func downloadOfferIsByteExact() throws {
        let offer = GBSessionDescription.offer(.download(start: 1_716_163_200, end: 1_716_166_800, speed: 4),
                                               originID: platform, channelID: channel, address: "192.168.1.10",
                                               port: 30004, ssrc: try ssrc("1200000003"))
        #expect(offer.text == Self.downloadOffer)
        #expect(offer.text.utf8.count == 287)
    }

    @Test func offersParseBackToThemselves() throws {
        for text in [Self.liveOffer, Self.playbackOffer, Self.downloadOffer] {
            #expect(try GBSessionDescription(parsing: text).text == text)
        }
    }

    @Test func liveAnswerFields() throws {
        #expect(Self.liveAnswer.utf8.count == 169)
        let answer = try GBSessionDescription(parsing: Self.liveAnswer)
        #expect(answer.originID == channel)
        #expect(answer.sessionType == .play)
        #expect(answer.connectionAddress == "192.168.1.64")
        let video = try #require(answer.video)
        #expect(video.port == 15060)
        #expect(video.transport == .udp)
        #expect(video.direction == .sendonly)
        #expect(video.carriesProgramStream)
        #expect(answer.ssrc == "0200000001")
        #expect(answer.ssrcValue == 200_000_001)
        #expect(answer.mediaFormat == MediaFormatDescription())
        #expect(answer.text == Self.liveAnswer)
    }

    @Test func tcpActiveAnswerFields() throws {
        #expect(Self.playbackAnswer.utf8.count == 225)
        let answer = try GBSessionDescription(parsing: Self.playbackAnswer)
        let video = try #require(answer.video)
        #expect(video.transport == .tcp)
        #expect(video.setup == .active)
        #expect(video.connectionNew)
        #expect(video.port == 9)
        #expect(answer.startTime == 1_716_163_200)
        #expect(answer.sessionType.ssrcKind == .historical)
        #expect(answer.text == Self.playbackAnswer)
    }

    @Test("§10.1.9 answer quirks: other y=, no y=, PT 98 raw H.264, s= case, LF endings, session-level attributes")
    func answerQuirks() throws {
        let quirky = "v=0\no=- 0 0 IN IP4 10.0.0.5\ns=PLAYBACK\na=setup:active\nc=IN IP4 10.0.0.5\nt=0 0\n"
            + "m=video 6000 RTP/AVP/TCP 98\na=rtpmap:98 H264/90000\na=sendonly\ny=0200000099\n"
        let answer = try GBSessionDescription(parsing: quirky)
        #expect(answer.sessionType == .playback)
        #expect(answer.ssrc == "0200000099")
        let video = try #require(answer.video)
        #expect(video.transport == .tcp)
        #expect(video.setup == .active)
        #expect(!video.carriesProgramStream)
        #expect(video.primaryFormat == RTPMap(payloadType: 98, encoding: "H264"))

        let noSSRC = try GBSessionDescription(parsing: "v=0\r\nc=IN IP4 10.0.0.6\r\nm=video 7000 RTP/AVP 96\r\n")
        #expect(noSSRC.ssrc == nil)
        #expect(noSSRC.ssrcValue == nil)
        #expect(noSSRC.video?.port == 7000)

        let hexLike = try GBSessionDescription(parsing: "m=video 7000 RTP/AVP 96\r\ny=0BEBC201\r\n")
        #expect(hexLike.ssrcValue == nil)
        #expect(GBSSRC(parsing: hexLike.ssrc ?? "") == nil)
    }

    @Test func mediaLevelConnectionAndVendorStreamAttributes() throws {
        let text = "v=0\r\nc=IN IP4 1.1.1.1\r\nm=video 8000 RTP/AVP 96\r\nc=IN IP4 2.2.2.2/127\r\na=streamMode:SUB\r\na=filesize:1048576\r\na=x-vendor:1\r\n"
        let answer = try GBSessionDescription(parsing: text)
        let video = try #require(answer.video)
        #expect(answer.address(of: video) == "2.2.2.2")
        #expect(video.streamNumber == 1)
        #expect(video.fileSize == 1_048_576)
        #expect(video.otherAttributes == ["x-vendor:1"])
        #expect(try GBSessionDescription(parsing: "m=video 1 RTP/AVP 96\na=streamprofile:0").video?.streamNumber == 0)
    }

    @Test("bad SDP", arguments: [
        ("", SDPError.empty), ("\r\n\r\n", .empty), ("v=0\r\ns=Play\r\n", .missingMediaLine),
        ("m=video abc RTP/AVP 96", .invalidMediaLine("m=video abc RTP/AVP 96")),
        ("m=video 70000 RTP/AVP 96", .invalidMediaLine("m=video 70000 RTP/AVP 96")),
    ])
    func badSDP(text: String, error: SDPError) {
        #expect(throws: error) { try GBSessionDescription(parsing: text) }
    }

    @Test func oversizedSDPIsRefused() {
        #expect(throws: SDPError.self) { try GBSessionDescription(parsing: String(repeating: "a=x\r\n", count: 10_000)) }
    }

    @Test func uriNamesTheChannel() throws {
        #expect(try GBSessionDescription(parsing: Self.playbackOffer).uriChannelID == channel)
    }

    @Test("f= forms", arguments: [
        ("", MediaFormatDescription()),
        ("v/////a/1/8/1", MediaFormatDescription(audioCodec: 1, audioBitrate: 8, sampleRate: 1)),
        ("v/2/6/25/1/4096a///", MediaFormatDescription(videoCodec: 2, resolution: "6", frameRate: 25, rateType: 1, videoBitrate: 4096)),
        ("v/2/6/25/1/4096a/1/8/1", MediaFormatDescription(videoCodec: 2, resolution: "6", frameRate: 25, rateType: 1,
                                                          videoBitrate: 4096, audioCodec: 1, audioBitrate: 8, sampleRate: 1)),
    ])
    func mediaFormat(raw: String, expected: MediaFormatDescription) {
        let parsed = MediaFormatDescription(parsing: raw)
        #expect(parsed == expected)
        #expect(MediaFormatDescription(parsing: parsed.text) == parsed)
    }

    @Test func mediaFormatRendering() {
        #expect(MediaFormatDescription(audioCodec: 1, audioBitrate: 8, sampleRate: 1).text == "v/////a/1/8/1")
        #expect(MediaFormatDescription(videoCodec: 2).text == "v/2////a///")
        #expect(MediaFormatDescription(parsing: "garbage").isEmpty)
    }
}
