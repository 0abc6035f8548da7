import Foundation
import GB28181
import GBSimulator
import Media
import Testing

/// The shipped clips as the Media library reads them, and what an offer asks the device to send.
struct SimulatedClipTests {
    @Test(arguments: [MediaCodec.h264, .h265])
    func builtInClipIsTenSecondsOfOneSecondGOPs(codec: MediaCodec) throws {
        let program = try SimulatedClip.builtIn(codec)
        #expect(program.codec == codec)
        #expect(program.frames.count == 250)
        #expect(program.frameDuration == 3600)
        #expect(program.frames.indices.filter { program.frames[$0].isKeyframe } == Array(stride(from: 0, to: 250, by: 25)))
    }

    /// `--clip` with a PS file (the ZLMediaKit capture of the shared peers).
    @Test func aProgramStreamFileIsAClipToo() throws {
        let program = try SimulatedClip.load(URL(fileURLWithPath: "/work/shared/peers/ps/gb_ps_h265_1080p25_zlm.ps"))
        #expect(program.codec == .h265 && program.frames.count > 100 && program.frameDuration == 3600)
    }

    @Test func anUnknownFileSaysWhatToGive() {
        let url = URL(fileURLWithPath: "/etc/hostname")
        #expect(throws: SimulatedClipError.unknownFormat(path: url.path)) { try SimulatedClip.load(url) }
    }

    @Test func theOfferDecidesTransportDirectionAndLength() throws {
        func plan(_ sdp: String) throws -> SimulatedStreamPlan? {
            SimulatedStreamPlan(offer: try GBSessionDescription(parsing: sdp.replacingOccurrences(of: "\n", with: "\r\n")), answeredSSRC: nil)
        }
        let head = "v=0\no=34020000002000000001 0 0 IN IP4 127.0.0.1\n"
        let udp = try plan(head + "s=Play\nc=IN IP4 127.0.0.1\nt=0 0\nm=video 30000 RTP/AVP 96\na=recvonly\na=rtpmap:96 PS/90000\ny=0100000001\n")
        #expect(udp?.delivery == .udp(host: "127.0.0.1", port: 30000) && udp?.ssrc == 100_000_001)
        #expect(udp?.durationSeconds == nil && udp?.speed == 1)
        let passive = try plan(head + "s=Playback\nu=34020000001310000001:0\nc=IN IP4 127.0.0.1\nt=1764900000 1764903600\n"
                               + "m=video 30000 TCP/RTP/AVP 96\na=recvonly\na=setup:passive\na=rtpmap:96 PS/90000\ny=1100000001\n")
        #expect(passive?.delivery == .tcpConnect(host: "127.0.0.1", port: 30000) && passive?.durationSeconds == 3600)
        let active = try plan(head + "s=Download\nu=34020000001310000001:0\nc=IN IP4 127.0.0.1\nt=1764900000 1764900060\n"
                              + "m=video 30000 TCP/RTP/AVP 96\na=recvonly\na=setup:active\na=downloadspeed:4\na=rtpmap:96 PS/90000\n")
        #expect(active?.delivery == .tcpListen && active?.speed == 4 && active?.durationSeconds == 60)
    }
}
