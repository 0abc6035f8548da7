import Foundation
import GB28181
import GBSimulator
import Media
import NIOCore
import NIOPosix
import Testing

/// A live INVITE from the real platform service to a simulated camera; what arrives at the receive port
/// (RTP over UDP, or RFC 4571 over TCP) is unwrapped to PS and decoded by ffprobe, an external reader.
@Suite(.serialized) struct SimulatedStreamTests {
    static let cases: [(MediaCodec, MediaReceiveMode)] = [(.h264, .udp), (.h265, .udp), (.h264, .tcpPassive), (.h265, .tcpPassive),
                                                         (.h264, .tcpActive)]

    @Test(arguments: cases)
    func liveMediaDecodesWithFFprobe(codec: MediaCodec, mode: MediaReceiveMode) async throws {
        let service = try await SimulatorFixture.platform()
        let fleet = try await SimulatorFixture.fleet(.cameras(1), service: service, codec: codec)
        let camera = fleet.layout.members[0].deviceID
        #expect(await SimulatorFixture.eventually { await SimulatorFixture.online([camera], service) })
        let receiver = try await PSReceiver.open(mode)
        let offer = MediaOffer(mode: mode, ssrc: try GBSSRC(kind: .live, domainDigits: "20000", sequence: 7),
                               receiveAddress: "127.0.0.1", receivePort: receiver.port)
        let session = try await service.invite(deviceID: camera, channelID: camera, offer: offer)
        if let target = session.tcpConnectTarget { try await receiver.connect(to: target) }
        #expect(await SimulatorFixture.eventually { await receiver.byteCount > 300_000 })
        try await service.bye(session.id)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("gbsim-\(UUID().uuidString).ps")
        try Data(await receiver.bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let probe = try ExternalDecoder.probe(file)
        #expect(probe.codec == (codec == .h265 ? "hevc" : "h264") && probe.width == 1280 && probe.frames >= 25, "\(probe)")
        await receiver.close()
        await fleet.stop()
        await service.stop()
    }

    /// Download of a 2 s range at 4x: the whole range arrives, then MediaStatus 121.
    @Test func downloadEndsWithMediaStatus() async throws {
        let service = try await SimulatorFixture.platform()
        let lines = LineLog()
        let fleet = try await SimulatorFixture.fleet(.cameras(1), service: service, lines: lines)
        let camera = fleet.layout.members[0].deviceID
        #expect(await SimulatorFixture.eventually { await SimulatorFixture.online([camera], service) })
        let receiver = try await PSReceiver.open(.udp)
        let start = Int64(Date().timeIntervalSince1970) - 3600
        let offer = MediaOffer(request: .download(start: start, end: start + 2, speed: 4), mode: .udp,
                               ssrc: try GBSSRC(kind: .historical, domainDigits: "20000", sequence: 8),
                               receiveAddress: "127.0.0.1", receivePort: receiver.port)
        let began = ContinuousClock.now
        let session = try await service.invite(deviceID: camera, channelID: camera, offer: offer)
        #expect(await SimulatorFixture.eventually { await lines.contains("MediaStatus 121") })
        #expect(ContinuousClock.now - began < .seconds(2), "4x: 2 s of video in about half a second")
        #expect(await receiver.frameStarts == 50)
        try await service.bye(session.id)
        await receiver.close()
        await fleet.stop()
        await service.stop()
    }
}

/// The platform's media side for the test: RTP payloads (PS) in arrival order. Every channel runs on one
/// event loop, which alone touches the collected state (read back with `submit`).
final class PSReceiver: @unchecked Sendable {
    private let loop = MultiThreadedEventLoopGroup.singleton.next()
    private var channels: [any Channel] = []
    private var collected: [UInt8] = []
    /// RTP packets with the marker bit: one per frame (spec §6.1).
    private var markers = 0
    private(set) var port = 9

    static func open(_ mode: MediaReceiveMode) async throws -> PSReceiver {
        let receiver = PSReceiver()
        let channel: (any Channel)? = switch mode {
        case .udp:
            try await DatagramBootstrap(group: receiver.loop)
                .channelOption(.socketOption(.so_rcvbuf), value: 8 << 20)
                .channelInitializer { $0.pipeline.addHandler(DatagramSink(receiver)) }
                .bind(host: "127.0.0.1", port: 0).get()
        case .tcpPassive:
            try await ServerBootstrap(group: receiver.loop)
                .childChannelInitializer { receiver.addFraming(to: $0) }
                .bind(host: "127.0.0.1", port: 0).get()
        case .tcpActive:
            nil
        }
        if let channel {
            receiver.port = channel.localAddress?.port ?? 0
            try await receiver.loop.submit { receiver.channels.append(channel) }.get()
        }
        return receiver
    }

    /// TCP active: we connect to the device's port from its answer.
    func connect(to target: MediaEndpoint) async throws {
        let channel = try await ClientBootstrap(group: loop)
            .channelInitializer { self.addFraming(to: $0) }
            .connect(host: target.host, port: target.port).get()
        try await loop.submit { self.channels.append(channel) }.get()
    }

    /// RFC 4571: a 16-bit length before each RTP packet.
    private func addFraming(to channel: any Channel) -> EventLoopFuture<Void> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandlers([ByteToMessageHandler(RFC4571FrameDecoder()), StreamSink(self)])
        }
    }

    fileprivate func received(_ packet: RTPPacket) {
        loop.preconditionInEventLoop()
        collected += Array(packet.payload.readableBytesView)
        if packet.marker { markers += 1 }
    }

    var bytes: [UInt8] { get async { (try? await loop.submit { self.collected }.get()) ?? [] } }
    var byteCount: Int { get async { (try? await loop.submit { self.collected.count }.get()) ?? 0 } }
    var frameStarts: Int { get async { (try? await loop.submit { self.markers }.get()) ?? 0 } }

    func close() async {
        let open = (try? await loop.submit { self.channels }.get()) ?? []
        for channel in open { try? await channel.close() }
    }
}

private final class DatagramSink: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    let receiver: PSReceiver
    init(_ receiver: PSReceiver) { self.receiver = receiver }
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if let packet = try? RTPPacket(parsing: unwrapInboundIn(data).data) { receiver.received(packet) }
    }
}

private final class StreamSink: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    let receiver: PSReceiver
    init(_ receiver: PSReceiver) { self.receiver = receiver }
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if let packet = try? RTPPacket(parsing: unwrapInboundIn(data)) { receiver.received(packet) }
    }
}
