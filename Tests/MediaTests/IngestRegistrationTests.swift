import Foundation
import NIOCore
import NIOPosix
import Testing
@testable import Media

/// Registration rules: the answer's SSRC wins, one SSRC per stream on the shared port, port ranges,
/// and strangers on TCP are closed.
@Suite struct IngestRegistrationTests {
    let key = StreamKey.live("34020000001310000001")

    @Test func theAnswersSSRCReplacesTheOffered() async throws {
        let rig = try await IngestRig.make(ssrc: 200_000_001)
        let viewer = await rig.hub.subscribe(key)
        let log = Task { await consume(viewer, limit: PcapFixtures.liveFrames) }
        #expect(await eventually { await rig.source.liveLeases == 1 })
        let lease = try #require(await rig.source.leases.first)
        // A second stream, so the capture's SSRC is not taken by the only-stream rule.
        let other = try await rig.ingest.register(ssrc: 5, key: .live("34020000001310000002"))
        try lease.updateSSRC(IngestRig.pcapSSRC)
        #expect(lease.ssrc == IngestRig.pcapSSRC)
        #expect(throws: IngestError.ssrcInUse(IngestRig.pcapSSRC)) {
            _ = try other.updateSSRC(IngestRig.pcapSSRC)
        }
        try await sendUDP(PcapFixtures.h264Datagrams, to: rig.ingest.port, group: rig.group)
        #expect(await log.value.frames.count == PcapFixtures.liveFrames)
        #expect(rig.ingest.statistics.unknownPackets == 0)
        other.release()
        await rig.shutdown()
    }

    @Test func anSSRCIsRegisteredOnceAndReleasedLeasesFreeIt() async throws {
        let rig = try await IngestRig.make()
        let first = try await rig.ingest.register(ssrc: 42, key: key)
        await #expect(throws: IngestError.ssrcInUse(42)) {
            _ = try await rig.ingest.register(ssrc: 42, key: .live("x"))
        }
        first.release()
        first.release()
        #expect(first.isReleased)
        do {
            let again = try await rig.ingest.register(ssrc: 42, key: key)
            #expect(rig.ingest.statistics.registeredStreams == 1)
            _ = again  // dropped here: released by deinit
        }
        #expect(rig.ingest.statistics.registeredStreams == 0)
        await rig.shutdown()
    }

    @Test func ownPortsComeFromTheRangeAndRunOut() async throws {
        #expect(RTPIngestConfiguration.parsePortRange("30002-30005") == 30002...30005)
        #expect(RTPIngestConfiguration.parsePortRange("30005-30002") == nil)
        #expect(RTPIngestConfiguration.parsePortRange("x") == nil)
        let rig = try await IngestRig.make(portRange: 44_001...44_005)
        let a = try await rig.ingest.register(ssrc: 1, key: key, transport: .udpOwnPort)
        let b = try await rig.ingest.register(ssrc: 2, key: key, transport: .tcpPassiveOwnPort)
        #expect(Set([a.localPort, b.localPort]) == [44_002, 44_004])
        await #expect(throws: IngestError.noFreePort(44_001...44_005)) {
            _ = try await rig.ingest.register(ssrc: 3, key: key, transport: .udpOwnPort)
        }
        #expect(rig.ingest.statistics.registeredStreams == 2)
        a.release()
        b.release()
        #expect(await eventually { rig.ingest.statistics.portsInUse == 0 })
        await rig.shutdown()
    }

    @Test func aTCPStrangerIsClosedAfterTheTimeout() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let hub = StreamHub(source: ScriptedSource(), configuration: HubFixtures.configuration())
        var c = RTPIngestConfiguration(host: "127.0.0.1", port: 0)
        c.unboundConnectionTimeout = .seconds(1)
        let ingest = try await RTPIngestServer.start(configuration: c, group: group, sink: hub)
        // Two TCP passive streams: a connection with a third SSRC matches neither.
        let a = try await ingest.register(ssrc: 1, key: key, transport: .tcpPassive)
        let b = try await ingest.register(ssrc: 2, key: .live("y"), transport: .tcpPassive)
        let stranger = try await ClientBootstrap(group: group).connect(host: "127.0.0.1", port: ingest.port).get()
        // On a loaded machine the timeout may win the race with the write: then nothing is counted.
        let wrote = (try? await stranger.writeAndFlush(PcapFixtures.framed(Array(PcapFixtures.h264Datagrams.prefix(20))))) != nil
        try await stranger.closeFuture.get()
        let s = ingest.statistics
        #expect(s.unboundConnectionsClosed == 1 && s.unboundConnections == 0)
        #expect(!wrote || s.unknownPackets == 20)
        a.release()
        b.release()
        await ingest.shutdown()
        await hub.shutdown()
        try await group.shutdownGracefully()
    }
}
