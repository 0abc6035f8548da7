import Foundation
import GBCore
import Media

/// Why a snapshot could not be made; `message` says it in both languages.
public enum SnapshotError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The frame is not a keyframe, or lacks its parameter sets: it cannot be decoded alone.
    case notAKeyframe
    case codecNotSupported(codec: String)
    /// ffmpeg is not installed where the configuration says.
    case ffmpegMissing(path: String)
    /// More requests are waiting for a renderer than the queue takes.
    case busy(limit: Int)
    case timedOut(Duration)
    /// ffmpeg ran but made no picture (undecodable input), with its last stderr line.
    case renderFailed(reason: String)
    /// `snapshot(of:on:)`: the stream did not play.
    case playFailed(PlayFailure)
    /// `snapshot(of:on:)`: the stream gave no keyframe in time.
    case noKeyframe(timeout: Duration)

    public var message: LocalizedText {
        switch self {
        case .notAKeyframe:
            LocalizedText(zh: "无法生成截图：该帧不是带参数集（SPS/PPS）的关键帧",
                          en: "cannot make a snapshot: the frame is not a keyframe with its parameter sets (SPS/PPS)")
        case let .codecNotSupported(codec):
            LocalizedText(zh: "无法生成截图：不支持的视频编码 \(codec)（支持 H.264、H.265）",
                          en: "cannot make a snapshot: video codec \(codec) is not supported (H.264 and H.265 are)")
        case let .ffmpegMissing(path):
            LocalizedText(zh: "无法生成截图：未找到 ffmpeg（\(path)），请安装 ffmpeg",
                          en: "cannot make a snapshot: ffmpeg not found at \(path); install ffmpeg")
        case let .busy(limit):
            LocalizedText(zh: "截图请求过多（排队上限 \(limit)），请稍后再试",
                          en: "too many snapshot requests (queue limit \(limit)); try again later")
        case let .timedOut(timeout):
            LocalizedText(zh: "截图超时（\(PlayFailureSeconds.format(timeout)) 秒）",
                          en: "the snapshot timed out after \(PlayFailureSeconds.format(timeout)) s")
        case let .renderFailed(reason):
            LocalizedText(zh: "截图失败，无法解码该帧：\(reason)", en: "the snapshot failed, the frame did not decode: \(reason)")
        case let .playFailed(failure):
            LocalizedText(zh: "无法截图：\(failure.message.zh)", en: "cannot make a snapshot: \(failure.message.en)")
        case let .noKeyframe(timeout):
            LocalizedText(zh: "无法截图：\(PlayFailureSeconds.format(timeout)) 秒内未收到关键帧",
                          en: "cannot make a snapshot: no keyframe within \(PlayFailureSeconds.format(timeout)) s")
        }
    }

    public var description: String { message.en }
}

/// Turns a keyframe (Annex B with its parameter sets, H.264 or H.265) into a JPEG with ffmpeg
/// (`-frames:v 1 -c:v mjpeg`), at most `maxConcurrent` ffmpeg at a time, each killed after `timeout`.
/// The last picture of each camera is cached by keyframe PTS and width, and concurrent requests for
/// the same one share a single ffmpeg run (a page of thumbnails asks for the same cameras again and again).
///
/// ```swift
/// let renderer = SnapshotRenderer()
/// let jpeg = try await renderer.snapshot(camera: code, keyframe: frame, maxWidth: 640)  // [UInt8], FF D8 … FF D9
/// ```
public actor SnapshotRenderer {
    public struct Configuration: Sendable {
        public var ffmpegPath = "/usr/bin/ffmpeg"
        /// ffmpeg processes at once; a 1080p HEVC keyframe takes ~50–100 ms of one core.
        public var maxConcurrent = 2
        /// Requests waiting for a free renderer beyond this fail with `.busy`.
        public var maxWaiting = 64
        /// Per ffmpeg run (queueing not included).
        public var timeout: Duration = .seconds(10)
        /// Default width cap (keeps the aspect, never scales up); nil keeps the camera's size.
        public var maxWidth: Int? = 640
        /// mjpeg qscale, 2 (best) … 31.
        public var quality = 5
        /// Cameras whose last snapshot is kept.
        public var cacheCameras = 256
        public init() {}
    }

    private struct CacheEntry {
        var pts: Int64
        var maxWidth: Int?
        var task: Task<[UInt8], any Error>
        var used: UInt64
    }

    public let configuration: Configuration
    private var running = 0
    private var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
    private var nextWaiterID: UInt64 = 0
    private var cache: [String: CacheEntry] = [:]
    private var useCounter: UInt64 = 0
    private(set) var renders = 0

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
    }

    /// ffmpeg runs so far (cache hits do not count), for tests and metrics.
    public var renderCount: Int { renders }
    public var cachedCameras: Int { cache.count }

    /// The JPEG of `keyframe` for `camera`: from the cache when this keyframe (same PTS and width) was
    /// rendered before or is being rendered now.
    public func snapshot(camera: String, keyframe: MediaFrame, maxWidth: Int? = nil) async throws(SnapshotError) -> [UInt8] {
        let width = maxWidth ?? configuration.maxWidth
        useCounter += 1
        if var hit = cache[camera], hit.pts == keyframe.pts, hit.maxWidth == width {
            hit.used = useCounter
            cache[camera] = hit
            return try await Self.value(of: hit.task)
        }
        let task = Task { try await self.render(keyframe, maxWidth: width) }
        cache[camera] = CacheEntry(pts: keyframe.pts, maxWidth: width, task: task, used: useCounter)
        if cache.count > configuration.cacheCameras,
           let oldest = cache.min(by: { $0.value.used < $1.value.used })?.key {
            cache[oldest] = nil
        }
        do {
            return try await Self.value(of: task)
        } catch {
            // A failure is not cached (the next request tries again).
            if let entry = cache[camera], entry.pts == keyframe.pts, entry.maxWidth == width { cache[camera] = nil }
            throw error
        }
    }

    /// The picture of a running (or startable) stream: joins `key` on `hub` as a viewer (starting the
    /// camera's stream if nobody watches it; the hub's grace period then keeps it a while), takes the
    /// first keyframe — at once from the GOP cache when the stream runs — and leaves.
    public func snapshot(of key: StreamKey, on hub: StreamHub, maxWidth: Int? = nil,
                         timeout: Duration = .seconds(20)) async throws(SnapshotError) -> [UInt8] {
        let subscription = await hub.subscribe(key)
        let found: Result<MediaFrame?, any Error> = await withTaskGroup(of: Result<MediaFrame?, any Error>.self) { group in
            group.addTask {
                do {
                    for try await event in subscription {
                        if case let .frame(frame) = event, frame.isVideo, frame.isKeyframe { return .success(frame) }
                    }
                    return .success(nil)
                } catch {
                    return .failure(error)
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return .success(nil)
            }
            let first = await group.next() ?? .success(nil)
            group.cancelAll()
            return first
        }
        await subscription.cancel()
        switch found {
        case let .success(frame?):
            return try await snapshot(camera: key.camera, keyframe: frame, maxWidth: maxWidth)
        case .success(nil):
            throw .noKeyframe(timeout: timeout)
        case let .failure(error):
            throw .playFailed(PlayFailure(error))
        }
    }

    /// Forgets a camera's cached picture.
    public func invalidate(camera: String) { cache[camera] = nil }

    private static func value(of task: Task<[UInt8], any Error>) async throws(SnapshotError) -> [UInt8] {
        do {
            return try await task.value
        } catch let error as SnapshotError {
            throw error
        } catch {
            throw .renderFailed(reason: "\(error)")
        }
    }

    /// Renders `keyframe` (no cache).
    public func render(_ keyframe: MediaFrame, maxWidth: Int? = nil) async throws(SnapshotError) -> [UInt8] {
        let format: String
        switch keyframe.codec {
        case .h264: format = "h264"
        case .h265: format = "hevc"
        default: throw .codecNotSupported(codec: keyframe.codec.rawValue.uppercased())
        }
        guard keyframe.isKeyframe, CodecParameters(frame: keyframe) != nil else { throw .notAKeyframe }
        guard FileManager.default.isExecutableFile(atPath: configuration.ffmpegPath) else {
            throw .ffmpegMissing(path: configuration.ffmpegPath)
        }
        try await acquire()
        defer { release() }
        renders += 1
        let arguments = Self.arguments(format: format, maxWidth: maxWidth, quality: configuration.quality)
        do {
            let jpeg = try await FFmpegProcess.run(executable: configuration.ffmpegPath, arguments: arguments,
                                                   input: keyframe.data, timeout: configuration.timeout,
                                                   maxOutputBytes: 16 << 20)
            guard jpeg.count > 4, jpeg[0] == 0xFF, jpeg[1] == 0xD8 else {
                throw SnapshotError.renderFailed(reason: jpeg.isEmpty ? "ffmpeg wrote no picture" : "ffmpeg wrote no JPEG")
            }
            return jpeg
        } catch let error as SnapshotError {
            throw error
        } catch let error as FFmpegRunError {
            switch error {
            case let .timedOut(timeout): throw .timedOut(timeout)
            case let .outputTooLarge(limit): throw .renderFailed(reason: "more than \(limit) bytes of output")
            case let .failed(exit): throw .renderFailed(reason: "\(exit)")
            }
        } catch let error as FFmpegSpawnError {
            throw .renderFailed(reason: "\(error)")
        } catch {
            // Cancelled: the caller went away.
            throw .renderFailed(reason: "\(error)")
        }
    }

    /// `-frames:v 1` stops after the first picture; the one keyframe is all the input, so stdin EOF
    /// flushes the decoder at once. `-pix_fmt yuvj420p` is the full-range JPEG format mjpeg expects.
    static func arguments(format: String, maxWidth: Int?, quality: Int) -> [String] {
        var args = ["-nostdin", "-hide_banner", "-nostats", "-loglevel", "error",
                    "-f", format, "-i", "pipe:0", "-map", "0:v:0", "-frames:v", "1"]
        if let maxWidth {
            args += ["-vf", "scale=w='min(iw,\(maxWidth))':h=-2"]
        }
        args += ["-pix_fmt", "yuvj420p", "-c:v", "mjpeg", "-q:v", "\(quality)", "-f", "image2", "-update", "1", "pipe:1"]
        return args
    }

    // MARK: Concurrency cap

    private func acquire() async throws(SnapshotError) {
        if running < configuration.maxConcurrent {
            running += 1
            return
        }
        guard waiters.count < configuration.maxWaiting else { throw .busy(limit: configuration.maxWaiting) }
        nextWaiterID += 1
        let id = nextWaiterID
        do {
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
                    waiters.append((id, c))
                }
            } onCancel: {
                Task { await self.cancelWaiter(id) }
            }
        } catch {
            throw .renderFailed(reason: "cancelled")
        }
        // `release` handed its slot over: `running` was not decremented.
    }

    private func cancelWaiter(_ id: UInt64) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(throwing: CancellationError())
    }

    private func release() {
        if waiters.isEmpty {
            running -= 1
        } else {
            waiters.removeFirst().continuation.resume()
        }
    }
}
