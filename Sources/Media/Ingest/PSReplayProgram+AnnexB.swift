extension PSReplayProgram {
    /// An Annex B elementary stream (`.h264`/`.h265`, as `ffmpeg -f h264|hevc` writes it) cut into access
    /// units. A raw stream carries no timestamps, so frames are `frameDuration` apart (3600 = 25 fps, what
    /// cameras send by default); the assembler is the demuxer's, so a frame here is a frame there.
    public init(annexB bytes: [UInt8], codec: MediaCodec, frameDuration: Int64 = 3600) {
        var assembler = VideoAccessUnitAssembler(codec: codec, maxAccessUnitBytes: max(bytes.count, 1))
        var stats = PSDemuxStats()
        var frames: [MediaFrame] = []
        bytes.withUnsafeBytes { raw in
            assembler.push(raw, pts: 0, dts: 0, stats: &stats) { frames.append($0) }
        }
        assembler.flush(stats: &stats) { frames.append($0) }
        // The assembler spaces frames without a PTS by its own default; respace them as asked.
        for index in frames.indices {
            frames[index].pts = Int64(index) * frameDuration
            frames[index].dts = frames[index].pts
        }
        self.init(frames: frames)
    }
}
