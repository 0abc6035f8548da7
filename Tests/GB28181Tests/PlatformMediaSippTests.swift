import Foundation
import GB28181
import NIOCore
import NIOPosix
import SIP
import Testing

/// Counts RTP datagrams on a loopback UDP port (what the device was told to send to in our offer).
final class RTPCounter: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    private let lock = NSLock()
    private var packets = 0
    private var ssrcs: Set<UInt32> = []

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let buffer = envelope.data
        // RTP version 2, at least a 12-byte header.
        guard buffer.readableBytes >= 12, let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self), first >> 6 == 2,
              let ssrc = buffer.getInteger(at: buffer.readerIndex + 8, as: UInt32.self) else { return }
        lock.withLock {
            packets += 1
            ssrcs.insert(ssrc)
        }
    }

    var count: Int { lock.withLock { packets } }
    var seenSSRCs: Set<UInt32> { lock.withLock { ssrcs } }
}

/// The real SIPp camera (gb_device_register.xml + gb_device_ooc_media.xml) on 127.0.0.1: it registers, we
/// INVITE a channel with a UDP offer, it answers 200 with y= echoed, we ACK, it replays the PS/RTP pcap to the
/// offered port, we count the packets and BYE. sipp is required (scripts/test installs `sip-tester`).
@Suite("Platform media against sipp", .serialized, .timeLimit(.minutes(2)))
struct PlatformMediaSippTests {
    static let pcap = "\(PlatformSippTests.scenarios)/pcap/ps_h264_1080p25_ssrc100000001.pcap"

    @Test("gb_device_ooc_media.xml: INVITE → 200 + ACK, PS/RTP arrives at the offered UDP port, BYE → 200")
    func sippCameraMedia() async throws {
        guard FileManager.default.isExecutableFile(atPath: PlatformSippTests.sipp) else {
            Issue.record("sipp is missing at \(PlatformSippTests.sipp): install it with `apt-get install -y sip-tester`")
            return
        }
        let (service, sink) = try await PlatformFixture.start(PlatformFixture.configuration())
        let counter = RTPCounter()
        let receiver = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(ChannelOptions.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 65_536))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(counter) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let mediaPort = try #require(receiver.localAddress?.port)
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("gbp-sipp-media-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let port = try await PlatformSippTests.freePort()
        // sipp binds its media ports from -mp upwards: keep them apart from the signalling port.
        let sippMedia = try await PlatformSippTests.freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: PlatformSippTests.sipp)
        process.currentDirectoryURL = work
        // 40 keepalives every 250 ms keep the main call (and so the out-of-call INVITE) alive for 10 s.
        process.arguments = [
            "127.0.0.1:\(service.localAddress.port ?? 0)", "-t", "u1",
            "-sf", "\(PlatformSippTests.scenarios)/gb_device_register.xml",
            "-oocsf", "\(PlatformSippTests.scenarios)/gb_device_ooc_media.xml", "-key", "pcap", Self.pcap,
            "-i", "127.0.0.1", "-p", String(port), "-mi", "127.0.0.1", "-mp", String(sippMedia),
            "-inf", "\(PlatformSippTests.scenarios)/devices.csv", "-key", "platform_id", PlatformFixture.platformID,
            "-key", "domain", "3402000000", "-key", "expires", "3600", "-key", "ka_ms", "250", "-key", "ka_count", "40",
            "-m", "1", "-nostdin", "-timeout", "30s",
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        defer {
            if process.isRunning { process.terminate() }
            try? FileManager.default.removeItem(at: work)
        }

        let device = PlatformFixture.ipc
        guard await eventually(timeout: .seconds(10), { await service.device(device)?.online == true }) else {
            process.terminate()
            process.waitUntilExit()
            let log = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            Issue.record("sipp did not register: \(log.suffix(1500))")
            try await receiver.close()
            await service.stop()
            return
        }
        let ssrc = try GBSSRC(kind: .live, domainDigits: "20000", sequence: 1)
        let offer = MediaOffer(ssrc: ssrc, receiveAddress: "127.0.0.1", receivePort: mediaPort, answerTimeout: .seconds(10))
        let session = try await service.invite(deviceID: device, channelID: "34020000001310000001", offer: offer)
        #expect(session.answeredSSRC == "0200000001")  // sipp echoes y=
        #expect(session.ssrc == 200_000_001)
        #expect(session.deviceMedia == MediaEndpoint(host: "127.0.0.1", port: sippMedia))
        #expect(session.format?.encoding == "PS")

        // The pcap replay only starts once sipp got our ACK: packets arriving prove the ACK was matched.
        #expect(await eventually(timeout: .seconds(10)) { counter.count >= 50 }, "RTP packets received: \(counter.count)")
        // 🔧 sipp replays the pcap's own SSRC (100000001), not our y=, like devices that ignore y=.
        #expect(counter.seenSSRCs.contains(100_000_001))

        try await service.bye(session.id)  // throws unless sipp answered 2xx
        #expect(await eventually { await sink.mediaEnded.map(\.reason) == [.localBye] })

        let finished = await eventually(timeout: .seconds(25)) { !process.isRunning }
        if !finished { process.terminate() }
        let log = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(finished && process.terminationStatus == 0, "sipp failed (\(process.terminationStatus)): \(log.suffix(1500))")
        try await receiver.close()
        await service.stop()
    }
}
