import Foundation
import GB28181
import NIOCore
import SIP
import Testing

/// A device scripted message by message on a bare SIP transport (no transaction layer, so no automatic
/// 100 Trying): for the orderings the simulated device cannot produce.
private struct ScriptedDevice {
    let transport: SIPTransport
    let inbox: AsyncStream<SIPInboundMessage>.Iterator.Box

    static func start() async throws -> ScriptedDevice {
        let transport = try await SIPTransport.bind(host: "127.0.0.1", port: 0)
        return ScriptedDevice(transport: transport, inbox: .init(transport.inbound.makeAsyncIterator()))
    }

    var port: Int { transport.localAddress.port ?? 0 }

    /// The next inbound message matching `accept`, skipping the rest, within `timeout`.
    func next(timeout: Duration = .seconds(5), where accept: @escaping @Sendable (SIPMessage) -> Bool) async -> SIPMessage? {
        let box = inbox
        return await withTaskGroup(of: SIPMessage?.self) { group in
            group.addTask {
                while let message = await box.next() {
                    if accept(message.message) { return message.message }
                }
                return nil
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    func request(_ method: SIPMethod, timeout: Duration = .seconds(5)) async -> SIPRequest? {
        await next(timeout: timeout) { $0.request?.method == method }?.request
    }

    func send(_ message: SIPMessage, to address: SocketAddress) async throws {
        try await transport.send(message, to: address, transport: .udp)
    }

    /// REGISTER with digest, as a camera does (spec §2.1).
    func register(to platform: SocketAddress) async throws -> SIPResponse? {
        let platformURI = SIPURI(user: PlatformFixture.platformID, host: "3402000000")
        var request = SIPRequest(method: .register, uri: platformURI)
        request.headers.add("Via", Via(transport: "UDP", host: "127.0.0.1", port: port, branch: SIPIdentifiers.branch()).description)
        request.headers.add("From", "<sip:\(PlatformFixture.ipc)@3402000000>;tag=\(SIPIdentifiers.tag())")
        request.headers.add("To", "<sip:\(PlatformFixture.ipc)@3402000000>")
        request.headers.add("Call-ID", SIPIdentifiers.callID())
        request.headers.add("CSeq", "1 REGISTER")
        request.headers.add("Contact", "<sip:\(PlatformFixture.ipc)@127.0.0.1:\(port)>")
        request.headers.add("Expires", "3600")
        request.headers.add("Max-Forwards", "70")
        try await send(.request(request), to: platform)
        guard let challenge = await next(where: { $0.response?.statusCode == 401 })?.response else { return nil }
        let retry = try request.authorized(by: challenge, username: PlatformFixture.ipc, password: PlatformFixture.password)
        try await send(.request(retry), to: platform)
        return await next(where: { ($0.response?.statusCode ?? 0) >= 200 })?.response
    }
}

extension AsyncStream<SIPInboundMessage>.Iterator {
    /// Shares one iterator between the helper's tasks (only one reads at a time).
    final class Box: @unchecked Sendable {
        private var iterator: AsyncStream<SIPInboundMessage>.Iterator
        init(_ iterator: AsyncStream<SIPInboundMessage>.Iterator) { self.iterator = iterator }
        func next() async -> SIPInboundMessage? { await iterator.next() }
    }
}

@Suite("Platform media sessions against a scripted device", .serialized, .timeLimit(.minutes(1)))
struct PlatformMediaScriptedDeviceTests {
    @Test("a 2xx after the caller gave up (no provisional, so no CANCEL yet) is ACKed and BYEd in the dialog, with its route set")
    func lateTwoHundred() async throws {
        let (service, sink) = try await PlatformFixture.start()
        let device = try await ScriptedDevice.start()
        let platform = service.localAddress
        #expect(try await device.register(to: platform)?.statusCode == 200)

        let ssrc = try GBSSRC(kind: .live, domainDigits: "20000", sequence: 7)
        let offer = MediaOffer(ssrc: ssrc, receiveAddress: "127.0.0.1", receivePort: 30010, answerTimeout: .milliseconds(300))
        let caller = Task { try await service.invite(deviceID: PlatformFixture.ipc, channelID: "34020000001310000001", offer: offer) }
        let invite = try #require(await device.request(.invite))
        // Silent (no 100 Trying) until the caller has given up.
        await #expect(throws: MediaSessionError.timeout(deviceID: PlatformFixture.ipc, after: .milliseconds(300))) {
            try await caller.value
        }
        #expect(await service.pendingInviteCount == 1)

        var ok = SIPResponse(replyingTo: invite, statusCode: 200, toTag: "late200")
        ok.headers.add("Record-Route", "<sip:127.0.0.1:\(device.port);lr>")
        ok.headers.add("Contact", "<sip:34020000001310000001@127.0.0.1:\(device.port)>")
        ok.headers.add("Content-Type", "application/sdp")
        ok.body = ByteBuffer(string: "v=0\r\no=x 0 0 IN IP4 127.0.0.1\r\ns=Play\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                             + "m=video 15090 RTP/AVP 96\r\na=sendonly\r\na=rtpmap:96 PS/90000\r\ny=0200000007\r\n")
        try await device.send(.response(ok), to: platform)

        let ack = try #require(await device.request(.ack))
        #expect(try ack.headers.to().tag == "late200")
        #expect(ack.headers.lines("Route") == ["<sip:127.0.0.1:\(device.port);lr>"])
        #expect(ack.uri.user == "34020000001310000001")
        let bye = try #require(await device.request(.bye))
        #expect(bye.headers.callID == invite.headers.callID)
        #expect(try bye.headers.cseq() == CSeq(2, .bye))
        #expect(bye.headers.lines("Route") == ["<sip:127.0.0.1:\(device.port);lr>"])
        try await device.send(.response(SIPResponse(replyingTo: bye, statusCode: 200)), to: platform)
        #expect(await eventually { await service.pendingInviteCount == 0 })
        #expect(await service.mediaSessions().isEmpty)
        #expect(await sink.mediaEnded.isEmpty)  // never established, nothing to report

        await service.stop()
        await device.transport.close()
    }
}
