import NIOCore

/// Turns an MPEG-2 program stream as GB/T 28181 devices send it (spec §6.2, §6.6) into `MediaFrame`s.
///
/// Feed it bytes in any cut (whole file, RTP payloads, TCP reads); it keeps at most
/// `Configuration.maxBufferedBytes` of unparsed input and `maxAccessUnitBytes` per video frame, skips and
/// counts damage (`stats`), and never traps on input. One owner at a time (a struct, not shared).
public struct PSDemuxer: Sendable {
    public struct Configuration: Sendable {
        /// Upper bound for unparsed input held between calls (a PES is at most 65 541 bytes).
        public var maxBufferedBytes = 1 << 20
        /// Upper bound for one video access unit (a 4K IDR is well under 4 MB).
        public var maxAccessUnitBytes = 4 << 20
        /// Audio codec assumed for PES 0xC0.. when no PSM names it (spec §6.6 "missing PSM").
        public var defaultAudioCodec: MediaCodec = .g711a
        public init() {}
    }

    public let configuration: Configuration
    public private(set) var stats = PSDemuxStats()
    /// stream_id → codec from the last PSM.
    public private(set) var streamMap: [UInt8: MediaCodec] = [:]
    public private(set) var lastPackHeader: PSPackHeader?

    private var buffer: ByteBuffer
    /// Stream offset of `buffer.readerIndex`, for error messages.
    private var consumed = 0
    private var video: [UInt8: VideoAccessUnitAssembler] = [:]
    private var unwrappers: [UInt8: TimestampUnwrapper] = [:]
    private var audioNextPTS: [UInt8: Int64] = [:]
    /// Set while copying a video PES with PES_packet_length 0, or bare Annex B, up to the next start code.
    private var streamingVideoID: UInt8?
    private var streamingIsBare = false
    private var fallbackTimestamp: Int64?

    /// Stream id used for bare Annex B input (no PS around it).
    static let bareElementaryStreamID: UInt8 = 0xE0

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        buffer = ByteBufferAllocator().buffer(capacity: 64 * 1024)
    }

    /// Parses what it can of `bytes`. `timestamp` (90 kHz, unwrapped; e.g. the RTP timestamp) is used only
    /// for bare elementary streams, which carry no PTS of their own.
    public mutating func feed(_ bytes: ByteBuffer, timestamp: Int64? = nil) -> [MediaFrame] {
        var frames: [MediaFrame] = []
        feed(bytes, timestamp: timestamp) { frames.append($0) }
        return frames
    }

    public mutating func feed(_ bytes: [UInt8], timestamp: Int64? = nil) -> [MediaFrame] {
        feed(ByteBuffer(bytes: bytes), timestamp: timestamp)
    }

    public mutating func feed(_ bytes: ByteBuffer, timestamp: Int64? = nil, emit: (MediaFrame) -> Void) {
        stats.bytesIn += bytes.readableBytes
        fallbackTimestamp = timestamp
        var bytes = bytes
        buffer.writeBuffer(&bytes)
        parse(final: false, emit: emit)
        compact()
    }

    /// End of input: parses what is left, counts an incomplete packet as truncated and emits the last frames.
    public mutating func flush() -> [MediaFrame] {
        var frames: [MediaFrame] = []
        flush { frames.append($0) }
        return frames
    }

    public mutating func flush(emit: (MediaFrame) -> Void) {
        parse(final: true, emit: emit)
        if buffer.readableBytes > 0 {
            stats.truncatedPackets += 1
            stats.lastError = .truncated(what: "packet", offset: consumed, needed: 4, available: buffer.readableBytes)
            skip(buffer.readableBytes)
        }
        for id in video.keys.sorted() { video[id]?.flush(stats: &stats, emit: emit) }
        compact()
    }

    /// Input was lost (RTP gap given up): drop partial packets and access units, resync at the next
    /// start code, and let the assemblers skip to the next access unit boundary (spec §6.6 "UDP loss").
    public mutating func discontinuity() {
        stats.skippedBytes += buffer.readableBytes
        skip(buffer.readableBytes)
        compact()
        streamingVideoID = nil
        streamingIsBare = false
        for id in video.keys { video[id]?.discardPartialAccessUnit() }
    }

    // MARK: - Parsing

    private mutating func parse(final: Bool, emit: (MediaFrame) -> Void) {
        while true {
            if let id = streamingVideoID {
                guard streamVideo(id: id, final: final, emit: emit) else { return }
                continue
            }
            let start = buffer.readerIndex
            guard buffer.readableBytes >= 4 else { return }
            guard hasStartCode(at: start) else {
                // A 4-byte start code `00 00 00 01` + NAL header: bare Annex B from its first byte.
                if buffer.getInteger(at: start, as: UInt8.self) == 0, hasStartCode(at: start + 1),
                   let nalHeader = buffer.getInteger(at: start + 4, as: UInt8.self), nalHeader < 0xB9 {
                    streamingVideoID = Self.bareElementaryStreamID
                    streamingIsBare = true
                    continue
                }
                if buffer.readableBytes < 5 && !final { return }
                resync(final: final)
                continue
            }
            let id = buffer.getInteger(at: start + 3, as: UInt8.self) ?? 0
            let progressed: Bool
            switch id {
            case 0xBA: progressed = parsePackHeader(at: start, final: final)
            case 0xB9: skip(4); progressed = true
            case 0xBC: progressed = parseProgramStreamMap(at: start, final: final)
            case 0xC0...0xEF: progressed = parsePES(at: start, id: id, final: final, emit: emit)
            case 0xBB, 0xBD...0xBF, 0xF0...0xFF: progressed = skipLengthPrefixed(at: start, id: id, final: final)
            default:
                // `00 00 01` + a NAL header: an elementary stream sent without PS (spec §6.6).
                streamingVideoID = Self.bareElementaryStreamID
                streamingIsBare = true
                progressed = true
            }
            if !progressed { return }
        }
    }

    private mutating func parsePackHeader(at start: Int, final: Bool) -> Bool {
        // Hikvision H.265: `00 00 01 BA` directly followed by another start code (spec §6.6).
        if buffer.readableBytes >= 7, hasStartCode(at: start + 4) {
            stats.truncatedPackHeaders += 1
            skip(4)
            return true
        }
        do throws(PSDemuxError) {
            guard let header = try PSPackHeader.parse(buffer, at: start, streamOffset: consumed) else {
                return waitOrTruncate(final: final, what: "pack header", needed: 14)
            }
            stats.packHeaders += 1
            lastPackHeader = header
            skip(header.length)
        } catch {
            recordCorrupt(error)
        }
        return true
    }

    private mutating func parseProgramStreamMap(at start: Int, final: Bool) -> Bool {
        guard let length = buffer.getInteger(at: start + 4, as: UInt16.self),
              let packet = buffer.getSlice(at: start, length: 6 + Int(length)) else {
            return waitOrTruncate(final: final, what: "program stream map", needed: 6)
        }
        do throws(PSDemuxError) {
            let map = try ProgramStreamMap.parse(packet, streamOffset: consumed)
            stats.programStreamMaps += 1
            for entry in map.entries where entry.codec != .unknown { streamMap[entry.streamID] = entry.codec }
            skip(packet.readableBytes)
        } catch {
            stats.malformedProgramStreamMaps += 1
            recordCorrupt(error)
        }
        return true
    }

    private mutating func skipLengthPrefixed(at start: Int, id: UInt8, final: Bool) -> Bool {
        guard let length = buffer.getInteger(at: start + 4, as: UInt16.self) else {
            return waitOrTruncate(final: final, what: "packet 0x\(String(id, radix: 16))", needed: 6)
        }
        guard buffer.readableBytes >= 6 + Int(length) else {
            return waitOrTruncate(final: final, what: "packet 0x\(String(id, radix: 16))", needed: 6 + Int(length))
        }
        if id == 0xBB { stats.systemHeaders += 1 } else { stats.privateOrPaddingPackets += 1 }
        skip(6 + Int(length))
        return true
    }

    private mutating func parsePES(at start: Int, id: UInt8, final: Bool, emit: (MediaFrame) -> Void) -> Bool {
        let header: PESHeader
        do throws(PSDemuxError) {
            guard let parsed = try PESHeader.parse(buffer, at: start, streamOffset: consumed) else {
                return waitOrTruncate(final: final, what: "PES header", needed: 9)
            }
            header = parsed
        } catch {
            recordCorrupt(error)
            return true
        }
        let isVideo = id >= 0xE0
        if header.packetLength == 0 {
            guard isVideo else {
                recordCorrupt(.invalidPESHeader(streamID: id, offset: consumed, reason: "PES_packet_length 0 is only allowed for video"))
                return true
            }
            // 13818-1 2.4.3.7: unbounded video PES, payload runs to the next start code.
            stats.pesPackets += 1
            stats.unboundedPESPackets += 1
            let pts = header.pts.map { unwrap($0, id: id) }
            let dts = header.dts.map { unwrap($0, id: id) }
            skip(header.headerLength)
            streamingVideoID = id
            pushVideo(id: id, payloadAt: buffer.readerIndex, count: 0, pts: pts, dts: dts, emit: emit)
            return true
        }
        guard let payloadEnd = payloadEnd(of: header, at: start, isVideo: isVideo, final: final) else { return false }
        let payloadStart = start + header.headerLength
        if payloadEnd < payloadStart {
            recordCorrupt(.invalidPESHeader(streamID: id, offset: consumed, reason: "header longer than the packet"))
            return true
        }
        stats.pesPackets += 1
        let pts = header.pts.map { unwrap($0, id: id) }
        let dts = header.dts.map { unwrap($0, id: id) }
        if isVideo {
            pushVideo(id: id, payloadAt: payloadStart, count: payloadEnd - payloadStart, pts: pts, dts: dts, emit: emit)
        } else {
            emitAudio(id: id, payloadAt: payloadStart, count: payloadEnd - payloadStart, pts: pts, emit: emit)
        }
        skip(payloadEnd - start)
        return true
    }

    /// Where the PES payload really ends. A PES_packet_length is trusted when a start code follows it;
    /// otherwise (spec §6.6 "PES length that lies") video is cut at the first PS start code inside or
    /// after the declared end, which never occurs inside H.264/H.265 data. nil = wait for more bytes.
    private mutating func payloadEnd(of header: PESHeader, at start: Int, isVideo: Bool, final: Bool) -> Int? {
        let declaredEnd = start + 6 + header.packetLength
        let available = buffer.writerIndex
        if available < declaredEnd + 4 && !final { return nil }
        if available == declaredEnd || (isVideo ? isPSStartCode(at: declaredEnd) : available > declaredEnd) {
            return declaredEnd
        }
        let searchFrom = start + header.headerLength
        let actualEnd: Int
        if isVideo, let inner = findPSStartCode(from: searchFrom, to: min(declaredEnd, available)) {
            actualEnd = inner
        } else if available < declaredEnd {
            stats.truncatedPackets += 1
            stats.lastError = .truncated(what: "PES 0x\(String(header.streamID, radix: 16))", offset: consumed,
                                         needed: 6 + header.packetLength, available: available - start)
            return available
        } else if let after = findPSStartCode(from: declaredEnd, to: available) {
            actualEnd = after
        } else if !final && available - start < configuration.maxBufferedBytes {
            return nil
        } else {
            actualEnd = available
        }
        stats.pesLengthMismatches += 1
        stats.lastError = .pesLengthMismatch(streamID: header.streamID, offset: consumed,
                                             declared: header.packetLength, actual: actualEnd - start - 6)
        return actualEnd
    }

    /// Copies video bytes up to the next PS start code into the assembler (unbounded PES, bare ES).
    /// Returns false when it needs more input.
    private mutating func streamVideo(id: UInt8, final: Bool, emit: (MediaFrame) -> Void) -> Bool {
        let start = buffer.readerIndex
        let end = buffer.writerIndex
        let next = findPSStartCode(from: start, to: end)
        // Keep 3 bytes back: they may be the beginning of a start code split across inputs.
        let count = next.map { $0 - start } ?? (final ? end - start : max(0, end - start - 3))
        if count > 0 {
            // Bare elementary streams take the caller's (RTP) timestamp, once per input.
            let pts = streamingIsBare ? fallbackTimestamp : nil
            if streamingIsBare {
                stats.elementaryStreamBytes += count
                fallbackTimestamp = nil
            }
            pushVideo(id: id, payloadAt: start, count: count, pts: pts, dts: nil, emit: emit)
            skip(count)
        }
        guard next != nil else { return false }
        streamingVideoID = nil
        streamingIsBare = false
        return true
    }

    private mutating func pushVideo(id: UInt8, payloadAt offset: Int, count: Int, pts: Int64?, dts: Int64?,
                                    emit: (MediaFrame) -> Void) {
        let declared = streamMap[id] ?? .unknown
        if declared == .svac {
            // SVAC is not Annex B H.264/H.265: one PES is one frame.
            if count > 0, let bytes = buffer.getBytes(at: offset, length: count) {
                stats.videoFrames += 1
                emit(MediaFrame(codec: .svac, pts: pts ?? 0, dts: dts, isKeyframe: false, annexB: bytes, nalUnits: []))
            }
            return
        }
        var assembler = video.removeValue(forKey: id)
            ?? VideoAccessUnitAssembler(codec: declared, maxAccessUnitBytes: configuration.maxAccessUnitBytes)
        buffer.withUnsafeReadableBytes { raw in
            let base = offset - buffer.readerIndex
            let slice = UnsafeRawBufferPointer(rebasing: raw[base..<(base + count)])
            assembler.push(slice, pts: pts, dts: dts, stats: &stats, emit: emit)
        }
        video[id] = assembler
    }

    private mutating func emitAudio(id: UInt8, payloadAt offset: Int, count: Int, pts: Int64?, emit: (MediaFrame) -> Void) {
        guard count > 0, let bytes = buffer.getBytes(at: offset, length: count) else { return }
        let codec = streamMap[id] ?? configuration.defaultAudioCodec
        let timestamp: Int64
        if let pts {
            timestamp = pts
        } else {
            stats.framesWithoutPTS += 1
            timestamp = audioNextPTS[id] ?? 0
        }
        // G.711 is 8 kHz, one byte per sample: 90 000 / 8 000 ticks per byte.
        if codec == .g711a || codec == .g711u { audioNextPTS[id] = timestamp + Int64(count) * 90 / 8 }
        stats.audioFrames += 1
        emit(MediaFrame(audio: codec, pts: timestamp, data: bytes))
    }

    // MARK: - Byte-level helpers

    private mutating func unwrap(_ raw: UInt64, id: UInt8) -> Int64 {
        var u = unwrappers[id] ?? TimestampUnwrapper(bits: 33)
        let value = u.unwrap(raw)
        unwrappers[id] = u
        return value
    }

    private func hasStartCode(at i: Int) -> Bool {
        guard let v = buffer.getInteger(at: i, as: UInt32.self) else { return false }
        return v >> 8 == 1
    }

    /// `00 00 01` followed by a stream id (≥ 0xB9): never inside H.264/H.265 data, whose NAL headers are < 0x80.
    private func isPSStartCode(at i: Int) -> Bool {
        guard let v = buffer.getInteger(at: i, as: UInt32.self) else { return false }
        return v >> 8 == 1 && v & 0xFF >= 0xB9
    }

    private func findPSStartCode(from: Int, to: Int) -> Int? {
        guard to - from >= 4 else { return nil }
        return buffer.withUnsafeReadableBytes { raw -> Int? in
            let base = buffer.readerIndex
            let region = UnsafeBufferPointer(rebasing: raw.bindMemory(to: UInt8.self)[(from - base)..<(to - base)])
            var i = 0
            while let sc = AnnexB.findStartCode(in: region, from: i) {
                if sc + 3 < region.count, region[sc + 3] >= 0xB9 { return from + sc }
                i = sc + 1
            }
            return nil
        }
    }

    private mutating func resync(final: Bool) {
        let next: Int? = buffer.withUnsafeReadableBytes { raw in
            AnnexB.findStartCode(in: raw.bindMemory(to: UInt8.self), from: 1)
        }
        let skipped = next ?? (final ? buffer.readableBytes : max(1, buffer.readableBytes - 2))
        stats.resyncs += 1
        stats.skippedBytes += skipped
        stats.lastError = .lostSync(offset: consumed, skippedBytes: skipped)
        skip(skipped)
    }

    private mutating func recordCorrupt(_ error: PSDemuxError) {
        stats.corruptPackets += 1
        stats.lastError = error
        // Step over the start code only: the next `00 00 01` is found by resync.
        skip(min(4, buffer.readableBytes))
    }

    /// Returns false (wait) unless the input has ended, in which case the rest is counted as truncated.
    private mutating func waitOrTruncate(final: Bool, what: String, needed: Int) -> Bool {
        if buffer.readableBytes > configuration.maxBufferedBytes {
            stats.oversizedDrops += 1
            recordCorrupt(.bufferLimitExceeded(what: what, offset: consumed, limit: configuration.maxBufferedBytes))
            return true
        }
        guard final else { return false }
        stats.truncatedPackets += 1
        stats.lastError = .truncated(what: what, offset: consumed, needed: needed, available: buffer.readableBytes)
        skip(buffer.readableBytes)
        return false
    }

    private mutating func skip(_ n: Int) {
        buffer.moveReaderIndex(forwardBy: n)
        consumed += n
    }

    private mutating func compact() {
        if buffer.readerIndex > 64 * 1024 || buffer.readableBytes == 0 { buffer.discardReadBytes() }
    }
}
