import NIOCore
import NIOPosix

/// Sends a `PSReplayProgram` as GB/T 28181 PS over RTP (spec §6.1: one PS pack per frame, 1400-byte
/// chunks, marker on the last), to many targets at once, as a stand-in for cameras in tests and
/// benchmarks. Loopback only is the caller's promise; nothing here resolves names.
///
/// Frame k of target i leaves at `start + offset(i) + k · frameDuration / speed` with PTS
/// `90000 + k · frameDuration`, so a receiver can compute a frame's send time from its PTS alone.
/// Each target has its own socket (a camera has its own address); targets are spread over the group's
/// event loops, each loop sending its targets from one repeating tick and owning their state.
public final class RTPReplaySender: Sendable {
    public enum Transport: Sendable { case udp, tcp }

    public struct Target: Sendable {
        public var ssrc: UInt32
        public var host: String
        public var port: Int
        /// Added to the start time, to stagger many streams.
        public var offset: Duration

        public init(ssrc: UInt32, host: String = "127.0.0.1", port: Int, offset: Duration = .zero) {
            self.ssrc = ssrc
            self.host = host
            self.port = port
            self.offset = offset
        }
    }

    public struct Statistics: Sendable {
        public var frames = 0
        public var packets = 0
        public var bytes = 0
        /// How far behind schedule the sender fell at worst (it is then the bottleneck, not the receiver).
        public var maxLag: Duration = .zero
    }

    public let start: NIODeadline
    private let loops: [Loop]

    private init(start: NIODeadline, loops: [Loop]) {
        self.start = start
        self.loops = loops
    }

    /// Opens one socket per target and starts sending at `start`. `speed` 1 is real time; `frames`
    /// limits each target to that many frames (nil: until `stop`).
    /// `recordSendTimes`: keep each frame's send time (`sendTimes()`), to measure latency from the
    /// actual send rather than the schedule when the sender itself falls behind.
    public static func start(program: PSReplayProgram, targets: [Target], transport: Transport = .udp,
                             speed: Double = 1, frames: Int? = nil, start: NIODeadline = .now(),
                             recordSendTimes: Bool = false, group: any EventLoopGroup) async throws -> RTPReplaySender {
        let eventLoops = Array(group.makeIterator())
        var perLoop = [[(index: Int, target: Target)]](repeating: [], count: eventLoops.count)
        for (i, target) in targets.enumerated() { perLoop[i % eventLoops.count].append((i, target)) }
        var loops: [Loop] = []
        for (i, eventLoop) in eventLoops.enumerated() where !perLoop[i].isEmpty {
            var senders: [TargetSender] = []
            for (index, target) in perLoop[i] {
                let channel = try await connect(target, transport: transport, on: eventLoop)
                senders.append(TargetSender(index: index, target: target, channel: channel, transport: transport,
                                            recordSendTimes: recordSendTimes))
            }
            loops.append(try await Loop.start(eventLoop: eventLoop, senders: senders, program: program,
                                              speed: speed, limit: frames, start: start))
        }
        return RTPReplaySender(start: start, loops: loops)
    }

    /// Sends over a TCP connection the receiver opened to us: a device that answered `a=setup:passive`
    /// (spec §5.5, the platform connects), RFC 4571 framing. `stop` closes the connection.
    public static func start(program: PSReplayProgram, acceptedConnection channel: any Channel, ssrc: UInt32,
                             speed: Double = 1, frames: Int? = nil, start: NIODeadline = .now()) async throws -> RTPReplaySender {
        let peer = channel.remoteAddress
        let target = Target(ssrc: ssrc, host: peer?.ipAddress ?? "", port: peer?.port ?? 0)
        let sender = TargetSender(index: 0, target: target, channel: channel, transport: .tcp, recordSendTimes: false)
        let loop = try await Loop.start(eventLoop: channel.eventLoop, senders: [sender], program: program,
                                        speed: speed, limit: frames, start: start)
        return RTPReplaySender(start: start, loops: [loop])
    }

    private static func connect(_ target: Target, transport: Transport, on eventLoop: any EventLoop) async throws -> any Channel {
        switch transport {
        case .udp:
            return try await DatagramBootstrap(group: eventLoop)
                .channelOption(.socketOption(.so_sndbuf), value: 1 << 20)
                .bind(host: "127.0.0.1", port: 0).get()
        case .tcp:
            return try await ClientBootstrap(group: eventLoop)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connect(host: target.host, port: target.port).get()
        }
    }

    /// True when every target sent its `frames`.
    public var isFinished: Bool {
        get async { await loops.asyncAllSatisfy { await $0.isFinished } }
    }

    public var statistics: Statistics {
        get async {
            var total = Statistics()
            for loop in loops {
                let s = await loop.statistics
                total.frames += s.frames
                total.packets += s.packets
                total.bytes += s.bytes
                total.maxLag = max(total.maxLag, s.maxLag)
            }
            return total
        }
    }

    /// Per target (in the order given), the uptime in ns at which each frame was handed to the socket.
    public func sendTimes() async -> [[UInt64]] {
        var all: [(Int, [UInt64])] = []
        for loop in loops { all += await loop.sendTimes }
        return all.sorted { $0.0 < $1.0 }.map(\.1)
    }

    public func stop() async {
        for loop in loops { await loop.stop() }
    }

    /// Send time of frame `index` of target `offset`, by the schedule (for latency measurements).
    public static func sendTime(start: NIODeadline, offset: Duration, frameIndex: Int, program: PSReplayProgram,
                                speed: Double = 1) -> NIODeadline {
        let ns = Double(frameIndex) * Double(program.frameDuration) / 90_000 * 1e9 / speed
        return start + TimeAmount(offset) + .nanoseconds(Int64(ns))
    }
}

extension Array where Element: Sendable {
    func asyncAllSatisfy(_ predicate: (Element) async -> Bool) async -> Bool {
        for element in self where !(await predicate(element)) { return false }
        return true
    }
}
