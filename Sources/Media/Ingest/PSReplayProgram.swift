/// The frames of a PS file prepared for replay as a camera would send them: one loop of frames with
/// timestamps relative to the first, optionally padded to a bitrate with filler-data NAL units (H.264
/// 7.3.2.7 type 12, H.265 7.3.2.8 FD_NUT 38), which decoders ignore but every byte path carries, so a
/// small sample file loads the system like a 4 Mbps camera.
public struct PSReplayProgram: Sendable {
    public let frames: [MediaFrame]
    /// 90 kHz ticks between frames.
    public let frameDuration: Int64
    public let codec: MediaCodec

    public init(frames source: [MediaFrame], padToKilobitsPerSecond bitrate: Int? = nil) {
        let video = source.filter(\.isVideo)
        let origin = video.first?.dts ?? 0
        let deltas = zip(video, video.dropFirst()).map { $1.dts - $0.dts }.filter { $0 > 0 }
        frameDuration = deltas.isEmpty ? 3600 : deltas.sorted()[deltas.count / 2]
        codec = video.first?.codec ?? .unknown
        var extra = 0
        if let bitrate, !video.isEmpty {
            let fps = 90_000.0 / Double(frameDuration)
            let target = Double(bitrate) * 1000 / 8 / fps
            let average = Double(video.reduce(0) { $0 + $1.data.count }) / Double(video.count)
            extra = max(0, Int(target - average))
        }
        frames = video.map { frame in
            var data = frame.data
            if extra > 8 { Self.appendFiller(to: &data, codec: frame.codec, bytes: extra) }
            return MediaFrame(codec: frame.codec, pts: frame.pts - origin, dts: frame.dts - origin,
                              isKeyframe: frame.isKeyframe, annexB: data)
        }
    }

    /// Demuxes a whole PS file.
    public init(psFile bytes: [UInt8], padToKilobitsPerSecond bitrate: Int? = nil) {
        var demuxer = PSDemuxer()
        var frames = demuxer.feed(bytes)
        frames += demuxer.flush()
        self.init(frames: frames, padToKilobitsPerSecond: bitrate)
    }

    public var loopDuration: Int64 { Int64(frames.count) * frameDuration }
    public var bytesPerLoop: Int { frames.reduce(0) { $0 + $1.data.count } }

    /// Frame `index` of an endless replay: loops restart the file, timestamps keep increasing.
    public func frame(_ index: Int, timestampBase: Int64 = 90_000) -> MediaFrame {
        var frame = frames[index % frames.count]
        let shift = timestampBase + Int64(index / frames.count) * loopDuration
        frame.pts += shift
        frame.dts += shift
        return frame
    }

    static func appendFiller(to data: inout [UInt8], codec: MediaCodec, bytes: Int) {
        data += codec == .h265 ? [0, 0, 0, 1, 0x4C, 0x01] : [0, 0, 0, 1, 0x0C]
        data += repeatElement(0xFF, count: bytes - 7)
        data.append(0x80)  // rbsp_trailing_bits
    }
}
