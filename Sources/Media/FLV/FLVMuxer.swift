import NIOCore

/// Frames → FLV for HTTP-FLV (Adobe FLV spec v10.1 Annex E): header, onMetaData, the decoder
/// configuration, then one tag per frame. H.264 uses the classic AVC tags (CodecID 7); H.265 uses the
/// enhanced-FLV extended video header with FourCC `hvc1` (Enhanced RTMP v1, what flv.js/mpegts.js,
/// OBS and FFmpeg ≥ 6.1 read). G.711 audio uses SoundFormat 7 (A-law) / 8 (µ-law), 8 kHz mono.
public struct FLVMuxer {
    public let video: CodecParameters
    public let audioCodec: MediaCodec?
    public private(set) var droppedBeforeKeyframe = 0
    private var origin: Int64?

    public init(video: CodecParameters, audio: MediaCodec? = nil) {
        self.video = video
        self.audioCodec = audio == .g711a || audio == .g711u ? audio : nil
    }

    static let tagAudio: UInt8 = 8
    static let tagVideo: UInt8 = 9
    static let tagScript: UInt8 = 18
    static let hevcFourCC: [UInt8] = Array("hvc1".utf8)

    /// FLV header, PreviousTagSize0, onMetaData and the video sequence header: send before any frame.
    public func header() -> ByteBuffer {
        var out = ByteBufferAllocator().buffer(capacity: 1024)
        out.writeBytes(Array("FLV".utf8))
        out.writeInteger(UInt8(1))
        out.writeInteger(UInt8(0x01 | (audioCodec != nil ? 0x04 : 0)))
        out.writeInteger(UInt32(9))
        out.writeInteger(UInt32(0))
        writeMetadata(into: &out)
        var body: [UInt8]
        if video.codec == .h265 {
            body = [0x80 | 0x10 | 0x00] + Self.hevcFourCC   // ExHeader, keyframe, PacketType SequenceStart
            body += DecoderConfigurationRecord.hevc(video)
        } else {
            body = [0x17, 0x00, 0x00, 0x00, 0x00]             // keyframe + AVC, sequence header, cts 0
            body += DecoderConfigurationRecord.avc(video)
        }
        writeTag(type: Self.tagVideo, timestamp: 0, into: &out) { $0.writeBytes(body) }
        return out
    }

    /// One tag for the frame, or nil (video before the first keyframe, audio of another codec).
    public mutating func append(_ frame: MediaFrame) -> ByteBuffer? {
        if frame.codec.isAudio {
            guard frame.codec == audioCodec, let origin else { return nil }
            var out = ByteBufferAllocator().buffer(capacity: frame.data.count + 20)
            let soundFormat: UInt8 = frame.codec == .g711u ? 8 : 7
            writeTag(type: Self.tagAudio, timestamp: milliseconds(frame.pts - origin), into: &out) { body in
                body.writeInteger(soundFormat << 4 | 0x02)  // 16-bit mono; the rate bits are ignored for G.711
                body.writeBytes(frame.data)
            }
            return out
        }
        guard frame.codec == video.codec else { return nil }
        if origin == nil {
            guard frame.isKeyframe else {
                droppedBeforeKeyframe += 1
                return nil
            }
            origin = frame.dts
        }
        let base = origin ?? frame.dts
        let dropParameterSets = video.codec == .h265
        var out = ByteBufferAllocator().buffer(capacity: frame.lengthPrefixedSize(droppingParameterSets: dropParameterSets) + 24)
        let cts = milliseconds(frame.pts - frame.dts)
        writeTag(type: Self.tagVideo, timestamp: milliseconds(frame.dts - base), into: &out) { body in
            let frameType: UInt8 = frame.isKeyframe ? 1 : 2
            if video.codec == .h265 {
                body.writeInteger(0x80 | frameType << 4 | 0x01)  // ExHeader, PacketType CodedFrames
                body.writeBytes(Self.hevcFourCC)
            } else {
                body.writeInteger(frameType << 4 | 0x07)
                body.writeInteger(UInt8(1))                      // AVC NALU
            }
            body.writeInteger(UInt8(truncatingIfNeeded: cts >> 16))
            body.writeInteger(UInt16(truncatingIfNeeded: cts))
            for range in frame.nalUnits where frame.keepsInSample(range, droppingParameterSets: dropParameterSets) {
                body.writeInteger(UInt32(range.count))
                body.writeBytes(frame.data[range])
            }
        }
        return out
    }

    private func milliseconds(_ ticks: Int64) -> Int32 {
        Int32(truncatingIfNeeded: ticks / 90)
    }

    private func writeMetadata(into out: inout ByteBuffer) {
        var entries: [(String, AMF0Value)] = [
            ("duration", .number(0)),
            ("width", .number(Double(video.width))),
            ("height", .number(Double(video.height))),
            // Enhanced FLV puts the FourCC's value where the CodecID was.
            ("videocodecid", .number(video.codec == .h265 ? Double(0x6876_6331) : 7)),
        ]
        if let rate = video.frameRate { entries.append(("framerate", .number(rate))) }
        if let audioCodec {
            entries += [("audiocodecid", .number(audioCodec == .g711u ? 8 : 7)), ("audiosamplerate", .number(8000)),
                        ("audiosamplesize", .number(16)), ("stereo", .boolean(false))]
        }
        writeTag(type: Self.tagScript, timestamp: 0, into: &out) { body in
            AMF0Value.string("onMetaData").write(to: &body)
            AMF0Value.ecmaArray(entries).write(to: &body)
        }
    }

    /// FLV tag header (11 bytes), body, PreviousTagSize.
    private func writeTag(type: UInt8, timestamp: Int32, into out: inout ByteBuffer, body: (inout ByteBuffer) -> Void) {
        let start = out.writerIndex
        out.writeInteger(type)
        out.writeBytes([0, 0, 0])  // DataSize, patched below
        let ts = UInt32(bitPattern: max(0, timestamp))
        out.writeBytes([UInt8(ts >> 16 & 0xFF), UInt8(ts >> 8 & 0xFF), UInt8(ts & 0xFF), UInt8(ts >> 24)])
        out.writeBytes([0, 0, 0])  // StreamID
        body(&out)
        let dataSize = out.writerIndex - start - 11
        out.setBytes([UInt8(dataSize >> 16 & 0xFF), UInt8(dataSize >> 8 & 0xFF), UInt8(dataSize & 0xFF)], at: start + 1)
        out.writeInteger(UInt32(dataSize + 11))
    }
}
