import NIOCore

/// Frames → fragmented MP4: `initializationSegment` (ftyp+moov) once, then moof+mdat fragments, one per
/// GOP (HLS fMP4 segments, recording) or per frame (low-latency MSE). A fragment is complete when the
/// frame after it arrives, because the last sample's duration is the DTS delta to that frame.
public struct FragmentedMP4Muxer: Sendable {
    public enum FragmentMode: Sendable { case perGOP, perFrame }

    public let video: CodecParameters
    public let audioCodec: MediaCodec?
    public let mode: FragmentMode
    /// Video frames before the first keyframe, which no fragment may start with.
    public private(set) var droppedBeforeKeyframe = 0

    private var pendingVideo: [MediaFrame] = []
    private var pendingAudio: [MediaFrame] = []
    private var sequenceNumber: UInt32 = 0
    private var origin: Int64?
    private var lastVideoDuration: Int64 = 3600

    /// `audio` may be `.g711a` or `.g711u`; other audio frames are ignored.
    public init(video: CodecParameters, audio: MediaCodec? = nil, mode: FragmentMode = .perGOP) {
        self.video = video
        self.audioCodec = audio == .g711a || audio == .g711u ? audio : nil
        self.mode = mode
        if let rate = video.frameRate, rate > 0 { lastVideoDuration = Int64((90_000 / rate).rounded()) }
    }

    /// MIME type for MSE `addSourceBuffer` / HLS CODECS, e.g. `video/mp4; codecs="avc1.4d0028"`.
    public var mimeType: String {
        var codecs = video.rfc6381Codec
        if let audioCodec { codecs += audioCodec == .g711u ? ",ulaw" : ",alaw" }
        return "video/mp4; codecs=\"\(codecs)\""
    }

    /// Written into the initialization segment's user data (moov/udta/©cmt) when set.
    public var comment: String?

    public func initializationSegment() -> ByteBuffer {
        MP4InitializationSegment.build(video: video, audio: audioCodec, comment: comment)
    }

    /// Adds a frame; returns a finished fragment when this frame closes one.
    public mutating func append(_ frame: MediaFrame) -> ByteBuffer? {
        if frame.codec.isAudio {
            guard frame.codec == audioCodec, origin != nil else { return nil }
            pendingAudio.append(frame)
            return nil
        }
        guard frame.codec == video.codec else { return nil }
        if pendingVideo.isEmpty {
            guard frame.isKeyframe else {
                droppedBeforeKeyframe += 1
                return nil
            }
            if origin == nil { origin = frame.dts }
            pendingVideo.append(frame)
            return nil
        }
        let closes = mode == .perFrame || frame.isKeyframe
        guard closes else {
            pendingVideo.append(frame)
            return nil
        }
        let fragment = makeFragment(nextVideoDTS: frame.dts)
        pendingVideo = [frame]
        return fragment
    }

    /// Emits what is buffered; the last sample gets the previous frame duration.
    public mutating func flush() -> ByteBuffer? {
        guard !pendingVideo.isEmpty else { return nil }
        let fragment = makeFragment(nextVideoDTS: nil)
        pendingVideo.removeAll()
        return fragment
    }

    private mutating func makeFragment(nextVideoDTS: Int64?) -> ByteBuffer {
        sequenceNumber += 1
        let origin = self.origin ?? 0
        var durations: [UInt32] = []
        durations.reserveCapacity(pendingVideo.count)
        for i in pendingVideo.indices {
            let next = i + 1 < pendingVideo.count ? pendingVideo[i + 1].dts : nextVideoDTS
            if let next, next > pendingVideo[i].dts { lastVideoDuration = next - pendingVideo[i].dts }
            durations.append(UInt32(clamping: lastVideoDuration))
        }
        let dropParameterSets = video.codec == .h265
        let videoSizes = pendingVideo.map { $0.lengthPrefixedSize(droppingParameterSets: dropParameterSets) }
        // Audio samples that start before the end of this fragment's video go with it.
        let videoEnd = (pendingVideo.last?.dts ?? 0) + Int64(durations.last ?? 0)
        let audio = pendingAudio.prefix { $0.pts < videoEnd }
        pendingAudio.removeFirst(audio.count)

        var w = MP4BoxWriter(capacity: videoSizes.reduce(0, +) + audio.reduce(0) { $0 + $1.data.count } + 1024)
        var dataOffsetPositions: [Int] = []
        w.box("moof") { w in
            w.fullBox("mfhd", version: 0, flags: 0) { w in w.u32(sequenceNumber) }
            w.box("traf") { w in
                w.fullBox("tfhd", version: 0, flags: 0x02_0000) { w in w.u32(MP4InitializationSegment.videoTrackID) }
                w.fullBox("tfdt", version: 1, flags: 0) { w in w.u64(UInt64(max(0, (pendingVideo.first?.dts ?? origin) - origin))) }
                // data-offset, duration, size, flags, composition time offset (version 1: signed).
                w.fullBox("trun", version: 1, flags: 0x000F01) { w in
                    w.u32(UInt32(pendingVideo.count))
                    dataOffsetPositions.append(w.buffer.writerIndex)
                    w.i32(0)
                    for (i, frame) in pendingVideo.enumerated() {
                        w.u32(durations[i])
                        w.u32(UInt32(videoSizes[i]))
                        // 14496-12 8.8.3.1: sample_depends_on 2 (sync) vs 1 + sample_is_non_sync_sample.
                        w.u32(frame.isKeyframe ? 0x0200_0000 : 0x0101_0000)
                        w.i32(Int32(clamping: frame.pts - frame.dts))
                    }
                }
            }
            if !audio.isEmpty {
                w.box("traf") { w in
                    w.fullBox("tfhd", version: 0, flags: 0x02_0000) { w in w.u32(MP4InitializationSegment.audioTrackID) }
                    let start = max(0, (audio.first?.pts ?? origin) - origin) * Int64(MP4InitializationSegment.audioTimescale) / 90_000
                    w.fullBox("tfdt", version: 1, flags: 0) { w in w.u64(UInt64(start)) }
                    w.fullBox("trun", version: 0, flags: 0x000301) { w in
                        w.u32(UInt32(audio.count))
                        dataOffsetPositions.append(w.buffer.writerIndex)
                        w.i32(0)
                        for frame in audio {
                            w.u32(UInt32(frame.data.count))  // G.711: one byte per 8 kHz sample
                            w.u32(UInt32(frame.data.count))
                        }
                    }
                }
            }
        }
        let moofSize = w.buffer.writerIndex
        let mdatHeader = 8
        w.buffer.setInteger(Int32(moofSize + mdatHeader), at: dataOffsetPositions[0])
        if dataOffsetPositions.count > 1 {
            w.buffer.setInteger(Int32(moofSize + mdatHeader + videoSizes.reduce(0, +)), at: dataOffsetPositions[1])
        }
        w.box("mdat") { w in
            for frame in pendingVideo {
                for range in frame.nalUnits where frame.keepsInSample(range, droppingParameterSets: dropParameterSets) {
                    w.u32(UInt32(range.count))
                    w.buffer.writeBytes(frame.data[range])
                }
            }
            for frame in audio { w.buffer.writeBytes(frame.data) }
        }
        return w.buffer
    }
}
