import App
import ArgumentParser
import Foundation
import Media

/// `transcode`: how many 1080p25 H.265 → H.264 transcodes this machine sustains in real time.
/// Register it by adding `TranscodeBenchmark.self` to `BenchCommand.configuration.subcommands`.
struct TranscodeBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transcode",
        abstract: "N concurrent real-time 1080p25 H.265 → H.264 transcodes through the hubs: fps, latency, CPU per stream.")

    @Option(help: "A GB PS file with H.265 video.") var file = "../shared/peers/ps/gb_ps_h265_1080p25_zlm.ps"
    @Option(help: "Concurrent transcodes to try, comma-separated.") var streams = "1,2,3,4"
    @Option(help: "Seconds measured per step (after a 3 s warm-up).") var seconds = 15
    @Option(help: "libx264 threads per transcode (0: ffmpeg's choice).") var threads = 0

    func run() async throws {
        let counts = streams.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        try await runTranscodeBenchmark(file: file, streamCounts: counts, seconds: seconds, encoderThreads: threads == 0 ? nil : threads)
    }
}

/// One line per step: each stream's output fps (real time is 25), median/p95 frame latency through
/// ffmpeg, CPU seconds per stream-second, and whether every stream kept up.
func runTranscodeBenchmark(file: String = "../shared/peers/ps/gb_ps_h265_1080p25_zlm.ps",
                           streamCounts: [Int] = [1, 2, 3, 4], seconds: Int = 15, encoderThreads: Int? = nil) async throws {
    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
    var demuxer = PSDemuxer()
    let frames = (demuxer.feed(bytes) + demuxer.flush()).filter { $0.codec == .h265 }
    guard let first = frames.first, first.isKeyframe else {
        throw ValidationError("transcode: no H.265 keyframe at the start of \(file)")
    }
    let cores = ProcessInfo.processInfo.activeProcessorCount
    print("transcode: \(frames.count) frames of 1080p25 H.265 looped in real time, \(cores) cores, "
        + "preset ultrafast, \(encoderThreads.map { "\($0)" } ?? "auto") x264 threads")
    for count in streamCounts where count > 0 {
        let result = try await TranscodeBenchmarkStep(frames: frames, streams: count, seconds: seconds,
                                                      encoderThreads: encoderThreads).run()
        let fps = result.fps.map { String(format: "%.1f", $0) }.joined(separator: " ")
        let keptUp = result.fps.allSatisfy { $0 >= 24.0 } && result.p95LatencyMs < 500
        print(String(format: "transcode %d streams: fps per stream [%@], latency median %.0f ms p95 %.0f ms, "
            + "CPU %.2f core per stream; real time: %@", count, fps, result.medianLatencyMs, result.p95LatencyMs,
            result.coresPerStream, keptUp ? "yes" : "NO"))
    }
}

private struct TranscodeBenchmarkStep {
    let frames: [MediaFrame]
    let streams: Int
    let seconds: Int
    let encoderThreads: Int?

    struct Result {
        var fps: [Double]
        var medianLatencyMs: Double
        var p95LatencyMs: Double
        var coresPerStream: Double
    }

    final class Probe: @unchecked Sendable {
        private let lock = NSLock()
        private var sent: [Int64: ContinuousClock.Instant] = [:]
        private var latencies: [Double] = []
        private var counted = 0
        private var measuring = false

        func didSend(_ pts: Int64, at instant: ContinuousClock.Instant) {
            lock.lock(); defer { lock.unlock() }
            sent[pts] = instant
        }

        func didReceive(_ pts: Int64) {
            let now = ContinuousClock.now
            lock.lock(); defer { lock.unlock() }
            guard let at = sent.removeValue(forKey: pts), measuring else { return }
            counted += 1
            let d = now - at
            latencies.append(Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15)
        }

        func setMeasuring(_ on: Bool) -> (count: Int, latencies: [Double]) {
            lock.lock(); defer { lock.unlock() }
            measuring = on
            defer { if on { counted = 0; latencies = [] } }
            return (counted, latencies)
        }
    }

    struct AnsweringSource: StreamSource {
        func start(_ key: StreamKey) async throws -> UpstreamSession { UpstreamSession(id: "bench-\(key)") }
        func stop(_ session: UpstreamSession) async {}
    }

    func run() async throws -> Result {
        var hubConfiguration = StreamHubConfiguration()
        hubConfiguration.gracePeriod = .zero
        hubConfiguration.answerTimeout = .seconds(60)
        let upstream = StreamHub(source: AnsweringSource(), configuration: hubConfiguration)
        var configuration = TranscodeConfiguration()
        configuration.maxConcurrentTranscodes = streams
        configuration.encoderThreads = encoderThreads
        let (hub, source) = TranscodingStreamSource.makeHub(upstream: upstream, configuration: configuration,
                                                            hubConfiguration: hubConfiguration)
        let cpuBefore = Self.childCPUSeconds()
        let probes = (0..<streams).map { _ in Probe() }
        let duration = Duration.seconds(seconds)
        let measured = try await withThrowingTaskGroup(of: Void.self, returning: Result.self) { group in
            for index in 0..<streams {
                let key = StreamKey.live(String(format: "340200000013200%05d", index))
                let probe = probes[index]
                let viewer = await hub.subscribe(key)
                group.addTask {
                    for try await event in viewer {
                        if case let .frame(frame) = event { probe.didReceive(frame.pts) }
                    }
                }
                group.addTask {
                    while await upstream.viewerCount(for: key) == 0 { try await Task.sleep(for: .milliseconds(10)) }
                    // 25 fps, the sample looped with PTS running on.
                    let start = ContinuousClock.now
                    let end = start + .seconds(3) + duration + .milliseconds(500)
                    var n: Int64 = 0
                    while ContinuousClock.now < end {
                        var frame = frames[Int(n % Int64(frames.count))]
                        frame.pts = 90_000 + n * 3600
                        frame.dts = frame.pts
                        let due = start + .milliseconds(40 * Int(n))
                        try await Task.sleep(until: due, clock: .continuous)
                        probe.didSend(frame.pts, at: .now)
                        upstream.deliver([frame], to: key)
                        n += 1
                    }
                    await viewer.cancel()
                }
            }
            try await Task.sleep(for: .seconds(3))
            for probe in probes { _ = probe.setMeasuring(true) }
            try await Task.sleep(for: duration)
            let results = probes.map { $0.setMeasuring(false) }
            group.cancelAll()
            try? await group.waitForAll()
            await hub.shutdown()
            await upstream.shutdown()
            let elapsed = Double(seconds)
            let all = results.flatMap(\.latencies).sorted()
            let cpu = Self.childCPUSeconds() - cpuBefore
            return Result(
                fps: results.map { Double($0.count) / elapsed },
                medianLatencyMs: all.isEmpty ? .nan : all[all.count / 2],
                p95LatencyMs: all.isEmpty ? .nan : all[min(all.count - 1, all.count * 95 / 100)],
                coresPerStream: cpu / (elapsed + 3.5) / Double(streams))
        }
        _ = source
        return measured
    }

    /// CPU time of reaped children (the ffmpeg processes, once stopped).
    static func childCPUSeconds() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &usage)
        #else
        getrusage(RUSAGE_CHILDREN, &usage)
        #endif
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }
}
