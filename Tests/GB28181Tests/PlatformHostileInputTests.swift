import Foundation
import GB28181
import NIOCore
import NIOPosix
import SIP
import Testing

/// Bad input at the platform: each gets a log line and a 4xx or nothing, never a crash, and the service
/// keeps working for everyone else.
@Suite("Platform hostile input")
struct PlatformHostileInputTests {
    /// Sends raw datagrams from a throw-away socket.
    static func sendRaw(_ datagrams: [[UInt8]], to address: SocketAddress) async throws {
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        for bytes in datagrams {
            try await channel.writeAndFlush(AddressedEnvelope(remoteAddress: address, data: ByteBuffer(bytes: bytes)))
        }
        try await channel.close()
    }

    @Test("garbage datagrams and a 64 KB header are dropped; registration still works")
    func garbageAndHugeHeader() async throws {
        let (service, _) = try await PlatformFixture.start()
        var generator = SystemRandomNumberGenerator()
        let garbage = (0..<20).map { _ in (0..<Int.random(in: 1...1400, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) } }
        let hugeHeader = "REGISTER sip:34020000002000000001@3402000000 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKx\r\n"
            + "X-Filler: " + String(repeating: "A", count: 64 * 1024) + "\r\n\r\n"
        try await Self.sendRaw(garbage + [Array(hugeHeader.utf8.prefix(65_000)), Array("\r\n\r\n".utf8)], to: service.localAddress)
        let device = try await PlatformFixture.device(service: service)
        #expect(try await device.register().statusCode == 200)
        await device.stop()
        await service.stop()
    }

    @Test("MANSCDP bodies that are bombs, too deep, binary or of unknown root get 400/415 and a count",
          arguments: [
              (Array(HostileBodies.billionLaughs.utf8), 400),
              (Array(HostileBodies.deeplyNested(depth: 5000).utf8), 400),
              ([0xFF, 0xFE, 0x00, 0x81, 0x30, 0xFF, 0x00, 0x00] + Array(repeating: UInt8(0x90), count: 300), 400),
              (Array("<?xml version=\"1.0\"?><Bogus><CmdType>Keepalive</CmdType></Bogus>".utf8), 415),
          ])
    func hostileBodies(body: [UInt8], status: Int) async throws {
        let (service, _) = try await PlatformFixture.start()
        let device = try await PlatformFixture.device(service: service)
        #expect(try await device.register().statusCode == 200)
        #expect(try await device.sendBody(body).statusCode == status)
        #expect(await service.counters.badBodies == 1)
        #expect(try await device.sendKeepalive().statusCode == 200)
        await device.stop()
        await service.stop()
    }

    @Test("a keepalive whose GB18030 body is declared UTF-8 is still understood")
    func lyingCharsetKeepalive() async throws {
        let (service, sink) = try await PlatformFixture.start()
        let device = try await PlatformFixture.device(service: service)
        #expect(try await device.register().statusCode == 200)
        let text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<Notify>\r\n<CmdType>Keepalive</CmdType>\r\n<SN>9</SN>\r\n"
            + "<DeviceID>\(PlatformFixture.ipc)</DeviceID>\r\n<Status>OK</Status>\r\n<Info><DeviceID>大门</DeviceID></Info>\r\n</Notify>\r\n"
        #expect(try await device.sendBody(OutgoingCharset.gb18030.encode(text)).statusCode == 200)
        #expect(await eventually { await sink.keepalives.first?.faultyDeviceIDs == ["大门"] })
        await device.stop()
        await service.stop()
    }
}
