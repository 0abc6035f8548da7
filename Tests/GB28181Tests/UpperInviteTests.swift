import Foundation
import GB28181
import GBSimulator
import NIOCore
import NIOPosix
import SIP
import Synchronization
import Testing

/// The upper platform's INVITE answered by the city as a B2BUA (CASCADE.md §2): the SIP side of the relay,
/// with a provider that records what it was asked (the media side is App's, tested end to end there).
@Suite(.serialized)
struct UpperInviteTests {
    static let province = UpperLinkTests.province
    static let city = UpperLinkTests.city
    static let channel = "34020000001320000001"

    @Test("the province INVITEs a channel of the city: 200 with a sender's SDP and the province's SSRC; the leg starts on ACK and stops on the province's BYE")
    func provinceWatchesThroughTheCity() async throws {
        let (province, sink) = try await PlatformFixture.start()
        let city = try await UpperLinkTests.startCity()
        let provider = RecordingProvider()
        let events = StateLog()
        let link = await city.linkToUpper(UpperLinkTests.upper(port: try #require(province.localAddress.port)), media: provider) {
            events.append($0)
        }
        #expect(await eventually(timeout: .seconds(10)) { await province.device(Self.city)?.online == true })

        let ssrc = try GBSSRC(kind: .live, domainDigits: "34020", sequence: 7)
        let offer = MediaOffer(request: .live, mode: .udp, ssrc: ssrc, receiveAddress: "127.0.0.1", receivePort: 31000)
        let session = try await province.invite(deviceID: Self.city, channelID: Self.channel, offer: offer)
        #expect(session.ssrc == ssrc.value, "we send with the upper's y=")
        #expect(session.format?.encoding == "PS")
        #expect(session.deviceMedia == MediaEndpoint(host: "127.0.0.1", port: 9))
        let asked = try #require(provider.requests.first)
        #expect(asked.channelID == Self.channel && asked.upperID == Self.province)
        #expect(asked.delivery == .udp(host: "127.0.0.1", port: 31000))
        #expect(await eventually { provider.started == 1 }, "the ACK started the leg")
        #expect(await link.activeCallCount == 1)

        try await province.bye(session.id)
        #expect(await eventually { provider.stopped == 1 })
        #expect(await link.activeCallCount == 0)
        #expect(events.calls == ["call_started", "call_ended"], "\(events.calls)")

        // A leg that ends on our side (a revoked grant) hangs up on the province.
        let second = try await province.invite(deviceID: Self.city, channelID: Self.channel, offer: MediaOffer(
            request: .live, mode: .tcpPassive, ssrc: try GBSSRC(kind: .live, domainDigits: "34020", sequence: 8),
            receiveAddress: "127.0.0.1", receivePort: 31002))
        #expect(provider.requests.last?.delivery == .tcpConnect(host: "127.0.0.1", port: 31002))
        #expect(await eventually { provider.started == 2 })
        provider.endLast("grant ended: grant_revoked")
        #expect(await eventually { await sink.mediaEnded.contains { $0.id == second.id } }, "the province heard our BYE")
        #expect(await link.activeCallCount == 0)

        // The provider's refusal is the province's answer.
        provider.refuse(UpperMediaRefusal(statusCode: 403, reason: "Not Shared With This Platform"))
        await #expect {
            _ = try await province.invite(deviceID: Self.city, channelID: "34020000001320000002", offer: MediaOffer(
                request: .live, mode: .udp, ssrc: try GBSSRC(kind: .live, domainDigits: "34020", sequence: 9),
                receiveAddress: "127.0.0.1", receivePort: 31004))
        } throws: { error in
            if case MediaSessionError.refused(_, 403, _) = error { true } else { false }
        }
        await link.stop()
        await province.stop()
        await city.stop()
    }

    @Test("the province plays back a city channel and seeks in it: its MANSRTSP INFO reaches the leg; garbage is 400; INFO on a live leg is 405")
    func playbackControlReachesTheLeg() async throws {
        let (province, _) = try await PlatformFixture.start()
        let city = try await UpperLinkTests.startCity()
        let provider = RecordingProvider()
        let link = await city.linkToUpper(UpperLinkTests.upper(port: try #require(province.localAddress.port)), media: provider)
        #expect(await eventually(timeout: .seconds(10)) { await province.device(Self.city)?.online == true })
        let playback = try await province.invite(deviceID: Self.city, channelID: Self.channel, offer: MediaOffer(
            request: .playback(start: 1_763_683_200, end: 1_763_686_800), mode: .udp,
            ssrc: try GBSSRC(kind: .historical, domainDigits: "34020", sequence: 11), receiveAddress: "127.0.0.1", receivePort: 31010))
        #expect(provider.requests.last?.offer.sessionType == .playback)
        #expect(await eventually { provider.started == 1 })
        let seek = "PLAY RTSP/1.0\r\nCSeq: 2\r\nRange: npt=600-\r\n\r\n"
        #expect(try await province.playbackControl(playback.id, body: Array(seek.utf8)) == 200)
        #expect(provider.controls == [seek])
        #expect(try await province.playbackControl(playback.id, body: Array("not rtsp at all".utf8)) == 400)
        #expect(provider.controls.count == 1, "garbage never reaches the device side")
        let live = try await province.invite(deviceID: Self.city, channelID: Self.channel, offer: MediaOffer(
            request: .live, mode: .udp, ssrc: try GBSSRC(kind: .live, domainDigits: "34020", sequence: 12),
            receiveAddress: "127.0.0.1", receivePort: 31012))
        #expect(try await province.playbackControl(live.id, body: Array("PAUSE RTSP/1.0\r\nCSeq: 3\r\n\r\n".utf8)) == 405)
        await link.stop()
        await province.stop()
        await city.stop()
    }

    @Test("bad INVITEs from the upper: SDP port 0, an unreadable SDP, no PS, a channel named only in the Subject, a re-INVITE, and an impostor")
    func badInvitesAreAnsweredNotObeyed() async throws {
        let upper = try await RawSIPPeer.start()
        let city = try await UpperLinkTests.startCity()
        let provider = RecordingProvider()
        let link = await city.linkToUpper(UpperLinkTests.upper(port: upper.port), media: provider)
        let cityPort = try #require(city.localAddress.port)

        func invite(_ sdp: String, uri: String = Self.channel, subject: String? = nil, callID: String = UUID().uuidString,
                    from peer: RawSIPPeer? = nil) async throws -> Int {
            let sender = peer ?? upper
            var lines = [
                "INVITE sip:\(uri)@3402000000 SIP/2.0",
                "Via: SIP/2.0/UDP 127.0.0.1:\(sender.port);rport;branch=z9hG4bK\(UUID().uuidString.prefix(8))",
                "From: <sip:\(Self.province)@3402000000>;tag=\(UInt32.random(in: 1...UInt32.max))",
                "To: <sip:\(uri)@3402000000>",
                "Call-ID: \(callID)",
                "CSeq: 20 INVITE",
                "Contact: <sip:\(Self.province)@127.0.0.1:\(sender.port)>",
                "Max-Forwards: 70",
                "Content-Type: APPLICATION/SDP",
            ]
            if let subject { lines.append("Subject: \(subject)") }
            let body = sdp.replacingOccurrences(of: "\n", with: "\r\n")
            lines.append("Content-Length: \(body.utf8.count)")
            return try await sender.request(lines.joined(separator: "\r\n") + "\r\n\r\n" + body, to: cityPort, callID: callID)
        }
        func sdp(port: Int, rtpmap: String = "96 PS/90000") -> String {
            "v=0\no=\(Self.province) 0 0 IN IP4 127.0.0.1\ns=Play\nc=IN IP4 127.0.0.1\nt=0 0\nm=video \(port) RTP/AVP 96\na=recvonly\na=rtpmap:\(rtpmap)\ny=0100000001\n"
        }

        #expect(try await invite(sdp(port: 0)) == 488, "SDP port 0 is a declined stream, not a place to send to")
        #expect(try await invite("this is not SDP") == 488)
        #expect(try await invite(sdp(port: 32000, rtpmap: "98 H264/90000")) == 488, "we relay PS only")
        #expect(provider.requests.isEmpty)

        let subject = "\(Self.channel):0,\(Self.province):0"
        let callID = UUID().uuidString
        #expect(try await invite(sdp(port: 32000), uri: Self.city, subject: subject, callID: callID) == 200)
        #expect(provider.requests.last?.channelID == Self.channel, "the Request-URI named the platform, the Subject the channel")
        #expect(try await invite(sdp(port: 32002), callID: callID) == 488, "a re-INVITE of a running relay")

        let impostor = try await RawSIPPeer.start()
        #expect(try await invite(sdp(port: 32004), from: impostor) == 403, "the province's ID from another address")
        #expect(provider.requests.count == 1)
        await link.stop()
        #expect(provider.stopped == 1, "a link that stops ends its calls")
        try await impostor.close()
        try await upper.close()
        await city.stop()
    }
}

/// The upper's catalog subscription on the city, and the NOTIFYs that follow changes (spec §4).
@Suite(.serialized)
struct UpperCatalogSubscriptionTests {
    @Test("the province subscribes to the city's catalog; the city's changes reach it by NOTIFY in that dialog; a position subscription is refused honestly")
    func catalogChangesReachTheProvince() async throws {
        let (province, sink) = try await PlatformFixture.start()
        let city = try await UpperLinkTests.startCity()
        let events = StateLog()
        let link = await city.linkToUpper(UpperLinkTests.upper(port: try #require(province.localAddress.port))) { events.append($0) }
        #expect(await eventually(timeout: .seconds(10)) { await province.device(UpperLinkTests.city)?.online == true })
        #expect(await link.hasCatalogSubscription == false)
        _ = try await province.subscribe(.catalog, deviceID: UpperLinkTests.city)
        #expect(await link.hasCatalogSubscription)
        await #expect(throws: (any Error).self, "position forwarding is not served: 489, not a silent 200") {
            _ = try await province.subscribe(.mobilePosition(interval: 5), deviceID: UpperLinkTests.city)
        }

        let added = (0..<10).map { CatalogItem(deviceID: "3402000000132" + String(2_000_000 + $0).suffix(7), event: .add, name: "新点位\($0)",
                                               parentID: UpperLinkTests.city, status: .on) }
        let removed = CatalogItem(deviceID: "34020000001320000001", event: .delete)
        let sent = await link.notifyCatalogChanges(added + [removed])
        #expect(sent == 3, "11 changes in NOTIFYs of 4")
        #expect(await eventually {
            let changes = await sink.changes.filter { $0.deviceID == UpperLinkTests.city }.flatMap(\.changes)
            return changes.count == 11 && changes.filter { $0.event == .add }.count == 10 && changes.last?.event == .delete
        })
        #expect(events.names.isEmpty == false)
        await link.stop()
        await province.stop()
        await city.stop()
    }
}

/// The upper's alarm subscription, and the alarms App hands the link (spec §4, §9.4).
@Suite(.serialized)
struct UpperAlarmSubscriptionTests {
    @Test("the province subscribes to the city's alarms; an alarm the city hands its link reaches the province by NOTIFY, with the camera as source")
    func alarmsReachTheProvince() async throws {
        let (province, sink) = try await PlatformFixture.start()
        let city = try await UpperLinkTests.startCity()
        let link = await city.linkToUpper(UpperLinkTests.upper(port: try #require(province.localAddress.port)))
        #expect(await eventually(timeout: .seconds(10)) { await province.device(UpperLinkTests.city)?.online == true })
        #expect(await link.notifyAlarm(AlarmNotify(sn: 1, deviceID: "34020000001320000001", alarmPriority: 1, alarmMethod: "5")) == 0,
                "nothing goes up without a subscription")
        _ = try await province.subscribe(.alarm, deviceID: UpperLinkTests.city)
        #expect(await link.hasAlarmSubscription)
        #expect(await link.hasCatalogSubscription == false, "an alarm subscription is not a catalog one")
        let sent = await link.notifyAlarm(AlarmNotify(sn: 1, deviceID: "34020000001320000001", alarmPriority: 1, alarmMethod: "5",
                                                      alarmDescription: "区域入侵"))
        #expect(sent == 1)
        #expect(await eventually {
            await sink.alarms.contains { $0.deviceID == UpperLinkTests.city && $0.alarm.deviceID == "34020000001320000001" && $0.alarm.alarmPriority == 1 }
        })
        await link.stop()
        await province.stop()
        await city.stop()
    }
}

/// Records what the link asked; its legs count starts and stops; `refuse` makes the next open fail.
final class RecordingProvider: UpperMediaProvider {
    private struct State {
        var requests: [UpperMediaRequest] = []
        var ends: [@Sendable (String) -> Void] = []
        var refusal: UpperMediaRefusal?
        var started = 0
        var stopped = 0
        var controls: [String] = []
    }
    private let state = Mutex(State())

    var requests: [UpperMediaRequest] { state.withLock { $0.requests } }
    var started: Int { state.withLock { $0.started } }
    var stopped: Int { state.withLock { $0.stopped } }
    var controls: [String] { state.withLock { $0.controls } }
    func refuse(_ refusal: UpperMediaRefusal) { state.withLock { $0.refusal = refusal } }
    func endLast(_ reason: String) { state.withLock { $0.ends.last }?(reason) }

    func open(_ request: UpperMediaRequest, ended: @escaping @Sendable (String) -> Void) async throws -> any UpperMediaLeg {
        try state.withLock { s in
            if let refusal = s.refusal { throw refusal }
            s.requests.append(request)
            s.ends.append(ended)
        }
        return Leg(provider: self, ssrc: request.offer.ssrcValue ?? 1, recording: request.offer.sessionType != .play)
    }

    struct Leg: UpperMediaLeg {
        let provider: RecordingProvider
        let ssrc: UInt32
        let recording: Bool
        var answer: UpperMediaAnswer { UpperMediaAnswer(host: "127.0.0.1", port: 9, ssrc: ssrc) }
        func start() async { provider.state.withLock { $0.started += 1 } }
        func stop() async { provider.state.withLock { $0.stopped += 1 } }
        /// A playback leg takes MANSRTSP (recorded, 200); a live one has the protocol's answer.
        func control(_ body: [UInt8]) async -> Int {
            guard recording else { return 405 }
            provider.state.withLock { $0.controls.append(String(decoding: body, as: UTF8.self)) }
            return 200
        }
    }
}

/// A UDP SIP peer whose every byte the test writes: requests an upper would never send in good order.
final class RawSIPPeer: Sendable {
    let channel: any Channel
    private let received: Mutex<[String]>
    var port: Int { channel.localAddress?.port ?? 0 }

    private init(channel: any Channel) {
        self.channel = channel
        self.received = Mutex([])
    }

    static func start() async throws -> RawSIPPeer {
        let collector = Collector()
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { $0.pipeline.addHandler(collector) }
            .bind(host: "127.0.0.1", port: 0).get()
        let peer = RawSIPPeer(channel: channel)
        collector.peer.withLock { $0 = peer }
        return peer
    }

    /// Sends `text` to 127.0.0.1:`port` and returns the final status answered for `callID` (0: none in 5 s).
    func request(_ text: String, to port: Int, callID: String) async throws -> Int {
        let address = try SocketAddress(ipAddress: "127.0.0.1", port: port)
        let before = received.withLock { $0.count }
        try await channel.writeAndFlush(AddressedEnvelope(remoteAddress: address, data: ByteBuffer(string: text)))
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline {
            let final = received.withLock { messages in
                messages.dropFirst(before).compactMap { message -> Int? in
                    guard message.hasPrefix("SIP/2.0 "), message.contains(callID) else { return nil }
                    let code = Int(message.dropFirst(8).prefix(3)) ?? 0
                    return code >= 200 ? code : nil
                }.first
            }
            if let final { return final }
            try await Task.sleep(for: .milliseconds(20))
        }
        return 0
    }

    func close() async throws { try await channel.close() }

    fileprivate func record(_ text: String) { received.withLock { $0.append(text) } }

    final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        let peer = Mutex<RawSIPPeer?>(nil)
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            peer.withLock { $0 }?.record(String(buffer: envelope.data))
        }
    }
}
