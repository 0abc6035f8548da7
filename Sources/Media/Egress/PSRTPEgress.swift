import NIOCore
import NIOPosix
import Synchronization

/// Errors of an egress, with what a person can do about them.
public enum EgressError: Error, Sendable, CustomStringConvertible {
    case connectFailed(address: String, reason: String)
    case noConnection(port: Int, after: Duration)
    case bindFailed(reason: String)

    public var description: String {
        switch self {
        case let .connectFailed(address, reason):
            "could not connect to \(address) for RTP over TCP (\(reason)); check that the receiver listens there and a firewall lets it through"
        case let .noConnection(port, after):
            "the receiver did not connect to our RTP port \(port) within \(after) (a=setup:active); check it can reach this address"
        case let .bindFailed(reason):
            "could not open a socket to send RTP (\(reason))"
        }
    }
}

/// One stream sent out as PS over RTP to one receiver (an upper platform's media server): over UDP, over a
/// TCP connection we open (`a=setup:passive` in its offer), or over one it opens to us (`a=setup:active`).
///
/// `send` is called by one consumer at a time (a relay leg's task); frames are muxed and packetised there
/// and handed to the channel's event loop in one hop per frame. A receiver that cannot keep up over TCP
/// (the channel stops being writable) loses frames up to the next keyframe rather than growing memory.
public final class PSRTPEgress: Sendable {
    public enum Target: Sendable, Equatable {
        case udp(host: String, port: Int)
        case tcpConnect(host: String, port: Int)
        /// Listen on `bindHost`, on a port the system picks (it goes into the SDP answer).
        case tcpListen(bindHost: String)
    }

    public struct Statistics: Sendable, Equatable {
        public var frames = 0
        public var packets = 0
        public var bytes = 0
        /// Frames not sent because the TCP receiver was not reading (skipped to the next keyframe).
        public var droppedFrames = 0

        public init() {}
    }

    private struct State {
        var framer: PSRTPFramer
        var scratch = ByteBuffer()
        var skippingToKeyframe = false
        var statistics = Statistics()
        var channel: (any Channel)?
    }

    public let target: Target
    /// The TCP port the receiver connects to (`.tcpListen`), nil otherwise.
    public let listenPort: Int?
    private let state: Mutex<State>
    private let listener: (any Channel)?
    private let accepted: EventLoopFuture<any Channel>?
    private let destination: SocketAddress?

    private init(target: Target, framer: PSRTPFramer, channel: (any Channel)?, listener: (any Channel)?,
                 accepted: EventLoopFuture<any Channel>?, destination: SocketAddress?) {
        self.target = target
        self.state = Mutex(State(framer: framer, channel: channel))
        self.listener = listener
        self.accepted = accepted
        self.destination = destination
        listenPort = listener?.localAddress?.port
    }

    /// Opens the socket (UDP), the connection (TCP connect) or the listener (TCP listen).
    public static func open(_ target: Target, ssrc: UInt32, bindHost: String = "0.0.0.0",
                            group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> PSRTPEgress {
        let eventLoop = group.next()
        switch target {
        case let .udp(host, port):
            let address: SocketAddress
            do { address = try SocketAddress(ipAddress: host, port: port) } catch {
                throw EgressError.connectFailed(address: "\(host):\(port)", reason: "not an IP address")
            }
            let channel: any Channel
            do {
                channel = try await DatagramBootstrap(group: eventLoop)
                    .channelOption(.socketOption(.so_sndbuf), value: 1 << 20)
                    .bind(host: bindHost, port: 0).get()
            } catch { throw EgressError.bindFailed(reason: "\(error)") }
            return PSRTPEgress(target: target, framer: PSRTPFramer(ssrc: ssrc, framing: .datagram), channel: channel,
                               listener: nil, accepted: nil, destination: address)
        case let .tcpConnect(host, port):
            let channel: any Channel
            do {
                channel = try await ClientBootstrap(group: eventLoop)
                    .connectTimeout(.seconds(5))
                    .channelOption(.socketOption(.tcp_nodelay), value: 1)
                    .connect(host: host, port: port).get()
            } catch { throw EgressError.connectFailed(address: "\(host):\(port)", reason: "\(error)") }
            return PSRTPEgress(target: target, framer: PSRTPFramer(ssrc: ssrc, framing: .rfc4571), channel: channel,
                               listener: nil, accepted: nil, destination: nil)
        case let .tcpListen(host):
            let promise = eventLoop.makePromise(of: (any Channel).self)
            let listener: any Channel
            do {
                listener = try await ServerBootstrap(group: eventLoop)
                    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                    .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                    .childChannelInitializer { channel in
                        // The first connection is the receiver; a second one is someone else.
                        promise.succeed(channel)
                        return channel.eventLoop.makeSucceededVoidFuture()
                    }
                    .bind(host: host, port: 0).get()
            } catch { throw EgressError.bindFailed(reason: "\(error)") }
            return PSRTPEgress(target: target, framer: PSRTPFramer(ssrc: ssrc, framing: .rfc4571), channel: nil,
                               listener: listener, accepted: promise.futureResult, destination: nil)
        }
    }

    /// For `.tcpListen`: waits until the receiver connected (then stops listening). Returns at once otherwise.
    public func waitForReceiver(timeout: Duration = .seconds(10)) async throws {
        guard let accepted, let listener else { return }
        let channel: any Channel
        do {
            channel = try await withThrowingTaskGroup(of: (any Channel).self) { group in
                group.addTask { try await accepted.get() }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    throw EgressError.noConnection(port: self.listenPort ?? 0, after: timeout)
                }
                defer { group.cancelAll() }
                guard let first = try await group.next() else { throw EgressError.noConnection(port: self.listenPort ?? 0, after: timeout) }
                return first
            }
        } catch {
            try? await listener.close()
            throw error
        }
        state.withLock { $0.channel = channel }
        try? await listener.close()
    }

    /// Sends one frame. Only one task calls this at a time.
    public func send(_ frame: MediaFrame) {
        var units: [ByteBuffer] = []
        let destination = self.destination
        let channel: (any Channel)? = state.withLock { s in
            guard let channel = s.channel else { return nil }
            if destination == nil, !channel.isWritable {
                s.skippingToKeyframe = true
            }
            if s.skippingToKeyframe {
                guard frame.isVideo && frame.isKeyframe, channel.isWritable else {
                    s.statistics.droppedFrames += 1
                    return nil
                }
                s.skippingToKeyframe = false
            }
            var scratch = s.scratch
            s.framer.encode(frame, scratch: &scratch, allocator: channel.allocator) { units.append($0) }
            s.scratch = scratch
            s.statistics.frames += 1
            s.statistics.packets += units.count
            s.statistics.bytes += units.reduce(0) { $0 + $1.readableBytes }
            return channel
        }
        guard let channel, !units.isEmpty else { return }
        let ready = units
        channel.eventLoop.execute {
            for unit in ready {
                if let destination {
                    channel.write(AddressedEnvelope(remoteAddress: destination, data: unit), promise: nil)
                } else {
                    channel.write(unit, promise: nil)
                }
            }
            channel.flush()
        }
    }

    public var statistics: Statistics { state.withLock { $0.statistics } }

    /// True when a TCP receiver closed its connection (the stream has nowhere to go).
    public var receiverClosed: Bool {
        guard destination == nil, let channel = state.withLock({ $0.channel }) else { return false }
        return !channel.isActive
    }

    public func close() async {
        let channel = state.withLock { s in
            defer { s.channel = nil }
            return s.channel
        }
        try? await channel?.close()
        try? await listener?.close()
    }
}
