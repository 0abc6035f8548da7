import Foundation
import GBCore

/// Turns a byte stream in UTF-8 (with or without BOM) or GB 18030/GBK into UTF-8, chunk by chunk.
/// The charset is detected, not asked (Excel in China writes GB 18030 "CSV"; "CSV UTF-8" adds a BOM).
/// Chunks are cut after a line feed: 0x0A is never part of a multi-byte character in either charset.
struct ChunkTranscoder {
    enum Charset: String, Sendable {
        case utf8 = "UTF-8"
        case gb18030 = "GB18030"
    }

    private(set) var charset: Charset?
    private var carry: [UInt8] = []
    private var sawNonASCII = false
    private(set) var issues: [String] = []

    /// Feeds raw bytes; returns UTF-8 bytes for the complete lines among them.
    mutating func feed(_ bytes: [UInt8], final: Bool) throws -> [UInt8] {
        carry.append(contentsOf: bytes)
        if charset == nil { try detect(final: final) }
        guard charset != nil else { return [] }
        let cut: Int
        if final {
            cut = carry.count
        } else if let lastNewline = carry.lastIndex(of: 0x0A) {
            cut = lastNewline + 1
        } else {
            return []
        }
        let piece = Array(carry[..<cut])
        carry.removeSubrange(..<cut)
        return transcode(piece)
    }

    private mutating func detect(final: Bool) throws {
        // Wait for enough bytes to judge, unless the file is that short.
        guard carry.count >= 65_536 || final else { return }
        if carry.starts(with: [0xEF, 0xBB, 0xBF]) {
            carry.removeFirst(3)
            charset = .utf8
        } else if carry.starts(with: [0xFF, 0xFE]) || carry.starts(with: [0xFE, 0xFF]) {
            throw TableReadError.unsupportedEncoding("UTF-16")
        } else {
            let sample = carry.lastIndex(of: 0x0A).map { Array(carry[...$0]) } ?? carry
            charset = String(validating: sample, as: UTF8.self) != nil ? .utf8 : .gb18030
        }
    }

    private mutating func transcode(_ piece: [UInt8]) -> [UInt8] {
        let hasNonASCII = piece.contains { $0 >= 0x80 }
        guard hasNonASCII else { return piece }
        defer { sawNonASCII = true }
        switch charset {
        case .utf8:
            if String(validating: piece, as: UTF8.self) != nil { return piece }
            // A file that was pure ASCII so far may turn out to be GB 18030 further down.
            if !sawNonASCII, let decoded = GB18030.decode(piece) {
                charset = .gb18030
                return Array(decoded.utf8)
            }
            issues.append("bytes that are not UTF-8 were decoded as GB18030")
            return GB18030.decode(piece).map { Array($0.utf8) } ?? Array(String(decoding: piece, as: UTF8.self).utf8)
        case .gb18030, nil:
            if let decoded = GB18030.decode(piece) { return Array(decoded.utf8) }
            issues.append("bytes that are not GB18030 were replaced")
            return Array(String(decoding: piece, as: UTF8.self).utf8)
        }
    }
}
