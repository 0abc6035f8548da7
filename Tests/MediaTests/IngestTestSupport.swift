import Foundation
import NIOCore
import NIOPosix
import Testing
@testable import Media

/// A hub and an ingest on 127.0.0.1 (port 0), wired as App will wire them.
struct IngestRig {
    let group: MultiThreadedEventLoopGroup
    let source: ScriptedSource
    let hub: StreamHub
    let ingest: RTPIngestServer

    static let pcapSSRC: UInt32 = 100_000_001

    static func make(hub configuration: StreamHubConfiguration = HubFixtures.configuration(grace: .zero),
                     ssrc: UInt32? = pcapSSRC, transport: IngestTransport = .udp,
                     portRange: ClosedRange<Int>? = nil) async throws -> IngestRig {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let source = ScriptedSource()
        let hub = StreamHub(source: source, configuration: configuration)
        var c = RTPIngestConfiguration(host: "127.0.0.1", port: 0)
        c.ownPortRange = portRange
        c.connectRetryInterval = .milliseconds(50)
        let ingest = try await RTPIngestServer.start(configuration: c, group: group, sink: hub)
        await source.attach(ingest, ssrc: ssrc, transport: transport)
        return IngestRig(group: group, source: source, hub: hub, ingest: ingest)
    }

    func shutdown() async {
        await hub.shutdown()
        await ingest.shutdown()
        try? await group.shutdownGracefully()
    }
}

enum PcapFixtures {
    static let h264Datagrams: [[UInt8]] = {
        ((try? PcapReader.udpDatagrams(TestFiles.pcap("ps_h264_1080p25_ssrc100000001.pcap"))) ?? []).map(\.payload)
    }()

    /// On a live stream (no flush) a frame leaves the demuxer when the next frame's PES has been read,
    /// which takes the start of the one after: 287 frames in the pcap, 285 reach a viewer.
    static let liveFrames = 285

    /// RFC 4571 framing of every datagram.
    static func framed(_ datagrams: [[UInt8]]) -> ByteBuffer {
        var out = ByteBuffer()
        for d in datagrams {
            out.writeInteger(UInt16(d.count))
            out.writeBytes(d)
        }
        return out
    }

    /// Same payloads with another SSRC.
    static func withSSRC(_ ssrc: UInt32, _ datagrams: [[UInt8]]) -> [[UInt8]] {
        datagrams.map { d in
            var d = d
            d[8] = UInt8(ssrc >> 24); d[9] = UInt8(ssrc >> 16 & 0xFF); d[10] = UInt8(ssrc >> 8 & 0xFF); d[11] = UInt8(ssrc & 0xFF)
            return d
        }
    }
}

/// Sends datagrams to 127.0.0.1:port from one socket, 64 at a time, each batch written out before the
/// next (a pending write is dropped if the socket closes first).
func sendUDP(_ datagrams: [[UInt8]], to port: Int, group: any EventLoopGroup) async throws {
    let client = try await DatagramBootstrap(group: group).bind(host: "127.0.0.1", port: 0).get()
    let address = try SocketAddress(ipAddress: "127.0.0.1", port: port)
    for batch in stride(from: 0, to: datagrams.count, by: 64) {
        let end = min(datagrams.count, batch + 64)
        for d in datagrams[batch..<(end - 1)] {
            client.write(AddressedEnvelope(remoteAddress: address, data: ByteBuffer(bytes: d)), promise: nil)
        }
        try await client.writeAndFlush(AddressedEnvelope(remoteAddress: address, data: ByteBuffer(bytes: datagrams[end - 1])))
        try await Task.sleep(for: .milliseconds(1))
    }
    try await client.close()
}
