import Foundation
import GB28181
import GBSimulator
import Logging
import NIOCore
import SIP
import Testing

/// INFO MANSRTSP (spec §5.7) in a playback session the platform service opened: the device answers 200,
/// PAUSE stops the RTP and PLAY `npt=now-` resumes it; an INFO outside any session gets 481.
@Suite(.serialized) struct PlaybackControlOverSIPTests {
    @Test func infoPausesAndResumesAPlayback() async throws {
        let service = try await SimulatorFixture.platform()
        let fleet = try await SimulatorFixture.fleet(.cameras(1), service: service)
        let camera = fleet.layout.members[0].deviceID
        #expect(await SimulatorFixture.eventually { await SimulatorFixture.online([camera], service) })
        let receiver = try await PSReceiver.open(.udp)
        let start = Int64(Date().timeIntervalSince1970) - 3600
        let offer = MediaOffer(request: .playback(start: start, end: start + 60), mode: .udp,
                               ssrc: try GBSSRC(kind: .historical, domainDigits: "20000", sequence: 9),
                               receiveAddress: "127.0.0.1", receivePort: receiver.port)
        let session = try await service.invite(deviceID: camera, channelID: camera, offer: offer)
        #expect(await SimulatorFixture.eventually { await receiver.frameStarts > 5 })
        let device = try #require(await fleet.runningDevices.first)
        let control = try await PlaybackControl.start()

        let paused = try await control.send(.pause(cseq: 1), callID: session.id.callID, to: device)
        #expect(paused.statusCode == 200)
        try await Task.sleep(for: .milliseconds(200))
        let framesWhenPaused = await receiver.frameStarts
        try await Task.sleep(for: .milliseconds(400))
        #expect(await receiver.frameStarts == framesWhenPaused, "no RTP while paused")
        #expect(try await control.send(.resume(cseq: 2), callID: session.id.callID, to: device).statusCode == 200)
        #expect(await SimulatorFixture.eventually { await receiver.frameStarts > framesWhenPaused + 5 })
        #expect(try await control.send(.pause(cseq: 3), callID: "no-such-session", to: device).statusCode == 481)

        try await service.bye(session.id)
        await control.stop()
        await receiver.close()
        await fleet.stop()
        await service.stop()
    }
}

/// The platform's INFO sender for the test: a SIP layer of its own, INFO on the session's Call-ID.
struct PlaybackControl {
    let transport: SIPTransport
    let layer: SIPTransactionLayer

    static func start() async throws -> PlaybackControl {
        var logger = Logger(label: "gbshare.test.playback-control")
        logger.logLevel = .critical
        let transport = try await SIPTransport.bind(host: "127.0.0.1", port: 0, logger: logger)
        let layer = SIPTransactionLayer(transport: transport, logger: logger)
        await layer.start { _ in }
        return PlaybackControl(transport: transport, layer: layer)
    }

    func send(_ command: MANSRTSPRequest, callID: String, to device: SimulatedGBDevice) async throws -> SIPResponse {
        let deviceID = device.configuration.deviceID
        var request = SIPRequest(method: .info, uri: SIPURI(user: deviceID, host: "127.0.0.1", port: device.transport.localAddress.port))
        request.headers.add("Via", Via(transport: "UDP", host: "127.0.0.1", port: transport.localAddress.port,
                                       branch: SIPIdentifiers.branch()).description)
        request.headers.add("From", "<sip:\(SimulatorFixture.platformID)@3402000000>;tag=\(SIPIdentifiers.tag())")
        request.headers.add("To", "<sip:\(deviceID)@3402000000>")
        request.headers.add("Call-ID", callID)
        request.headers.add("CSeq", CSeq(UInt32(command.cseq) + 20, .info).description)
        request.headers.add("Max-Forwards", "70")
        request.headers.add("Content-Type", "Application/MANSRTSP")
        request.body = ByteBuffer(string: command.description)
        return try await layer.sendRequest(request, to: device.transport.localAddress, transport: .udp)
    }

    func stop() async {
        await layer.stop()
        await transport.close()
    }
}
