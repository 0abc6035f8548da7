import Foundation
import NIOCore
import NIOPosix

@testable import SIP

/// Collects values from event-loop callbacks in arrival order and lets a test wait for them.
actor Inbox<Element: Sendable> {
    private var items: [Element] = []
    private var taken = 0

    func append(_ item: Element) { items.append(item) }

    var count: Int { items.count }
    var all: [Element] { items }

    /// The next element not yet taken, waiting up to `timeout`.
    func next(timeout: Duration = .seconds(3)) async -> Element? {
        let deadline = ContinuousClock.now + timeout
        while taken >= items.count {
            if ContinuousClock.now > deadline { return nil }
            try? await Task.sleep(for: .milliseconds(5))
        }
        taken += 1
        return items[taken - 1]
    }

    /// Waits until at least `count` elements arrived.
    func waitFor(count: Int, timeout: Duration = .seconds(3)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while items.count < count {
            if ContinuousClock.now > deadline { return false }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return true
    }

    /// Feeds the inbox from a stream, in order.
    nonisolated func consume<S: AsyncSequence & Sendable>(_ stream: S) -> Task<Void, Never> where S.Element == Element {
        Task {
            do {
                for try await item in stream { await self.append(item) }
            } catch {}
        }
    }
}

/// Passes received bytes to an AsyncStream (ordered) from a raw peer's pipeline.
final class ForwardingHandler<In: Sendable>: ChannelInboundHandler, Sendable {
    typealias InboundIn = In
    let continuation: AsyncStream<In>.Continuation
    init(_ continuation: AsyncStream<In>.Continuation) { self.continuation = continuation }
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        continuation.yield(unwrapInboundIn(data))
    }
}

/// A bare UDP socket playing a device: sends text as-is and records what it gets.
struct RawUDPPeer {
    let channel: Channel
    let inbox = Inbox<AddressedEnvelope<ByteBuffer>>()
    var address: SocketAddress { channel.localAddress! }
    var port: Int { address.port! }

    static func bind() async throws -> RawUDPPeer {
        let (stream, continuation) = AsyncStream.makeStream(of: AddressedEnvelope<ByteBuffer>.self)
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(ChannelOptions.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 65_536))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ForwardingHandler<AddressedEnvelope<ByteBuffer>>(continuation))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let peer = RawUDPPeer(channel: channel)
        _ = peer.inbox.consume(stream)
        return peer
    }

    func send(_ text: String, to address: SocketAddress) async throws {
        try await channel.writeAndFlush(AddressedEnvelope(remoteAddress: address, data: ByteBuffer(string: text)))
    }

    func nextMessage(timeout: Duration = .seconds(3)) async throws -> SIPMessage? {
        guard let envelope = await inbox.next(timeout: timeout) else { return nil }
        return try SIPMessageParser().parse(datagram: envelope.data)
    }

    func close() async { try? await channel.close() }
}

/// A bare TCP client playing a device behind NAT: one connection, raw writes, framed reads.
struct RawTCPPeer {
    let channel: Channel
    let inbox = Inbox<ByteBuffer>()

    static func connect(to address: SocketAddress) async throws -> RawTCPPeer {
        let (stream, continuation) = AsyncStream.makeStream(of: ByteBuffer.self)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ForwardingHandler<ByteBuffer>(continuation))
                }
            }
            .connect(to: address).get()
        let peer = RawTCPPeer(channel: channel)
        _ = peer.inbox.consume(stream)
        return peer
    }

    var address: SocketAddress { channel.localAddress! }

    func write(_ text: String) async throws {
        try await channel.writeAndFlush(ByteBuffer(string: text))
    }

    /// Reads until one whole SIP message has arrived.
    func nextMessage(timeout: Duration = .seconds(3)) async throws -> SIPMessage? {
        var framer = SIPStreamFramer()
        var buffer = ByteBuffer()
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let message = try framer.next(from: &buffer) { return message }
            guard var chunk = await inbox.next(timeout: deadline - ContinuousClock.now) else { return nil }
            buffer.writeBuffer(&chunk)
        }
        return nil
    }

    func close() async { try? await channel.close() }
}

enum TestRequests {
    /// A REGISTER whose Via claims `viaHost:viaPort` (a device behind NAT lies about its address).
    static func register(branch: String = SIPIdentifiers.branch(), transport: String = "UDP", viaHost: String = "10.9.9.9",
                         viaPort: Int = 5999, callID: String = SIPIdentifiers.callID(), cseq: Int = 1) -> String {
        SpecWire.crlf("""
            REGISTER sip:34020000002000000001@3402000000 SIP/2.0
            Via: SIP/2.0/\(transport) \(viaHost):\(viaPort);rport;branch=\(branch)
            From: <sip:34020000001320000001@3402000000>;tag=2043466181
            To: <sip:34020000001320000001@3402000000>
            Call-ID: \(callID)
            CSeq: \(cseq) REGISTER
            Contact: <sip:34020000001320000001@\(viaHost):\(viaPort)>
            Max-Forwards: 70
            Expires: 3600
            Content-Length: 0


            """)
    }

    static func message(branch: String = SIPIdentifiers.branch(), transport: String = "UDP", body: String = "<Notify/>") -> String {
        SpecWire.crlf("""
            MESSAGE sip:34020000002000000001@3402000000 SIP/2.0
            Via: SIP/2.0/\(transport) 192.168.1.64:5060;rport;branch=\(branch)
            From: <sip:34020000001320000001@3402000000>;tag=1458929012
            To: <sip:34020000002000000001@3402000000>
            Call-ID: \(SIPIdentifiers.callID())
            CSeq: 20 MESSAGE
            Content-Type: Application/MANSCDP+xml
            Max-Forwards: 70
            Content-Length: \(body.utf8.count)

            \(body)
            """)
    }
}

/// A transaction layer on a loopback transport and a raw UDP peer facing it, both closed after `body`
/// whether it throws or not.
func withSIPLayer(
    timers: SIPTimerConfiguration,
    handler: @escaping @Sendable (SIPServerTransaction) async -> Void = { _ in },
    _ body: (SIPTransactionLayer, RawUDPPeer) async throws -> Void
) async throws {
    let transport = try await SIPTransport.bind(host: "127.0.0.1", port: 0)
    let layer = SIPTransactionLayer(transport: transport, timers: timers)
    await layer.start(handler: handler)
    let peer = try await RawUDPPeer.bind()
    do {
        try await body(layer, peer)
    } catch {
        await layer.stop()
        await transport.close()
        await peer.close()
        throw error
    }
    await layer.stop()
    await transport.close()
    await peer.close()
}
