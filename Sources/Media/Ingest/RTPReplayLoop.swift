import NIOCore

extension RTPReplaySender {
    /// One target's socket and its PS/RTP state.
    struct TargetSender {
        let index: Int
        let target: Target
        let recordSendTimes: Bool
        var sentAt: [UInt64] = []
        let channel: any Channel
        let transport: Transport
        let address: SocketAddress?
        var framer: PSRTPFramer
        var next = 0
        var done = false

        init(index: Int, target: Target, channel: any Channel, transport: Transport, recordSendTimes: Bool) {
            self.index = index
            self.target = target
            self.recordSendTimes = recordSendTimes
            self.channel = channel
            self.transport = transport
            address = try? SocketAddress(ipAddress: target.host, port: target.port)
            framer = PSRTPFramer(ssrc: target.ssrc, framing: transport == .udp ? .datagram : .rfc4571)
        }
    }

    /// The targets of one event loop; all state is owned by that loop.
    final class Loop: Sendable {
        private final class State {
            var senders: [TargetSender]
            var statistics = Statistics()
            var task: RepeatedTask?
            var scratch = ByteBuffer()

            init(senders: [TargetSender]) { self.senders = senders }
        }

        let eventLoop: any EventLoop
        private let state: NIOLoopBound<State>

        private init(eventLoop: any EventLoop, state: State) {
            self.eventLoop = eventLoop
            self.state = NIOLoopBound(state, eventLoop: eventLoop)
        }

        /// A catching-up target sends at most this many frames per tick, so a stall is not followed by a
        /// burst that overflows socket buffers.
        static let maxFramesPerTick = 4
        static let tick = TimeAmount.milliseconds(2)

        static func start(eventLoop: any EventLoop, senders: [TargetSender], program: PSReplayProgram, speed: Double,
                          limit: Int?, start: NIODeadline) async throws -> Loop {
            try await eventLoop.submit {
                let state = State(senders: senders)
                let loop = Loop(eventLoop: eventLoop, state: state)
                let bound = NIOLoopBound(state, eventLoop: eventLoop)
                state.task = eventLoop.scheduleRepeatedTask(initialDelay: .zero, delay: tick) { _ in
                    Self.send(bound.value, program: program, speed: speed, limit: limit, start: start)
                }
                return loop
            }.get()
        }

        private static func send(_ s: State, program: PSReplayProgram, speed: Double, limit: Int?, start: NIODeadline) {
            let now = NIODeadline.now()
            for i in s.senders.indices where !s.senders[i].done {
                var sent = 0
                while sent < maxFramesPerTick {
                    let index = s.senders[i].next
                    let due = RTPReplaySender.sendTime(start: start, offset: s.senders[i].target.offset, frameIndex: index,
                                                       program: program, speed: speed)
                    guard due <= now else { break }
                    let lag = Duration.nanoseconds((now - due).nanoseconds)
                    if lag > s.statistics.maxLag { s.statistics.maxLag = lag }
                    sendFrame(program.frame(index), via: &s.senders[i], scratch: &s.scratch, statistics: &s.statistics)
                    s.senders[i].next += 1
                    sent += 1
                    if let limit, s.senders[i].next >= limit {
                        s.senders[i].done = true
                        break
                    }
                }
                guard sent > 0 else { continue }
                if s.senders[i].recordSendTimes {
                    // Just before the flush hands the packets to the kernel (loopback delivers inside it).
                    s.senders[i].sentAt.append(contentsOf: repeatElement(NIODeadline.now().uptimeNanoseconds, count: sent))
                }
                s.senders[i].channel.flush()
            }
        }

        private static func sendFrame(_ frame: MediaFrame, via sender: inout TargetSender, scratch: inout ByteBuffer,
                                      statistics: inout Statistics) {
            let channel = sender.channel, address = sender.address, udp = sender.transport == .udp
            sender.framer.encode(frame, scratch: &scratch, allocator: channel.allocator) { out in
                if udp {
                    guard let address else { return }
                    channel.write(AddressedEnvelope(remoteAddress: address, data: out), promise: nil)
                } else {
                    channel.write(out, promise: nil)
                }
                statistics.packets += 1
                statistics.bytes += out.readableBytes
            }
            statistics.frames += 1
        }

        var isFinished: Bool {
            get async { (try? await eventLoop.submit { self.state.value.senders.allSatisfy(\.done) }.get()) ?? true }
        }

        var statistics: Statistics {
            get async { (try? await eventLoop.submit { self.state.value.statistics }.get()) ?? Statistics() }
        }

        var sendTimes: [(Int, [UInt64])] {
            get async { (try? await eventLoop.submit { self.state.value.senders.map { ($0.index, $0.sentAt) } }.get()) ?? [] }
        }

        func stop() async {
            let channels: [any Channel] = (try? await eventLoop.submit {
                let s = self.state.value
                s.task?.cancel()
                s.task = nil
                return s.senders.map(\.channel)
            }.get()) ?? []
            for channel in channels { try? await channel.close() }
        }
    }
}
