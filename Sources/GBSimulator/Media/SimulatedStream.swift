import Media
import NIOCore
import NIOPosix

/// One session's media: the clip as PS over RTP as its plan says, from the 200 OK's ACK to the BYE.
/// MANSRTSP controls (pause, play from a second, scale) restart the sender at a keyframe, as recorders do
/// when they seek; the RTP timestamps restart with it, which receivers handle as a discontinuity.
public actor SimulatedStream {
    public nonisolated let plan: SimulatedStreamPlan
    private let program: PSReplayProgram
    private let group: any EventLoopGroup
    private let listener: (any Channel)?
    private let connection: EventLoopFuture<any Channel>?
    private var sender: RTPReplaySender?
    /// Clip frame the running sender started at, where the last run stopped, and frames of earlier runs.
    private var firstFrame = 0
    private var position = 0
    private var framesBefore = 0
    private var speed: Double
    private var stopped = false

    /// The TCP port the platform connects to (`a=setup:active` offers), nil otherwise.
    public nonisolated let listenPort: Int?

    private init(plan: SimulatedStreamPlan, program: PSReplayProgram, group: any EventLoopGroup,
                 listener: (any Channel)?, connection: EventLoopFuture<any Channel>?) {
        self.plan = plan
        self.program = program
        self.group = group
        self.listener = listener
        self.connection = connection
        listenPort = listener?.localAddress?.port
        speed = plan.speed
    }

    /// Binds the passive TCP listener when the plan needs one (its port goes into the SDP answer).
    public static func prepare(_ plan: SimulatedStreamPlan, program: PSReplayProgram, bindHost: String,
                               group: any EventLoopGroup) async throws -> SimulatedStream {
        guard plan.delivery == .tcpListen else {
            return SimulatedStream(plan: plan, program: program, group: group, listener: nil, connection: nil)
        }
        let eventLoop = group.next()
        let accepted = eventLoop.makePromise(of: (any Channel).self)
        let listener = try await ServerBootstrap(group: eventLoop)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                accepted.succeed(channel)
                return channel.eventLoop.makeSucceededVoidFuture()
            }
            .bind(host: bindHost, port: 0).get()
        return SimulatedStream(plan: plan, program: program, group: group, listener: listener, connection: accepted.futureResult)
    }

    /// Frames of the clip that make up the session: the `t=` range for Playback/Download, endless for live.
    private var totalFrames: Int? {
        plan.durationSeconds.map { Int($0 * 90_000 / program.frameDuration) }
    }

    /// Starts (or restarts) sending at clip frame `frame`.
    public func start(atFrame frame: Int = 0) async throws {
        guard !stopped else { return }
        await halt()
        firstFrame = keyframe(atOrBefore: frame)
        let remaining = totalFrames.map { max(0, $0 - firstFrame) }
        let run = SimulatedClip.program(program, startingAt: firstFrame)
        switch plan.delivery {
        case .udp(let host, let port), .tcpConnect(let host, let port):
            let target = RTPReplaySender.Target(ssrc: plan.ssrc, host: host, port: port)
            let transport: RTPReplaySender.Transport = if case .udp = plan.delivery { .udp } else { .tcp }
            sender = try await RTPReplaySender.start(program: run, targets: [target], transport: transport, speed: speed,
                                                     frames: remaining, group: group)
        case .tcpListen:
            guard let connection else { return }
            sender = try await RTPReplaySender.start(program: run, acceptedConnection: try await connection.get(),
                                                     ssrc: plan.ssrc, speed: speed, frames: remaining)
        }
    }

    public func pause() async { await halt() }

    /// PLAY after PAUSE (`npt=now-`), from a second of the range (`npt=N-`), or at a new scale.
    public func play(fromSecond second: Int? = nil, scale: Double? = nil) async throws {
        if let scale, scale != 0 { speed = abs(scale) }
        let frame = second.map { Int(Int64($0) * 90_000 / program.frameDuration) } ?? position
        try await start(atFrame: frame)
    }

    /// True once a Playback/Download sent its whole range (then the device sends MediaStatus 121).
    public var isFinished: Bool {
        get async {
            guard let sender, totalFrames != nil else { return false }
            return await sender.isFinished
        }
    }

    public var framesSent: Int {
        get async { framesBefore + (await sender?.statistics.frames ?? 0) }
    }

    public func stop() async {
        stopped = true
        await halt()
        try? await listener?.close()
    }

    private func halt() async {
        guard let running = sender else { return }
        let sent = await running.statistics.frames
        position = firstFrame + sent
        framesBefore += sent
        await running.stop()
        sender = nil
    }

    private func keyframe(atOrBefore frame: Int) -> Int {
        let count = program.frames.count
        var index = frame
        while index > 0, !program.frames[index % count].isKeyframe { index -= 1 }
        return index
    }
}
