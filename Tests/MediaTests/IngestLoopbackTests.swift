import Foundation
import NIOCore
import NIOPosix
import Testing
@testable import Media

/// The ingest on real loopback sockets with the SIPp pcap's RTP payloads: UDP and TCP on the shared
/// port, TCP active, a port of the stream's own, and the replay sender.
@Suite struct IngestLoopbackTests {
    let key = StreamKey.live("34020000001310000001")

    func watch(_ rig: IngestRig) async throws -> (StreamSubscription, Task<ViewerLog, Never>) {
        let viewer = await rig.hub.subscribe(key)
        let log = Task { await consume(viewer, limit: PcapFixtures.liveFrames) }
        #expect(await eventually { await rig.source.liveLeases == 1 })
        try await Task.sleep(for: .milliseconds(20))  // the answer reaches the hub
        return (viewer, log)
    }

    @Test func udpOnTheSharedPort() async throws {
        let rig = try await IngestRig.make()
        let (viewer, log) = try await watch(rig)
        try await sendUDP(PcapFixtures.h264Datagrams, to: rig.ingest.port, group: rig.group)
        let seen = await log.value
        #expect(seen.frames.count == PcapFixtures.liveFrames)
        #expect(seen.order.hasPrefix("PK"))
        #expect(seen.parameters.first?.video.width == 1920)
        #expect(viewer.timeline.reached == .playing)
        let diagnostics = try #require(await rig.source.leases.first?.diagnostics())
        #expect(diagnostics.packets == PcapFixtures.h264Datagrams.count)
        #expect(diagnostics.rtp?.lost == 0)
        await rig.shutdown()
    }

    @Test func tcpPassiveOnTheSharedPort() async throws {
        let rig = try await IngestRig.make(transport: .tcpPassive)
        let (_, log) = try await watch(rig)
        // A second viewer that stays to the end, joined before any media: when the first one has had
        // its frames the upstream must still be the same one (joining later could start a new upstream
        // after the first viewer left, which would then wait for RTP that never comes).
        let tail = Task { await consume(await rig.hub.subscribe(key)) }
        #expect(await eventually { await rig.hub.viewerCount(for: key) == 2 })
        let device = try await ClientBootstrap(group: rig.group).connect(host: "127.0.0.1", port: rig.ingest.port).get()
        try await device.writeAndFlush(PcapFixtures.framed(PcapFixtures.h264Datagrams))
        let seen = await log.value
        #expect(seen.frames.count == PcapFixtures.liveFrames)
        #expect(rig.ingest.statistics.unboundConnections == 0)
        // The device hanging up ends the stream, with the reason.
        try await device.close()
        let end = await tail.value
        guard case .connectionClosed = end.failure else {
            Issue.record("expected connectionClosed, got \(String(describing: end.failure))")
            return await rig.shutdown()
        }
        #expect(await eventually { await rig.source.liveLeases == 0 })
        await rig.shutdown()
    }

    @Test func tcpActiveConnectsToTheDevice() async throws {
        let rig = try await IngestRig.make(transport: .tcpActive)
        // The "device": listens, and streams the capture to whoever connects (spec §5.5 setup:passive).
        let payload = PcapFixtures.framed(PcapFixtures.h264Datagrams)
        let device = try await ServerBootstrap(group: rig.group)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(SendOnConnect(payload: payload))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(device.localAddress?.port)
        await rig.source.attach(rig.ingest, ssrc: IngestRig.pcapSSRC, transport: .tcpActive, activePeer: ("127.0.0.1", port))
        let (_, log) = try await watch(rig)
        let seen = await log.value
        #expect(seen.frames.count == PcapFixtures.liveFrames)
        try await device.close()
        await rig.shutdown()
    }

    @Test func tcpActiveToADeadPortFailsWithTheAddress() async throws {
        let rig = try await IngestRig.make(transport: .tcpActive)
        await rig.source.attach(rig.ingest, ssrc: IngestRig.pcapSSRC, transport: .tcpActive, activePeer: ("127.0.0.1", 9))
        let log = await consume(await rig.hub.subscribe(key))
        guard case let .connectFailed(address, _) = log.failure else {
            Issue.record("expected connectFailed, got \(String(describing: log.failure))")
            return await rig.shutdown()
        }
        #expect(address == "127.0.0.1:9")
        // The lease is released as the failed upstream is torn down, just after the viewer hears why.
        #expect(await eventually { rig.ingest.statistics.registeredStreams == 0 })
        await rig.shutdown()
    }

    @Test func ownUDPPortTakesAnySSRC() async throws {
        let rig = try await IngestRig.make(ssrc: 200_000_001, transport: .udpOwnPort, portRange: 41_000...41_099)
        let (viewer, log) = try await watch(rig)
        let lease = try #require(await rig.source.leases.first)
        #expect((41_000...41_099).contains(lease.localPort) && lease.localPort % 2 == 0)
        #expect(rig.ingest.statistics.portsInUse == 1)
        try await sendUDP(PcapFixtures.h264Datagrams, to: lease.localPort, group: rig.group)
        let seen = await log.value
        #expect(seen.frames.count == PcapFixtures.liveFrames)
        #expect(viewer.timeline.notes.contains { $0.contains("accepted") })
        await viewer.cancel()
        #expect(await eventually { rig.ingest.statistics.portsInUse == 0 })
        await rig.shutdown()
    }

    @Test(arguments: [RTPReplaySender.Transport.udp, .tcp])
    func replaySenderFeedsTheIngest(transport: RTPReplaySender.Transport) async throws {
        let rig = try await IngestRig.make(ssrc: 300_000_001, transport: transport == .udp ? .udp : .tcpPassive)
        let viewer = await rig.hub.subscribe(key)
        #expect(await eventually { await rig.source.liveLeases == 1 })
        let program = PSReplayProgram(psFile: try TestFiles.psSample(TestFiles.h264File), padToKilobitsPerSecond: 4000)
        #expect(program.frames.count == 288)
        let sender = try await RTPReplaySender.start(
            program: program, targets: [.init(ssrc: 300_000_001, port: rig.ingest.port)], transport: transport,
            speed: 8, frames: 120, group: rig.group)
        // Two frames stay in the demuxer until more arrives (see PcapFixtures.liveFrames).
        let log = await consume(viewer, limit: 118)
        #expect(log.failure == nil)
        #expect(log.frames.count == 118)
        #expect(log.frames.map(\.pts) == (0..<118).map { 90_000 + Int64($0) * 3600 })
        // Padded to 4 Mbit/s at 25 fps: 20 000 bytes a frame on average.
        let average = log.frames.reduce(0) { $0 + $1.data.count } / log.frames.count
        #expect(abs(average - 20_000) < 2_000)
        #expect(await sender.isFinished)
        await sender.stop()
        await rig.shutdown()
    }
}

/// A device in TCP passive mode: sends its stream to whoever connects.
final class SendOnConnect: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    let payload: ByteBuffer
    init(payload: ByteBuffer) { self.payload = payload }
    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(NIOAny(payload), promise: nil)
    }
}
