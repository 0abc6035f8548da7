import Foundation
import GB28181
import GBSimulator
import NIOCore
import SIP
import Testing

/// Live view / playback INVITE sessions of the platform service against the in-process simulated device
/// (spec §5): offer shape, 200 + ACK, the answer's y= winning, refusal, timeout + CANCEL, Task cancellation,
/// BYE both ways, TCP active/passive SDP, device going away.
@Suite("Platform media sessions", .serialized, .timeLimit(.minutes(2)))
struct PlatformMediaSessionTests {
    static let channel = "34020000001310000001"

    static func ssrc(_ sequence: Int = 1, kind: GBSSRC.Kind = .live) throws -> GBSSRC {
        try GBSSRC(kind: kind, domainDigits: "20000", sequence: sequence)
    }

    /// A started service with one registered simulated device.
    private func withDevice(
        transport: SIPTransportKind = .udp,
        _ body: (GBPlatformService, SimulatedGBDevice, RecordingSink) async throws -> Void
    ) async throws {
        let (service, sink) = try await PlatformFixture.start()
        let device = try await PlatformFixture.device(service: service, transport: transport)
        do {
            #expect(try await device.register().statusCode == 200)
            try await body(service, device, sink)
        } catch {
            await device.stop()
            await service.stop()
            throw error
        }
        await device.stop()
        await service.stop()
    }

    private func offer(_ mode: MediaReceiveMode = .udp, request: MediaRequest = .live, port: Int = 30000,
                       timeout: Duration = .seconds(10)) throws -> MediaOffer {
        MediaOffer(request: request, mode: mode, ssrc: try Self.ssrc(request == .live ? 1 : 2, kind: request == .live ? .live : .historical),
                   receiveAddress: "127.0.0.1", receivePort: port, answerTimeout: timeout)
    }

    private func sdpLines(_ request: SIPRequest) -> [String] {
        String(buffer: request.body).split(separator: "\r\n").map(String.init)
    }

    @Test("live over UDP: spec-shaped INVITE, 200 answer parsed, ACK in the dialog, bye() gets 200",
          arguments: [SIPTransportKind.udp, .tcp])
    func liveUDP(signalling: SIPTransportKind) async throws {
        try await withDevice(transport: signalling) { service, device, sink in
            let session = try await service.invite(deviceID: PlatformFixture.ipc, channelID: Self.channel, offer: try offer())
            #expect(session.ssrc == 200000001)
            #expect(session.deviceMedia == MediaEndpoint(host: "127.0.0.1", port: 15060))
            #expect(session.format?.encoding == "PS")
            #expect(session.tcpConnectTarget == nil)
            #expect(await service.mediaSessions(deviceID: PlatformFixture.ipc).map(\.id) == [session.id])

            let invite = try #require(await device.receivedInvites.first)
            #expect(invite.uri.user == Self.channel)
            #expect(invite.headers["Subject"] == "\(Self.channel):0200000001,\(PlatformFixture.platformID):0")
            #expect(invite.headers["Content-Type"]?.lowercased() == "application/sdp")
            #expect(invite.headers.callID == session.id.callID)
            let lines = sdpLines(invite)
            #expect(lines.contains("s=Play"))
            #expect(lines.contains("c=IN IP4 127.0.0.1"))
            #expect(lines.contains("m=video 30000 RTP/AVP 96 97 98"))
            #expect(lines.contains("a=recvonly"))
            #expect(lines.contains("a=rtpmap:96 PS/90000"))
            #expect(lines.contains("y=0200000001"))
            #expect(!lines.contains { $0.hasPrefix("a=setup") })

            #expect(await eventually { await device.receivedACKs.count == 1 })
            let ack = try #require(await device.receivedACKs.first)
            #expect(ack.headers.callID == session.id.callID)
            #expect(try ack.headers.cseq() == CSeq(1, .ack))
            #expect(try ack.headers.to().tag != nil)
            #expect(try ack.headers.topVia().branch != (try invite.headers.topVia().branch))
            #expect(ack.uri.user == PlatformFixture.ipc)  // the 200's Contact

            try await service.bye(session.id)
            #expect(await device.receivedByes.count == 1)
            #expect(await device.mediaDialogCount == 0)
            #expect(await service.mediaSessions().isEmpty)
            #expect(await eventually { await sink.mediaEnded.map(\.reason) == [.localBye] })
            #expect(await sink.mediaEnded.first?.offeredSSRC == (try Self.ssrc()))
            await #expect(throws: MediaSessionError.unknownSession(session.id)) { try await service.bye(session.id) }
        }
    }

    @Test("the answer's y= wins over the offered SSRC")
    func answerSSRCWins() async throws {
        try await withDevice { service, device, _ in
            await device.setInviteAnswer(.accept(ssrc: "0200000777"))
            let session = try await service.invite(deviceID: PlatformFixture.ipc, channelID: Self.channel, offer: try offer())
            #expect(session.offeredSSRC == (try Self.ssrc()))
            #expect(session.ssrc == 200000777)
            #expect(session.answeredSSRC == "0200000777")
            try await service.bye(session.id)
        }
    }

    @Test("a non-2xx final is surfaced with its status and reason, and ACKed by the transaction")
    func refused() async throws {
        try await withDevice { service, device, _ in
            await device.setInviteAnswer(.refuse(statusCode: 486, reason: "Busy Here"))
            await #expect(throws: MediaSessionError.refused(deviceID: PlatformFixture.ipc, statusCode: 486, reason: "Busy Here")) {
                try await service.invite(deviceID: PlatformFixture.ipc, channelID: Self.channel, offer: try offer())
            }
            #expect(await service.pendingInviteCount == 0)
            #expect(await service.mediaSessions().isEmpty)
            #expect(String(describing: MediaSessionError.refused(deviceID: "d", statusCode: 486, reason: "Busy Here"))
                .contains("486 Busy Here"))
        }
    }

    @Test("no final response within the answer timeout: timeout error, CANCEL sent, the 487 cleans up")
    func timeout() async throws {
        try await withDevice { service, device, _ in
            await device.setInviteAnswer(.never)
            let offer = try offer(timeout: .milliseconds(400))
            await #expect(throws: MediaSessionError.timeout(deviceID: PlatformFixture.ipc, after: .milliseconds(400))) {
                try await service.invite(deviceID: PlatformFixture.ipc, channelID: Self.channel, offer: offer)
            }
            #expect(await eventually { await device.cancelledInviteCount == 1 })
            #expect(await eventually { await service.pendingInviteCount == 0 })
        }
    }

    @Test("cancelling the caller's Task sends CANCEL; cancelInvite(id) does too")
    func cancellation() async throws {
        try await withDevice { service, device, _ in
            await device.setInviteAnswer(.never)
            let first = try offer()
            let task = Task { try await service.invite(deviceID: PlatformFixture.ipc, channelID: Self.channel, offer: first) }
            #expect(await eventually { await device.receivedInvites.count == 1 })
            task.cancel()
            await #expect(throws: MediaSessionError.cancelled(deviceID: PlatformFixture.ipc)) { try await task.value }
            #expect(await eventually { await device.cancelledInviteCount == 1 })

            let second = try offer()
            let explicit = Task { try await service.invite(deviceID: PlatformFixture.ipc, channelID: Self.channel, offer: second) }
            #expect(await eventually { await device.receivedInvites.count == 2 })
            #expect(await service.cancelInvite(second.id))
            await #expect(throws: MediaSessionError.cancelled(deviceID: PlatformFixture.ipc)) { try await explicit.value }
            #expect(await eventually { await device.cancelledInviteCount == 2 })
            #expect(await eventually { await service.pendingInviteCount == 0 })
            #expect(await service.cancelInvite(second.id) == false)
        }
    }

    @Test("a 2xx arriving after the caller gave up is ACKed and ended with BYE")
    func lateAnswer() async throws {
        try await withDevice { service, device, sink in
            // The device answers 200 just after the platform's answer timeout. Which wins is a race by design:
            // the CANCEL (device 487s, nothing to end) or the 200 (crossing the CANCEL: ACK + BYE).
            await device.setInviteAnswer(.accept(delay: .milliseconds(300)))
            let offer = try offer(timeout: .milliseconds(250))
            await #expect(throws: MediaSessionError.self) {
                try await service.invite(deviceID: PlatformFixture.ipc, channelID: Self.channel, offer: offer)
            }
            // Either the CANCEL won (487, nothing to end) or the 200 won (ACK + BYE): no session either way.
            #expect(await eventually {
                let cancelled = await device.cancelledInviteCount, acked = await device.receivedACKs.count
                return cancelled + acked == 1
            })
            #expect(await eventually { await service.pendingInviteCount == 0 })
            #expect(await eventually { await device.mediaDialogCount == 0 })
            if await device.cancelledInviteCount == 0 {
                #expect(await eventually { await device.receivedACKs.count == 1 })
                #expect(await eventually { await device.receivedByes.count == 1 })
            }
            #expect(await service.mediaSessions().isEmpty)
            #expect(await sink.mediaEnded.isEmpty)
        }
    }

    @Test("a BYE from the device is answered 200 and reported as ended by the device")
    func deviceBye() async throws {
        try await withDevice { service, device, sink in
            let session = try await service.invite(deviceID: PlatformFixture.ipc, channelID: Self.channel, offer: try offer())
            #expect(await eventually { await device.receivedACKs.count == 1 })
            let response = try await device.sendBye(callID: session.id.callID)
            #expect(response.statusCode == 200)
            #expect(await service.mediaSession(session.id) == nil)
            #expect(await eventually { await sink.mediaEnded.count == 1 })
            let ended = try #require(await sink.mediaEnded.first)
            #expect(ended.reason == .deviceBye)
            #expect(ended.id == session.id)
            #expect(ended.channelID == Self.channel)
            #expect(ended.offeredSSRC == (try Self.ssrc()))
            await #expect(throws: MediaSessionError.unknownSession(session.id)) { try await service.bye(session.id) }
        }
    }

    @Test("TCP passive: a=setup:passive + connection:new offered, the device connects (answer setup:active)")
    func tcpPassive() async throws {
        try await withDevice { service, device, _ in
            let session = try await service.invite(deviceID: PlatformFixture.ipc, channelID: Self.channel, offer: try offer(.tcpPassive, port: 30002))
            let lines = sdpLines(try #require(await device.receivedInvites.first))
            #expect(lines.contains("m=video 30002 TCP/RTP/AVP 96 97 98"))
            #expect(lines.contains("a=setup:passive"))
            #expect(lines.contains("a=connection:new"))
            #expect(session.deviceSetup == .active)
            #expect(session.tcpConnectTarget == nil)
            try await service.bye(session.id)
        }
    }

    @Test("TCP active: a=setup:active offered, the device's listening address and port reported")
    func tcpActive() async throws {
        try await withDevice { service, device, _ in
            await device.setInviteAnswer(.accept(mediaPort: 15070))
            let session = try await service.invite(deviceID: PlatformFixture.ipc, channelID: Self.channel, offer: try offer(.tcpActive))
            let lines = sdpLines(try #require(await device.receivedInvites.first))
            #expect(lines.contains("m=video 30000 TCP/RTP/AVP 96 97 98"))
            #expect(lines.contains("a=setup:active"))
            #expect(session.deviceSetup == .passive)
            #expect(session.tcpConnectTarget == MediaEndpoint(host: "127.0.0.1", port: 15070))
            try await service.bye(session.id)
        }
    }

    @Test("playback shares the path: s=Playback, u=, t= range, Subject serial starting with 1")
    func playback() async throws {
        try await withDevice { service, device, _ in
            let offer = try offer(request: .playback(start: 1_716_163_200, end: 1_716_166_800))
            let session = try await service.invite(deviceID: PlatformFixture.ipc, channelID: Self.channel, offer: offer)
            let invite = try #require(await device.receivedInvites.first)
            let lines = sdpLines(invite)
            #expect(lines.contains("s=Playback"))
            #expect(lines.contains("u=\(Self.channel):0"))
            #expect(lines.contains("t=1716163200 1716166800"))
            #expect(lines.contains("y=1200000002"))
            #expect(invite.headers["Subject"]?.hasPrefix("\(Self.channel):1200000002,") == true)
            #expect(session.ssrc == 1_200_000_002)
            try await service.bye(session.id)
        }
    }

    @Test("unregistered and offline devices are refused; unregistering ends the device's sessions with BYE")
    func deviceGone() async throws {
        try await withDevice { service, device, sink in
            await #expect(throws: MediaSessionError.deviceNotRegistered(PlatformFixture.nvr)) {
                try await service.invite(deviceID: PlatformFixture.nvr, offer: try offer())
            }
            let session = try await service.invite(deviceID: PlatformFixture.ipc, channelID: Self.channel, offer: try offer())
            #expect(try await device.unregister().statusCode == 200)
            #expect(await eventually { await sink.mediaEnded.count == 1 })
            #expect(await sink.mediaEnded.first?.reason == .deviceOffline(.unregistered))
            #expect(await sink.mediaEnded.first?.id == session.id)
            #expect(await eventually { await device.receivedByes.count == 1 })
            #expect(await service.mediaSessions().isEmpty)
            await #expect(throws: MediaSessionError.deviceNotRegistered(PlatformFixture.ipc)) {
                try await service.invite(deviceID: PlatformFixture.ipc, offer: try offer())
            }
        }
    }

    @Test("a pending INVITE fails with deviceOffline when the device goes away; stop() ends sessions")
    func pendingWhenDeviceLeaves() async throws {
        let (service, sink) = try await PlatformFixture.start()
        let device = try await PlatformFixture.device(service: service)
        #expect(try await device.register().statusCode == 200)
        await device.setInviteAnswer(.never)
        let pending = Task { try await service.invite(deviceID: PlatformFixture.ipc, channelID: Self.channel, offer: try offer()) }
        #expect(await eventually { await device.receivedInvites.count == 1 })
        await service.revokeRegistration(PlatformFixture.ipc)
        await #expect(throws: MediaSessionError.deviceOffline(PlatformFixture.ipc)) { try await pending.value }
        #expect(await eventually { await device.cancelledInviteCount == 1 })

        #expect(try await device.register().statusCode == 200)
        await device.setInviteAnswer(.accept())
        let session = try await service.invite(deviceID: PlatformFixture.ipc, channelID: Self.channel, offer: try offer())
        await service.stop()
        #expect(await sink.mediaEnded.map(\.reason) == [.serviceStopped])
        #expect(await sink.mediaEnded.first?.id == session.id)
        #expect(await eventually { await device.receivedByes.count == 1 })
        await device.stop()
    }
}
