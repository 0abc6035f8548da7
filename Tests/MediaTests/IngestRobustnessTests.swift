import Foundation
import NIOCore
import NIOPosix
import Testing
@testable import Media

/// Bad input on the ingest: other SSRCs, floods of strangers, garbage, silent devices; every case is
/// counted, memory stays bounded and SSRCs and ports are given back.
@Suite struct IngestRobustnessTests {
    let key = StreamKey.live("34020000001310000001")
    let other = StreamKey.live("34020000001310000002")

    /// Short enough for a test, long enough for a loaded machine to deliver what was sent first.
    static func quick(noRTP: Duration = .milliseconds(300)) -> StreamHubConfiguration {
        var c = HubFixtures.configuration(grace: .zero)
        c.noRTPTimeout = noRTP
        return c
    }

    @Test func theOnlyStreamOnThePortTakesAnotherSSRC() async throws {
        let rig = try await IngestRig.make(ssrc: 200_000_001)
        let viewer = await rig.hub.subscribe(key)
        let log = Task { await consume(viewer, limit: PcapFixtures.liveFrames) }
        #expect(await eventually { await rig.source.liveLeases == 1 })
        try await sendUDP(PcapFixtures.h264Datagrams, to: rig.ingest.port, group: rig.group)
        #expect(await log.value.frames.count == PcapFixtures.liveFrames)
        #expect(viewer.timeline.notes.contains { $0.contains("100000001") && $0.contains("accepted") })
        #expect(rig.ingest.statistics.unknownPackets == 0)
        await rig.shutdown()
    }

    @Test func withTwoStreamsOnThePortAStrangerIsDroppedAndNamed() async throws {
        let rig = try await IngestRig.make(hub: Self.quick(noRTP: .seconds(2)), ssrc: nil)
        let first = Task { await consume(await rig.hub.subscribe(key)) }
        let second = Task { await consume(await rig.hub.subscribe(other)) }
        #expect(await eventually { await rig.source.liveLeases == 2 })
        try await sendUDP(Array(PcapFixtures.h264Datagrams.prefix(200)), to: rig.ingest.port, group: rig.group)
        let failures = [await first.value.failure, await second.value.failure]
        for failure in failures {
            guard case let .ssrcMismatch(expected, received, _) = failure else {
                Issue.record("expected an SSRC mismatch, got \(String(describing: failure))")
                continue
            }
            #expect(received == [100_000_001])
            #expect([200_000_002, 200_000_003].contains(expected))
        }
        let s = rig.ingest.statistics
        #expect(s.unknownPackets > 150 && s.unknownSSRCsRemembered == 1)
        #expect(s.registeredStreams == 0)
        await rig.shutdown()
    }

    @Test func aFloodOfRandomSSRCsAndMalformedPacketsStaysBounded() async throws {
        let rig = try await IngestRig.make()
        let viewer = await rig.hub.subscribe(key)
        let log = Task { await consume(viewer, limit: PcapFixtures.liveFrames) }
        // A second registration, so strangers are not taken by the only-stream rule.
        let decoy = try await rig.ingest.register(ssrc: 7, key: other)
        #expect(await eventually { await rig.source.liveLeases == 1 })
        var generator = SystemRandomNumberGenerator()
        var flood: [[UInt8]] = []
        let real = PcapFixtures.h264Datagrams
        for (i, datagram) in real.enumerated() {
            flood.append(datagram)
            for _ in 0..<10 {
                var junk = datagram.prefix(200).map { $0 }
                let ssrc = UInt32.random(in: 1_000...UInt32.max, using: &generator)
                junk.replaceSubrange(8..<12, with: [UInt8(ssrc >> 24), UInt8(ssrc >> 16 & 0xFF), UInt8(ssrc >> 8 & 0xFF), UInt8(ssrc & 0xFF)])
                flood.append(junk)
            }
            if i % 10 == 0 {
                flood.append([0x40] + datagram.dropFirst().prefix(100))  // RTP version 1
                flood.append([0x80, 0x60, 0x00])                          // shorter than a header
            }
        }
        try await sendUDP(flood, to: rig.ingest.port, group: rig.group)
        #expect(await log.value.frames.count == PcapFixtures.liveFrames)
        let s = rig.ingest.statistics
        // Every stranger that reached the socket is counted (a loaded machine may drop a few datagrams).
        #expect(s.unknownPackets <= real.count * 10 && s.unknownPackets >= real.count * 10 * 95 / 100)
        #expect(s.unknownSSRCsRemembered <= RTPIngestConfiguration().unknownSSRCCapacity)
        #expect(s.malformedPackets <= 2 * ((real.count + 9) / 10) && s.malformedPackets >= 70)
        decoy.release()
        await rig.shutdown()
    }

    @Test func garbagePayloadOnARegisteredSSRCIsSurvivedAndCounted() async throws {
        let rig = try await IngestRig.make()
        let viewer = await rig.hub.subscribe(key)
        let log = Task { await consume(viewer, limit: 100) }
        #expect(await eventually { await rig.source.liveLeases == 1 })
        var generator = SystemRandomNumberGenerator()
        let real = PcapFixtures.h264Datagrams
        // Truncated and random payloads with the stream's own SSRC and consecutive sequence numbers,
        // then the capture: the viewer starts at the capture's keyframe.
        var garbage: [[UInt8]] = []
        for i in 0..<300 {
            var d = Array(real[i % real.count].prefix(12))
            // Far from the capture's numbers, so the capture reads as a sender restart (RFC 3550 A.1).
            d[2] = UInt8((30_000 + i) >> 8); d[3] = UInt8((30_000 + i) & 0xFF)
            d += (0..<Int.random(in: 0...1400, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            garbage.append(d)
        }
        try await sendUDP(garbage, to: rig.ingest.port, group: rig.group)
        try await sendUDP(real, to: rig.ingest.port, group: rig.group)
        let seen = await log.value
        #expect(seen.frames.count == 100)
        #expect(seen.order.hasPrefix("PK"))
        let diagnostics = try #require(await rig.source.leases.first?.diagnostics())
        // Every packet that arrived was counted, none twice. (UDP on loopback may still drop some of a
        // burst when the machine is busy, so arrival itself is not asserted; the frames above are.)
        #expect(diagnostics.packets <= 300 + real.count && diagnostics.packets >= 100)
        #expect((diagnostics.demux?.resyncs ?? 0) + (diagnostics.rtp?.restarts ?? 0) + (diagnostics.rtp?.lost ?? 0) > 0)
        await rig.shutdown()
    }

    @Test func aDeviceThatNeverSendsTimesOutAndFreesSSRCAndPort() async throws {
        let rig = try await IngestRig.make(hub: Self.quick(), ssrc: 200_000_001, transport: .udpOwnPort, portRange: 42_000...42_009)
        let log = await consume(await rig.hub.subscribe(key))
        guard case let .noRTP(address, timeout) = log.failure else {
            Issue.record("expected noRTP, got \(String(describing: log.failure))")
            return await rig.shutdown()
        }
        #expect(address.hasPrefix("127.0.0.1:420") && address.hasSuffix("UDP"))
        #expect(timeout == .milliseconds(300))
        #expect(await eventually { rig.ingest.statistics.portsInUse == 0 && rig.ingest.statistics.registeredStreams == 0 })
        await rig.shutdown()
    }

    @Test func leasesNeverLeakOverAThousandStartStopCycles() async throws {
        let rig = try await IngestRig.make(ssrc: nil, portRange: 43_000...43_199)
        for cycle in 0..<1100 {
            if cycle == 1000 { await rig.source.attach(rig.ingest, transport: .udpOwnPort) }
            let viewer = await rig.hub.subscribe(key)
            if cycle % 2 == 0 {
                // Wait for the answer half of the time; otherwise leave while the INVITE is in flight.
                for _ in 0..<10_000 {
                    if await rig.hub.timeline(for: key)?.reached ?? .playing >= .answered { break }
                    await Task.yield()
                }
            }
            await viewer.cancel()
            // Let the grace period (zero) end this run, so the next cycle starts a new upstream.
            for _ in 0..<10_000 {
                if await !rig.hub.isUpstreamActive(key) { break }
                await Task.yield()
            }
        }
        #expect(await eventually(.seconds(10)) {
            let s = rig.ingest.statistics
            return s.registeredStreams == 0 && s.sharedUDPSSRCs == 0 && s.portsInUse == 0
        })
        #expect(await eventually { await rig.source.stops + rig.source.failedStarts == rig.source.starts })
        // Cycles left before the INVITE task ran send no INVITE at all.
        #expect(await rig.source.starts >= 550)
        #expect(await rig.hub.streamCount == 0)
        await rig.shutdown()
    }
}
