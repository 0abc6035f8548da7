/// What went wrong in a program stream, and where (`offset` counts bytes from the first byte fed).
/// The demuxer never throws these at its caller: it skips the damage, counts it in `PSDemuxStats` and
/// keeps the last one in `PSDemuxStats.lastError`; the header parsers throw them directly.
public enum PSDemuxError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidPackHeader(offset: Int, reason: String)
    case invalidPESHeader(streamID: UInt8, offset: Int, reason: String)
    case malformedProgramStreamMap(offset: Int, reason: String)
    case lostSync(offset: Int, skippedBytes: Int)
    case pesLengthMismatch(streamID: UInt8, offset: Int, declared: Int, actual: Int)
    case truncated(what: String, offset: Int, needed: Int, available: Int)
    case bufferLimitExceeded(what: String, offset: Int, limit: Int)

    public var description: String {
        switch self {
        case let .invalidPackHeader(offset, reason):
            "pack header (00 00 01 BA) at byte \(offset): \(reason)"
        case let .invalidPESHeader(id, offset, reason):
            "PES header of stream 0x\(String(id, radix: 16)) at byte \(offset): \(reason)"
        case let .malformedProgramStreamMap(offset, reason):
            "program stream map (00 00 01 BC) at byte \(offset): \(reason); resynchronising at the next start code"
        case let .lostSync(offset, skipped):
            "no start code at byte \(offset): skipped \(skipped) bytes to the next 00 00 01"
        case let .pesLengthMismatch(id, offset, declared, actual):
            "PES of stream 0x\(String(id, radix: 16)) at byte \(offset) declares PES_packet_length \(declared) but the next start code is after \(actual) bytes; used \(actual)"
        case let .truncated(what, offset, needed, available):
            "\(what) at byte \(offset) needs \(needed) bytes, input ended after \(available)"
        case let .bufferLimitExceeded(what, offset, limit):
            "\(what) at byte \(offset) exceeded the \(limit)-byte limit; dropped"
        }
    }
}

/// Counters of everything the demuxer saw, kept, skipped or repaired. Cheap to copy.
public struct PSDemuxStats: Sendable, Equatable {
    public var bytesIn = 0
    public var packHeaders = 0
    public var truncatedPackHeaders = 0
    public var systemHeaders = 0
    public var programStreamMaps = 0
    public var malformedProgramStreamMaps = 0
    public var pesPackets = 0
    public var unboundedPESPackets = 0
    public var privateOrPaddingPackets = 0
    public var pesLengthMismatches = 0
    public var corruptPackets = 0
    public var resyncs = 0
    public var skippedBytes = 0
    public var truncatedPackets = 0
    /// Bytes that arrived as a bare Annex B elementary stream (no PS around them, spec §6.6).
    public var elementaryStreamBytes = 0
    public var videoFrames = 0
    public var audioFrames = 0
    public var keyframes = 0
    public var framesWithoutPTS = 0
    /// NAL headers disagreed with the PSM's stream_type (spec §6.6 "wrong stream_type"): NALs won.
    public var codecCorrections = 0
    public var oversizedDrops = 0
    public var bytesDroppedBeforeCodecKnown = 0
    public var lastError: PSDemuxError?

    public init() {}
}
