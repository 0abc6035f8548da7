import ArgumentParser
import Foundation
import Media
import NIOCore
import NIOPosix

/// `media-remux`: PS bytes in → fMP4 bytes out on one core, against `ffmpeg -c copy` on the same file.
struct MediaRemuxBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "media-remux", abstract: "PS → frames → fragmented MP4 in memory on one core, against ffmpeg -c copy.")

    @Option(help: "A GB PS file.") var file = "../shared/peers/ps/gb_ps_h264_1080p25_zlm.ps"
    @Option(help: "Timed passes over the file (and ffmpeg runs).") var iterations = 9
    @Option(help: "Bytes per feed, as RTP payloads arrive.") var chunk = 1400

    func run() async throws {
        let bytes = try MediaBenchFiles.read(file)
        let one = Self.remux(bytes, chunk: chunk)
        guard one.frames > 0 else { throw ValidationError("media-remux: no frames in \(file)") }
        _ = Self.remux(bytes, chunk: chunk)  // warm-up
        var seconds: [Double] = []
        for _ in 0..<max(1, iterations) {
            seconds.append(MediaBenchClock.seconds { _ = Self.remux(bytes, chunk: chunk) })
        }
        let median = MediaBenchStats.percentile(seconds, 0.5)
        let ffmpeg = try Self.ffmpegCopy(file, iterations: iterations)
        let mb = Double(bytes.count) / 1e6
        print(String(format: "media-remux: %.1f MB/s, %.0f frames/s (%d frames, %d bytes in, %d bytes out, median of %d); "
            + "ffmpeg -c copy: %.1f MB/s (%.1f ms a run); ratio %.1fx",
            mb / median, Double(one.frames) / median, one.frames, bytes.count, one.bytesOut, seconds.count,
            mb / ffmpeg, ffmpeg * 1000, ffmpeg / median))
        // ffmpeg's start-up dominates a 0.4 MB file: the same on a long file shows the steady state.
        let long = try MediaBenchFiles.loopedPS(from: bytes, seconds: 120, kilobitsPerSecond: 4000)
        let longBytes = try MediaBenchFiles.read(long)
        let longOut = Self.remux(longBytes, chunk: chunk)
        let longSeconds = MediaBenchStats.percentile((0..<3).map { _ in
            MediaBenchClock.seconds { _ = Self.remux(longBytes, chunk: chunk) } }, 0.5)
        let longFFmpeg = try Self.ffmpegCopy(long, iterations: 3)
        let longMB = Double(longBytes.count) / 1e6
        print(String(format: "media-remux (120 s at 4 Mbit/s, %.1f MB, %d frames): %.1f MB/s, %.0f frames/s; "
            + "ffmpeg -c copy: %.1f MB/s; ratio %.1fx",
            longMB, longOut.frames, longMB / longSeconds, Double(longOut.frames) / longSeconds, longMB / longFFmpeg,
            longFFmpeg / longSeconds))
        try? FileManager.default.removeItem(atPath: long)
    }

    /// The whole path a stream takes: PS demux in RTP-sized pieces, then per-GOP fMP4 fragments.
    static func remux(_ bytes: [UInt8], chunk: Int) -> (frames: Int, bytesOut: Int) {
        var input = ByteBuffer(bytes: bytes)
        var demuxer = PSDemuxer()
        var muxer: FragmentedMP4Muxer?
        var frames = 0
        var bytesOut = 0
        func mux(_ frame: MediaFrame) {
            frames += 1
            if muxer == nil, let parameters = CodecParameters(frame: frame) {
                muxer = FragmentedMP4Muxer(video: parameters)
                bytesOut += muxer?.initializationSegment().readableBytes ?? 0
            }
            if let fragment = muxer?.append(frame) { bytesOut += fragment.readableBytes }
        }
        while input.readableBytes > 0, let piece = input.readSlice(length: min(chunk, input.readableBytes)) {
            demuxer.feed(piece) { mux($0) }
        }
        demuxer.flush { mux($0) }
        bytesOut += muxer?.flush()?.readableBytes ?? 0
        return (frames, bytesOut)
    }

    /// Median wall time of `ffmpeg -i FILE -c copy -f mp4 -movflags frag_keyframe+empty_moov`.
    static func ffmpegCopy(_ file: String, iterations: Int) throws -> Double {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("media-remux-\(getpid()).mp4").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        var times: [Double] = []
        for _ in 0..<max(1, iterations) {
            var status: Int32 = 0
            times.append(try MediaBenchClock.seconds {
                status = try MediaBenchProcess.run("/usr/bin/ffmpeg", ["-v", "error", "-i", file, "-c", "copy", "-f", "mp4",
                                                                        "-movflags", "frag_keyframe+empty_moov", "-y", output])
            })
            guard status == 0 else { throw ValidationError("ffmpeg exited with \(status) on \(file)") }
        }
        return MediaBenchStats.percentile(times, 0.5)
    }
}

/// `media-streams`: N PS-over-RTP streams from a sender process into one ingest + hub on loopback, each
/// watched by one viewer muxing fMP4; CPU, memory, latency, and a late viewer's time to first bytes.
struct MediaStreamsBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "media-streams", abstract: "N camera streams over RTP on 127.0.0.1, one fMP4 viewer each.")

    @Option(help: "Concurrent streams.") var streams = 300
    @Option(help: "Seconds the streams run.") var seconds = 20
    @Option(name: .customLong("bitrate-kbps"), help: "Each stream's bitrate (the sample is padded with filler NALs).")
    var bitrateKbps = 4000
    @Option(help: "A GB PS file.") var file = "../shared/peers/ps/gb_ps_h264_1080p25_zlm.ps"
    @Option(help: "RTP over udp or tcp.") var transport = "udp"
    @Option(help: "Event-loop threads of the server.") var threads = 2
    @Option(help: "Event-loop threads of the sender process (loopback delivery is charged to the sender).")
    var senderThreads = 2
    @Option(help: .hidden) var role = "server"
    @Option(help: .hidden) var port = 0
    @Option(help: .hidden) var startUptimeNanoseconds: UInt64 = 0
    @Option(help: .hidden) var sendTimes = ""

    static let ssrcBase: UInt32 = 200_000_000

    func run() async throws {
        if role == "sender" { return try await runSender() }
        try await MediaStreamsServer(options: self).run()
    }

    /// The cameras, in a process of their own so the server's CPU figure is the server's.
    private func runSender() async throws {
        // The cameras are not on the server's machine in real life: let the server have the cores first
        // (the sender's lag behind its schedule is reported, and counts in the latency figures).
        setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
        let program = PSReplayProgram(psFile: try MediaBenchFiles.read(file), padToKilobitsPerSecond: bitrateKbps)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, senderThreads))
        let start = NIODeadline.uptimeNanoseconds(startUptimeNanoseconds)
        let targets = (0..<streams).map { i in
            RTPReplaySender.Target(ssrc: Self.ssrcBase + UInt32(i), port: port, offset: Self.offset(i, of: streams))
        }
        let frames = seconds * 25
        let sender = try await RTPReplaySender.start(program: program, targets: targets, transport: transport == "tcp" ? .tcp : .udp,
                                                     frames: frames, start: start, recordSendTimes: !sendTimes.isEmpty,
                                                     group: group)
        while !(await sender.isFinished) { try await Task.sleep(for: .milliseconds(100)) }
        let s = await sender.statistics
        if !sendTimes.isEmpty {
            // Per target: frame count, then each frame's send time (uptime ns), little-endian UInt64s.
            var out = ByteBuffer()
            for times in await sender.sendTimes() {
                out.writeInteger(UInt64(times.count), endianness: .little)
                for t in times { out.writeInteger(t, endianness: .little) }
            }
            _ = FileManager.default.createFile(atPath: sendTimes, contents: Data(out.readableBytesView))
        }
        // Unbuffered: the server waits for this line while this process is still running.
        FileHandle.standardOutput.write(Data(String(format: "sender: %d frames, %d packets, %.1f MB, max lag behind schedule %.1f ms, CPU %.1f s\n",
            s.frames, s.packets, Double(s.bytes) / 1e6, MediaBenchStats.milliseconds(s.maxLag), MediaBenchCPU.seconds()).utf8))
        // Hang up only after the server has ended the streams on this report (TCP would count as the end).
        try await Task.sleep(for: .seconds(2))
        await sender.stop()
        try await group.shutdownGracefully()
    }

    /// Streams are spread over one frame interval, as independent cameras are.
    static func offset(_ i: Int, of n: Int) -> Duration { .microseconds(40_000 * Int64(i) / Int64(max(1, n))) }
}

/// The server side of `media-streams`.
private struct MediaStreamsServer {
    let options: MediaStreamsBenchmark

    typealias Source = MediaBenchSource

    static func key(_ i: Int) -> StreamKey { MediaBenchSource.key(i) }

    func run() async throws {
        let o = options
        let program = PSReplayProgram(psFile: try MediaBenchFiles.read(o.file), padToKilobitsPerSecond: o.bitrateKbps)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, o.threads))
        let slot = MediaBenchSlot()
        var configuration = StreamHubConfiguration()
        configuration.noRTPTimeout = .seconds(30)
        let hub = StreamHub(source: Source(slot: slot, transport: o.transport == "tcp" ? .tcpPassive : .udp),
                            configuration: configuration)
        let ingest = try await RTPIngestServer.start(configuration: RTPIngestConfiguration(host: "127.0.0.1", port: 0),
                                                     group: group, sink: hub)
        await slot.set(ingest)
        let rssBefore = MediaBenchMemory.residentMiB()
        var viewers: [Task<MediaBenchViewer.Report, Never>] = []
        for i in 0..<o.streams {
            let subscription = await hub.subscribe(Self.key(i))
            viewers.append(Task { await MediaBenchViewer.watch(subscription, frameDuration: program.frameDuration) })
        }
        let startAt = NIODeadline.now() + .seconds(2)
        let times = FileManager.default.temporaryDirectory.appendingPathComponent("media-streams-\(getpid()).times").path
        defer { try? FileManager.default.removeItem(atPath: times) }
        let sender = try MediaBenchProcess.spawnSelf([
            "media-streams", "--role", "sender", "--port", "\(ingest.port)", "--send-times", times, "--streams", "\(o.streams)",
            "--seconds", "\(o.seconds)", "--bitrate-kbps", "\(o.bitrateKbps)", "--file", o.file, "--transport", o.transport,
            "--sender-threads", "\(o.senderThreads)",
            "--start-uptime-nanoseconds", "\(startAt.uptimeNanoseconds)"])
        // Measure over the middle of the run: after every stream has started, before the last frames.
        let warmUp = min(4, max(1, o.seconds / 4))
        try await Task.sleep(for: .seconds(2 + warmUp))
        let cpu0 = MediaBenchCPU.seconds(), machine0 = MediaBenchCPU.machineBusySeconds(), wall0 = ContinuousClock.now
        let bytes0 = await hub.allCounters().reduce(0) { $0 + $1.bytesIn }
        let joins = await Self.lateJoins(hub: hub, count: min(20, o.streams), of: o.streams)
        try await Task.sleep(for: .seconds(max(1, o.seconds - warmUp - 3)))
        let window = MediaBenchStats.seconds(ContinuousClock.now - wall0)
        let cpu = (MediaBenchCPU.seconds() - cpu0) / window, machine = (MediaBenchCPU.machineBusySeconds() - machine0) / window
        let rss = MediaBenchMemory.residentMiB()
        let bytesIn = await hub.allCounters().reduce(0) { $0 + $1.bytesIn } - bytes0
        // The sender reports when its last frame is out; end the streams then, before it hangs up.
        while !(await sender.text.contains("sender:")) { try await Task.sleep(for: .milliseconds(50)) }
        try await Task.sleep(for: .milliseconds(300))
        await hub.shutdown()
        print((await sender.output()).trimmingCharacters(in: .whitespacesAndNewlines))
        var reports: [MediaBenchViewer.Report] = []
        for viewer in viewers { reports.append(await viewer.value) }
        let statistics = ingest.statistics
        await ingest.shutdown()
        try await group.shutdownGracefully()

        print(String(format: "media-streams: %d streams × %d kbit/s over %@ for %d s: server CPU %.0f%% of one core (%.2f cores), "
            + "RSS %.0f MiB (%.2f MiB per stream), frames in %.0f Mbit/s",
            o.streams, o.bitrateKbps, o.transport.uppercased(), o.seconds, cpu * 100, cpu, rss,
            (rss - rssBefore) / Double(max(1, o.streams)), Double(bytesIn) * 8 / 1e6 / window))
        // The sender (and anything else on the machine) competes for the same cores: say how busy they were.
        print(String(format: "media-streams: machine %.2f of %d cores busy during the window (server %.2f, the rest sender and other programs)",
                     machine, ProcessInfo.processInfo.activeProcessorCount, cpu))
        Self.printLatencies(reports, sent: MediaBenchViewer.readSendTimes(times), joins: joins)
        let expected = o.seconds * 25 - 2
        print(String(format: "media-streams: %d of %d viewers got all %d frames; frames dropped for slow viewers %d; "
            + "unknown RTP packets %d, malformed %d", reports.filter { $0.frames >= expected }.count, reports.count, expected,
            reports.reduce(0) { $0 + $1.dropped }, statistics.unknownPackets, statistics.malformedPackets))
        let failed = reports.compactMap(\.failure)
        if let first = failed.first { print("media-streams: \(failed.count) viewers ended with an error, e.g. \(first)") }
    }

    /// Latency from each frame's actual send (the sender records it) to the viewer, and a late joiner's wait.
    static func printLatencies(_ reports: [MediaBenchViewer.Report], sent: [[UInt64]], joins: [(initSegment: Double, fragment: Double)]) {
        var frames: [Double] = [], fragments: [Double] = []
        for (i, report) in reports.enumerated() where i < sent.count {
            frames += MediaBenchViewer.Report.latencies(report.arrivals, sent[i])
            fragments += MediaBenchViewer.Report.latencies(report.fragmentsOut, sent[i])
        }
        let p = MediaBenchStats.percentile
        print(String(format: "media-streams: send → viewer frame latency p50 %.1f ms, p99 %.1f ms, max %.1f ms; "
            + "send → fMP4 fragment out p50 %.1f ms, p99 %.1f ms (%d frames)",
            p(frames, 0.5), p(frames, 0.99), frames.max() ?? 0, p(fragments, 0.5), p(fragments, 0.99), frames.count))
        print(String(format: "media-streams: late viewer join → init segment p50 %.2f ms, max %.2f ms; "
            + "→ first media fragment p50 %.2f ms, max %.2f ms (%d joins)",
            p(joins.map(\.initSegment), 0.5), joins.map(\.initSegment).max() ?? 0,
            p(joins.map(\.fragment), 0.5), joins.map(\.fragment).max() ?? 0, joins.count))
    }

    /// A viewer joining a running stream: time to its init segment and to its first media fragment.
    static func lateJoins(hub: StreamHub, count: Int, of streams: Int) async -> [(initSegment: Double, fragment: Double)] {
        var out: [(Double, Double)] = []
        for i in 0..<count {
            let joined = ContinuousClock.now
            let subscription = await hub.subscribe(key(i * streams / max(1, count)))
            var writer = FragmentedMP4ViewerWriter()
            var initAt: Double?
            do {
                for try await event in subscription {
                    let bytes = writer.write(event)
                    guard !bytes.isEmpty else { continue }
                    let ms = MediaBenchStats.milliseconds(ContinuousClock.now - joined)
                    if initAt == nil { initAt = ms } else { out.append((initAt ?? ms, ms)); break }
                }
            } catch {
                print("late viewer of \(subscription.key): \(error)")
            }
            await subscription.cancel()
        }
        return out
    }
}

/// One viewer of `media-streams`: muxes fMP4 per frame and notes when each frame arrived and when it
/// left inside a fragment; latencies are computed later against the sender's recorded send times.
enum MediaBenchViewer {
    struct Report: Sendable {
        var frames = 0
        var dropped = 0
        var failure: String?
        /// (frame index, uptime ns) when the frame reached the viewer / left it inside an fMP4 fragment.
        var arrivals: [(Int, UInt64)] = []
        var fragmentsOut: [(Int, UInt64)] = []

        static func latencies(_ events: [(Int, UInt64)], _ sent: [UInt64]) -> [Double] {
            events.compactMap { index, at in
                index >= 0 && index < sent.count && at >= sent[index] ? Double(at - sent[index]) / 1e6 : nil
            }
        }
    }

    static func watch(_ subscription: StreamSubscription, frameDuration: Int64) async -> Report {
        var report = Report()
        var writer = FragmentedMP4ViewerWriter(mode: .perFrame)
        var previous: Int?
        do {
            for try await event in subscription {
                let out = writer.write(event)
                let now = NIODeadline.now().uptimeNanoseconds
                guard case let .frame(frame) = event else { continue }
                // The sender's PTS is 90000 + index × frame duration (RTPReplaySender).
                let index = Int((frame.pts - 90_000) / frameDuration)
                report.frames += 1
                report.arrivals.append((index, now))
                // Per-frame fragments close when the next frame arrives: this one carries the previous frame.
                if !out.isEmpty, let previous { report.fragmentsOut.append((previous, now)) }
                previous = index
            }
        } catch {
            report.failure = "\(subscription.key): \(error)"
        }
        report.dropped = subscription.counters.droppedFrames
        return report
    }

    static func readSendTimes(_ path: String) -> [[UInt64]] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        var buffer = ByteBuffer(bytes: data)
        var all: [[UInt64]] = []
        while let count = buffer.readInteger(endianness: .little, as: UInt64.self) {
            all.append((0..<Int(count)).compactMap { _ in buffer.readInteger(endianness: .little, as: UInt64.self) })
        }
        return all
    }
}

/// Registers each stream's SSRC as App's StreamSource will (no SIP here): stream i is SSRC base + i.
struct MediaBenchSource: StreamSource {
    let slot: MediaBenchSlot
    let transport: IngestTransport
    func start(_ key: StreamKey) async throws -> UpstreamSession {
        guard let ingest = await slot.ingest, let index = UInt32(key.camera.suffix(7)) else { throw ValidationError("no ingest") }
        let lease = try await ingest.register(ssrc: MediaStreamsBenchmark.ssrcBase + index, key: key, transport: transport)
        return UpstreamSession(id: key.camera, lease: lease)
    }
    func stop(_ session: UpstreamSession) async {}

    static func key(_ i: Int) -> StreamKey { .live("3402000000131" + String(format: "%07d", i)) }
}

/// Holds the ingest for the benchmark's source (the ingest needs the hub, the hub the source).
actor MediaBenchSlot {
    var ingest: RTPIngestServer?
    func set(_ ingest: RTPIngestServer) { self.ingest = ingest }
}

enum MediaBenchFiles {
    static func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read \(path) (run from the package directory, or pass --file)")
        }
        return [UInt8](data)
    }

    /// The sample looped to `seconds` with increasing timestamps and padded to a bitrate, as a PS file.
    static func loopedPS(from bytes: [UInt8], seconds: Int, kilobitsPerSecond: Int) throws -> String {
        let program = PSReplayProgram(psFile: bytes, padToKilobitsPerSecond: kilobitsPerSecond)
        let muxer = PSMuxer(videoCodec: program.codec)
        var out = ByteBuffer()
        for index in 0..<(seconds * 90_000 / Int(program.frameDuration)) { muxer.mux(program.frame(index), into: &out) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("media-remux-long-\(getpid()).ps").path
        guard FileManager.default.createFile(atPath: path, contents: Data(out.readableBytesView)) else {
            throw ValidationError("cannot write \(path)")
        }
        return path
    }
}

enum MediaBenchClock {
    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = ContinuousClock.now
        try body()
        return MediaBenchStats.seconds(ContinuousClock.now - start)
    }
}

enum MediaBenchStats {
    static func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
    }

    static func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
    static func milliseconds(_ d: Duration) -> Double { seconds(d) * 1000 }
}

/// User + system CPU seconds of this process (getrusage(2)).
enum MediaBenchCPU {
    static func seconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }
}

extension MediaBenchCPU {
    /// Busy CPU seconds of the whole machine so far (/proc/stat: all but idle and iowait, USER_HZ 100).
    static func machineBusySeconds() -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = stat.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else { return 0 }
        let ticks = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard ticks.count >= 5 else { return 0 }
        return (ticks.prefix(8).reduce(0, +) - ticks[3] - ticks[4]) / 100
    }
}

enum MediaBenchMemory {
    /// Resident set size from /proc/self/statm (pages → MiB).
    static func residentMiB() -> Double {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
              let pages = Double(statm.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
    }
}

enum MediaBenchProcess {
    /// Runs a program to its end, output discarded; returns its exit status.
    static func run(_ executable: String, _ arguments: [String]) throws -> Int32 {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw ValidationError("\(executable) not found: apt-get install -y ffmpeg")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// This executable again (`/proc/self/exe`); `output()` waits for it to end and returns its stdout.
    static func spawnSelf(_ arguments: [String]) throws -> Child {
        let path = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let child = Child()
        // A blocking read belongs on a thread of its own, never in a task: two children read from tasks
        // took both threads of the cooperative pool on a 2-core machine, and the hub under measurement
        // delivered nothing until a child exited (cascade-relay then reported 12 s of "latency").
        Thread.detachNewThread {
            while case let data = pipe.fileHandleForReading.availableData, !data.isEmpty {
                let appended = DispatchSemaphore(value: 0)
                Task {
                    await child.append(data)
                    appended.signal()
                }
                appended.wait()
            }
            Task { await child.close() }
        }
        return child
    }

    /// The child's stdout as it arrives.
    actor Child {
        private var bytes = Data()
        private var closed = false
        var text: String { String(decoding: bytes, as: UTF8.self) }
        func append(_ data: Data) { bytes.append(data) }
        func close() { closed = true }
        /// Everything, once the child has exited.
        func output() async -> String {
            while !closed { try? await Task.sleep(for: .milliseconds(50)) }
            return text
        }
    }
}
