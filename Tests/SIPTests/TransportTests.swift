import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import SIP

@Suite("UDP + TCP transport on 127.0.0.1", .serialized, .timeLimit(.minutes(1)))
struct TransportTests {
    private func withTransport(_ body: (SIPTransport, Inbox<SIPInboundMessage>) async throws -> Void) async throws {
        let transport = try await SIPTransport.bind(host: "127.0.0.1", port: 0)
        let inbox = Inbox<SIPInboundMessage>()
        let consumer = inbox.consume(transport.inbound)
        do {
            try await body(transport, inbox)
        } catch {
            await transport.close()
            throw error
        }
        await transport.close()
        consumer.cancel()
    }

    @Test("UDP and TCP share one port; received/rport record the real source")
    func sharedPortAndReceived() async throws {
        try await withTransport { transport, inbox in
            let port = try #require(transport.localAddress.port)
            #expect(port > 0)
            let udp = try await RawUDPPeer.bind()
            try await udp.send(TestRequests.register(), to: transport.localAddress)
            let first = try #require(await inbox.next())
            #expect(first.transport == .udp)
            #expect(first.source.port == udp.port)
            let via = try #require(try first.request?.headers.topVia())
            #expect(via.received == "127.0.0.1" && via.rport == udp.port)
            #expect(via.host == "10.9.9.9" && via.port == 5999)

            // The response goes to received:rport, not to the Via's 10.9.9.9:5999 or the Contact.
            let request = try #require(first.request)
            try await transport.sendResponse(SIPResponse(replyingTo: request, statusCode: 200), for: first)
            let answer = try #require(try await udp.nextMessage()?.response)
            #expect(answer.statusCode == 200)
            #expect(try answer.headers.topVia().received == "127.0.0.1")

            let tcp = try await RawTCPPeer.connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: port))
            try await tcp.write(TestRequests.register(transport: "TCP"))
            let second = try #require(await inbox.next())
            #expect(second.transport == .tcp)
            #expect(second.source.port == tcp.address.port)
            try await transport.sendResponse(SIPResponse(replyingTo: try #require(second.request), statusCode: 401), for: second)
            #expect(try await tcp.nextMessage()?.response?.statusCode == 401)
            await udp.close()
            await tcp.close()
        }
    }

    @Test("TCP: merged and split messages, keepalive CRLFs, then requests go down the device's connection")
    func tcpFramingAndReuse() async throws {
        try await withTransport { transport, inbox in
            let tcp = try await RawTCPPeer.connect(to: transport.localAddress)
            try await tcp.write(TestRequests.message(transport: "TCP") + "\r\n\r\n" + TestRequests.message(transport: "TCP"))
            let third = TestRequests.register(transport: "TCP")
            let bytes = Array(third.utf8)
            for range in [0..<7, 7..<100, 100..<bytes.count] {
                try await tcp.write(String(decoding: bytes[range], as: UTF8.self))
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(await inbox.waitFor(count: 3))
            let methods = await inbox.all.map { $0.request?.method }
            #expect(methods == [.message, .message, .register])

            // The platform now queries the device: it must use the device's own connection.
            let deviceAddress = try #require(await inbox.all.last?.source)
            #expect(await transport.hasConnection(to: deviceAddress))
            var query = SIPRequest(method: .message, uri: SIPURI(user: "34020000001320000001", host: "192.168.1.64", port: 5060))
            query.headers.add("Via", Via(transport: "TCP", host: "127.0.0.1", port: transport.localAddress.port, branch: SIPIdentifiers.branch()).description)
            query.headers.add("From", "<sip:34020000002000000001@3402000000>;tag=1")
            query.headers.add("To", "<sip:34020000001320000001@3402000000>")
            query.headers.add("Call-ID", "q1")
            query.headers.add("CSeq", "1 MESSAGE")
            query.body = ByteBuffer(string: "<Query/>")
            try await transport.send(.request(query), to: deviceAddress, transport: .tcp)
            let received = try #require(try await tcp.nextMessage()?.request)
            #expect(received.headers.callID == "q1" && received.bodyText == "<Query/>")
            await tcp.close()
        }
    }

    @Test("oversize TCP header section closes the connection")
    func tcpOversizeCloses() async throws {
        try await withTransport { transport, _ in
            let tcp = try await RawTCPPeer.connect(to: transport.localAddress)
            try await tcp.write("OPTIONS sip:a@b SIP/2.0\r\n" + String(repeating: "X-Filler: 0123456789abcdef\r\n", count: 3000))
            try await tcp.channel.closeFuture.get()
            #expect(!tcp.channel.isActive)
        }
    }

    @Test("garbage datagrams are dropped; a broken request that can be answered gets 400")
    func garbageAndBadRequests() async throws {
        try await withTransport { transport, inbox in
            let udp = try await RawUDPPeer.bind()
            try await udp.send("\u{01}\u{02} not SIP at all", to: transport.localAddress)
            try await udp.send("\r\n\r\n", to: transport.localAddress)
            let mismatched = TestRequests.register().replacingOccurrences(of: "CSeq: 1 REGISTER", with: "CSeq: 1 INVITE")
            try await udp.send(mismatched, to: transport.localAddress)
            let answer = try #require(try await udp.nextMessage()?.response)
            #expect(answer.statusCode == 400)
            #expect(answer.headers["Warning"]?.contains("does not match") == true)
            try await udp.send(TestRequests.register(), to: transport.localAddress)
            #expect(await inbox.next()?.request?.method == .register)
            #expect(await inbox.count == 1)
            await udp.close()
        }
    }

    @Test("a 60 KiB MESSAGE fits in one UDP datagram")
    func bigDatagram() async throws {
        try await withTransport { transport, inbox in
            let udp = try await RawUDPPeer.bind()
            let body = String(repeating: "<Item>34020000001310000001</Item>\r\n", count: 1700)
            try await udp.send(TestRequests.message(body: body), to: transport.localAddress)
            let message = try #require(await inbox.next())
            #expect(message.request?.body.readableBytes == body.utf8.count)
            await udp.close()
        }
    }
}
