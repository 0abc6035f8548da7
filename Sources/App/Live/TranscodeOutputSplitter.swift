import Media

/// Cuts the Annex B byte stream ffmpeg writes on stdout, in whatever pieces the pipe delivers, into
/// access units (H.264 7.4.1.2.3 / H.265 7.4.2.4.4, with Media's `NALUnitKind` rules): an access unit is
/// complete when the first NAL of the next one starts, so each comes out one frame late (40 ms at 25 fps)
/// unless `flush` is called at the end of the stream.
///
/// Media's `VideoAccessUnitAssembler` does the same for the PS demuxer but is internal to Media and
/// carries PES timestamps this output does not have (the transcoder maps timestamps itself).
struct TranscodeOutputSplitter {
    struct AccessUnit: Sendable {
        var data: [UInt8]
        var isKeyframe: Bool
    }

    let codec: MediaCodec
    /// An access unit bigger than this is dropped (ffmpeg would have to be broken to write one).
    let maxAccessUnitBytes: Int

    private var es: [UInt8] = []
    private var scanPosition = 0
    private var nalCount = 0
    private var hasVCL = false
    private var isKeyframe = false
    private var discarding = false
    private(set) var droppedBytes = 0

    init(codec: MediaCodec, maxAccessUnitBytes: Int = 8 << 20) {
        self.codec = codec
        self.maxAccessUnitBytes = maxAccessUnitBytes
        es.reserveCapacity(256 * 1024)
    }

    mutating func push(_ bytes: [UInt8]) -> [AccessUnit] {
        var out: [AccessUnit] = []
        es.append(contentsOf: bytes)
        while true {
            let found: Int? = es.withUnsafeBufferPointer { AnnexB.findStartCode(in: $0, from: scanPosition) }
            guard let startCode = found else {
                scanPosition = max(scanPosition, es.count - 2)
                break
            }
            // Three NAL header bytes decide (the H.265 first-slice flag is in the third).
            guard startCode + 6 <= es.count else {
                scanPosition = startCode
                break
            }
            scanPosition = startCode + 3
            handleNAL(at: startCode, into: &out)
        }
        if es.count > maxAccessUnitBytes {
            droppedBytes += es.count
            reset(dropping: es.count)
            discarding = true
        }
        return out
    }

    /// End of stream: the access unit in progress.
    mutating func flush() -> [AccessUnit] {
        defer { reset(dropping: es.count) }
        guard hasVCL, !discarding else { return [] }
        return [AccessUnit(data: es, isKeyframe: isKeyframe)]
    }

    private mutating func handleNAL(at startCode: Int, into out: inout [AccessUnit]) {
        let b0 = es[startCode + 3], b1 = es[startCode + 4], b2 = es[startCode + 5]
        // A 4-byte start code's leading zero belongs to the next access unit.
        let cut = startCode > 0 && es[startCode - 1] == 0 ? startCode - 1 : startCode
        let startsNew = NALUnitKind.startsAccessUnit(codec: codec, b0, b1, b2)
        if discarding {
            guard startsNew else { return }
            discarding = false
            reset(dropping: cut)
        } else if hasVCL && startsNew {
            out.append(AccessUnit(data: Array(es[0..<cut]), isKeyframe: isKeyframe))
            reset(dropping: cut)
        } else if nalCount == 0 && cut > 0 {
            droppedBytes += cut
            reset(dropping: cut)
        }
        nalCount += 1
        if NALUnitKind.isVCL(codec: codec, b0) { hasVCL = true }
        if NALUnitKind.isKeyframeNAL(codec: codec, b0) { isKeyframe = true }
    }

    private mutating func reset(dropping count: Int) {
        if count >= es.count {
            es.removeAll(keepingCapacity: true)
        } else if count > 0 {
            es.removeSubrange(0..<count)
        }
        scanPosition = max(0, scanPosition - count)
        nalCount = 0
        hasVCL = false
        isKeyframe = false
    }
}
