import Media

/// Settings of the on-demand H.265 → H.264 transcoder (ffmpeg with libx264), one home for its knobs.
public struct TranscodeConfiguration: Sendable {
    public var ffmpegPath = "/usr/bin/ffmpeg"
    /// Concurrent transcodes on this node; the next start fails with `PlayFailure.transcodeLimit`.
    /// A 1080p25 ultrafast transcode takes about half to one core (gbshare-bench transcode).
    public var maxConcurrentTranscodes = 4
    /// Keyframes follow the camera's (`-force_key_frames source`, so the H.264 GOP matches the camera's
    /// and a joining viewer waits no longer than on the original); this caps a camera GOP longer than it.
    public var maxGOPFrames = 250
    public var preset = "ultrafast"
    /// x264 constant rate factor, capped by `maxBitrateKbps` (VBV) when set.
    public var crf = 26
    public var maxBitrateKbps: Int? = 4000
    /// Scale wider pictures down to this width (keeps the aspect); nil keeps the camera's size.
    public var maxWidth: Int?
    /// libx264 threads; nil lets ffmpeg choose (one per core, sliced with -tune zerolatency).
    public var encoderThreads: Int?
    /// Frames written to ffmpeg but none out for this long: the stream fails with `.transcodeFailed`.
    public var stallTimeout: Duration = .seconds(10)
    /// After SIGTERM (and stdin closed), SIGKILL follows this late.
    public var stopGrace: Duration = .seconds(2)
    /// Input queued for ffmpeg beyond this (it is slower than real time) is dropped up to the next keyframe.
    public var maxPendingInputBytes = 8 << 20
    /// A camera that already sends H.264 is passed through untouched (no ffmpeg, no slot); when false its
    /// start fails with `.transcodeFailed`.
    public var passThroughH264 = true

    public init() {}

    /// The ffmpeg command line: H.265 Annex B on stdin, H.264 Annex B on stdout.
    ///
    /// - `-probesize 32 -analyzeduration 0`: start on the first frame instead of buffering ~20 frames to
    ///   guess the frame rate (not `-fflags nobuffer`: it drops the probed packets, the first IDR with them);
    ///   `-flags low_delay` turns off the HEVC decoder's frame threading, which holds back a frame per thread.
    /// - `-fps_mode passthrough` (ffmpeg ≥ 5.1): one output frame per decoded frame, never duplicated
    ///   or dropped to fit a guessed rate, so output frame n is input frame n (the PTS mapping relies on it).
    /// - `-bf 0 -tune zerolatency`: no B-frames, no lookahead: output order is input order, at once.
    /// - `-force_key_frames source -sc_threshold 0 -g N`: IDRs exactly where the camera's IRAPs are
    ///   (also what lets the PTS mapping resynchronise if the decoder ever drops a damaged frame).
    /// - `-pix_fmt yuv420p`: a 10-bit (Main 10) camera would otherwise give High 10, which browsers
    ///   do not decode.
    /// - `-flush_packets 1`: each frame is written as soon as it is encoded rather than when ffmpeg's
    ///   32 KB output buffer fills (small P-frames would otherwise wait several frames).
    /// Raw H.264 output has no global header, so libx264 repeats SPS/PPS before every IDR.
    func ffmpegArguments() -> [String] {
        var args = ["-nostdin", "-hide_banner", "-nostats", "-loglevel", "error",
                    "-flags", "low_delay", "-probesize", "32", "-analyzeduration", "0",
                    "-f", "hevc", "-i", "pipe:0",
                    "-map", "0:v:0", "-an", "-sn", "-dn"]
        if let maxWidth {
            args += ["-vf", "scale=w='min(iw,\(maxWidth))':h=-2"]
        }
        args += ["-c:v", "libx264", "-preset", preset, "-tune", "zerolatency", "-pix_fmt", "yuv420p",
                 "-crf", "\(crf)"]
        if let maxBitrateKbps {
            args += ["-maxrate", "\(maxBitrateKbps)k", "-bufsize", "\(maxBitrateKbps)k"]
        }
        args += ["-g", "\(maxGOPFrames)", "-sc_threshold", "0", "-force_key_frames", "source", "-bf", "0"]
        if let encoderThreads {
            args += ["-threads", "\(encoderThreads)"]
        }
        args += ["-fps_mode", "passthrough", "-flush_packets", "1", "-f", "h264", "pipe:1"]
        return args
    }
}
