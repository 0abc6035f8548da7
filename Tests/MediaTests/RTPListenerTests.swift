import Foundation
import NIOCore
import NIOPosix
import Testing
@testable import Media

/// The NIO listeners on 127.0.0.1 with the pcap's packets.
@Suite struct RTPListenerTests {
    final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var packets: [RTPPacket] = []
        func append(_ p: RTPPacket) { lock.lock(); packets.append(p); lock.unlock() }
        var all: [RTPPacket] { lock.lock(); defer { lock.unlock() }; return packets }
    }

    static func pcapPackets() throws -> [[UInt8]] {
        try PcapReader.udpDatagrams(try TestFiles.pcap("ps_h264_1080p25_ssrc100000001.pcap")).map(\.payload)
    }

    static func waitFor(_ count: Int, in collected: Collected) async throws {
        for _ in 0..<200 where collected.all.count < count { try await Task.sleep(for: .milliseconds(20)) }
    }

    @Test func tcpListenerFramesAndDemuxes() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let collected = Collected()
        let server = try await RTPListener.bindTCP(group: group, host: "127.0.0.1", port: 0) { packet, _ in collected.append(packet) }
        let port = try #require(server.localAddress?.port)
        let packets = try Self.pcapPackets()
        let client = try await ClientBootstrap(group: group).connect(host: "127.0.0.1", port: port).get()
        var out = ByteBuffer()
        for p in packets {
            out.writeInteger(UInt16(p.count))
            out.writeBytes(p)
        }
        try await client.writeAndFlush(out)
        try await Self.waitFor(packets.count, in: collected)
        try await client.close()
        try await server.close()
        try await group.shutdownGracefully()
        let received = collected.all
        #expect(received.count == packets.count)
        var receiver = PSOverRTPReceiver(ssrc: 100_000_001)
        var frames: [MediaFrame] = []
        for p in received { frames += receiver.receive(p, arrival: 0) }
        frames += receiver.flush()
        #expect(frames.count == 287)
    }

    @Test func udpListenerDropsMalformedDatagrams() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let collected = Collected()
        let server = try await RTPListener.bindUDP(group: group, host: "127.0.0.1", port: 0) { packet, _ in collected.append(packet) }
        let address = try #require(server.localAddress)
        let client = try await DatagramBootstrap(group: group).bind(host: "127.0.0.1", port: 0).get()
        let packets = Array(try Self.pcapPackets().prefix(50))
        for (i, p) in packets.enumerated() {
            try await client.writeAndFlush(AddressedEnvelope(remoteAddress: address, data: ByteBuffer(bytes: p)))
            if i % 10 == 0 {
                // Version 1: dropped.
                try await client.writeAndFlush(AddressedEnvelope(remoteAddress: address, data: ByteBuffer(bytes: [0x40] + p.dropFirst())))
            }
        }
        try await Self.waitFor(packets.count, in: collected)
        try await client.close()
        try await server.close()
        try await group.shutdownGracefully()
        #expect(collected.all.count == packets.count)
        #expect(collected.all.allSatisfy { $0.ssrc == 100_000_001 })
    }
}
