/// Cuts an H.264/H.265 Annex B elementary stream, arriving in arbitrary pieces (PES payloads, RTP
/// payloads), into access units (H.264 7.4.1.2.3, H.265 7.4.2.4.4). An access unit is complete when the
/// first NAL of the next one arrives, so frames come out one access unit late unless `flush` is called.
///
/// Timestamps follow ISO/IEC 13818-1 2.4.3.7: a PTS given with a piece belongs to the first access unit
/// that *starts* in that piece. Access units without one get the previous PTS plus one frame duration.
struct VideoAccessUnitAssembler {
    private(set) var codec: MediaCodec
    let maxAccessUnitBytes: Int

    private var es: [UInt8] = []
    private var scanPosition = 0
    /// Per NAL of the current access unit: where its start code begins (including a 4-byte start code's
    /// leading zero) and where the NAL itself begins.
    private var startCodeOffsets: [Int] = []
    private var nalOffsets: [Int] = []
    private var hasVCL = false
    private var isKeyframe = false
    private var discardingUntilNextAccessUnit = false
    private var pendingTimestamp: (offset: Int, pts: Int64, dts: Int64)?
    private var accessUnitTimestamp: (pts: Int64, dts: Int64)?
    private var lastPTS: Int64?
    private var lastDTS: Int64?
    private(set) var frameDuration: Int64 = 3600

    init(codec: MediaCodec, maxAccessUnitBytes: Int) {
        self.codec = codec
        self.maxAccessUnitBytes = maxAccessUnitBytes
        es.reserveCapacity(64 * 1024)
    }

    mutating func push(_ bytes: UnsafeRawBufferPointer, pts: Int64?, dts: Int64?,
                       stats: inout PSDemuxStats, emit: (MediaFrame) -> Void) {
        if let pts { pendingTimestamp = (es.count, pts, dts ?? pts) }
        es.append(contentsOf: bytes)
        scan(stats: &stats, emit: emit)
        if es.count > maxAccessUnitBytes {
            stats.oversizedDrops += 1
            stats.lastError = .bufferLimitExceeded(what: "\(codec) access unit", offset: stats.bytesIn, limit: maxAccessUnitBytes)
            resetAccessUnit(dropping: es.count)
            discardingUntilNextAccessUnit = true
        }
    }

    /// Emits the access unit in progress (end of input, or a caller that trusts its packet boundaries).
    mutating func flush(stats: inout PSDemuxStats, emit: (MediaFrame) -> Void) {
        if hasVCL && !discardingUntilNextAccessUnit {
            emitAccessUnit(endingAt: es.count, stats: &stats, emit: emit)
        }
        resetAccessUnit(dropping: es.count)
    }

    /// Forgets the access unit in progress and waits for the first NAL of the next one.
    mutating func discardPartialAccessUnit() {
        resetAccessUnit(dropping: es.count)
        pendingTimestamp = nil
        discardingUntilNextAccessUnit = true
    }

    private mutating func scan(stats: inout PSDemuxStats, emit: (MediaFrame) -> Void) {
        while true {
            let found: Int? = es.withUnsafeBufferPointer { AnnexB.findStartCode(in: $0, from: scanPosition) }
            guard let startCode = found else {
                scanPosition = max(scanPosition, es.count - 2)
                return
            }
            // Three header bytes decide everything (H.265 needs the first slice flag in byte 2).
            guard startCode + 6 <= es.count else {
                scanPosition = startCode
                return
            }
            scanPosition = startCode + 3
            handleNAL(startCode: startCode, stats: &stats, emit: emit)
        }
    }

    private mutating func handleNAL(startCode: Int, stats: inout PSDemuxStats, emit: (MediaFrame) -> Void) {
        var startCode = startCode
        let b0 = es[startCode + 3], b1 = es[startCode + 4], b2 = es[startCode + 5]
        var cut = startCode > 0 && es[startCode - 1] == 0 ? startCode - 1 : startCode
        if let sniffed = NALUnitKind.sniffCodec(nalHeader: b0, b1), sniffed != codec {
            // Spec §6.6: trust the NAL headers over the PSM. Whatever was gathered under the wrong codec is dropped.
            if codec != .unknown { stats.codecCorrections += 1 } else { stats.bytesDroppedBeforeCodecKnown += cut }
            codec = sniffed
            startCode -= cut
            resetAccessUnit(dropping: cut)
            cut = 0
        }
        guard codec == .h264 || codec == .h265 else {
            // Until a parameter set names the codec, nothing can be decoded: keep the buffer small.
            stats.bytesDroppedBeforeCodecKnown += cut
            resetAccessUnit(dropping: cut)
            return
        }
        let startsNew = NALUnitKind.startsAccessUnit(codec: codec, b0, b1, b2)
        if discardingUntilNextAccessUnit {
            guard startsNew else { return }
            discardingUntilNextAccessUnit = false
            startCode -= cut
            resetAccessUnit(dropping: cut)
            cut = 0
        } else if hasVCL && startsNew {
            emitAccessUnit(endingAt: cut, stats: &stats, emit: emit)
            startCode -= cut
            resetAccessUnit(dropping: cut)
            cut = 0
        } else if nalOffsets.isEmpty && cut > 0 {
            // Bytes before the first start code: the tail of a NAL we joined in the middle of.
            stats.skippedBytes += cut
            startCode -= cut
            resetAccessUnit(dropping: cut)
            cut = 0
        }
        if nalOffsets.isEmpty {
            if let pending = pendingTimestamp, pending.offset <= startCode {
                accessUnitTimestamp = (pending.pts, pending.dts)
                pendingTimestamp = nil
            } else {
                accessUnitTimestamp = nil
            }
        }
        startCodeOffsets.append(cut)
        nalOffsets.append(startCode + 3)
        if NALUnitKind.isVCL(codec: codec, b0) { hasVCL = true }
        if NALUnitKind.isKeyframeNAL(codec: codec, b0) { isKeyframe = true }
    }

    private mutating func emitAccessUnit(endingAt end: Int, stats: inout PSDemuxStats, emit: (MediaFrame) -> Void) {
        let data = Array(es[0..<end])
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(nalOffsets.count)
        for (i, start) in nalOffsets.enumerated() {
            var stop = i + 1 < startCodeOffsets.count ? startCodeOffsets[i + 1] : end
            while stop > start && data[stop - 1] == 0 { stop -= 1 }
            if stop > start { ranges.append(start..<stop) }
        }
        let pts: Int64
        let dts: Int64
        if let ts = accessUnitTimestamp {
            if let lastPTS, ts.pts > lastPTS, ts.pts - lastPTS < MediaFrame.clockRate {
                frameDuration = ts.pts - lastPTS
            }
            (pts, dts) = ts
        } else {
            stats.framesWithoutPTS += 1
            pts = (lastPTS ?? 0) + frameDuration
            dts = (lastDTS ?? 0) + frameDuration
        }
        lastPTS = pts
        lastDTS = dts
        stats.videoFrames += 1
        if isKeyframe { stats.keyframes += 1 }
        emit(MediaFrame(codec: codec, pts: pts, dts: dts, isKeyframe: isKeyframe, annexB: data, nalUnits: ranges))
    }

    /// Drops `count` leading bytes and forgets the access unit's NALs (the new one starts at offset 0).
    private mutating func resetAccessUnit(dropping count: Int) {
        if count >= es.count {
            es.removeAll(keepingCapacity: true)
        } else if count > 0 {
            es.removeSubrange(0..<count)
        }
        scanPosition = max(0, scanPosition - count)
        if let pending = pendingTimestamp { pendingTimestamp = (max(0, pending.offset - count), pending.pts, pending.dts) }
        startCodeOffsets.removeAll(keepingCapacity: true)
        nalOffsets.removeAll(keepingCapacity: true)
        hasVCL = false
        isKeyframe = false
    }
}
