import Foundation
#if canImport(CoreFoundation)
import CoreFoundation
#endif

/// A charset name as it appears in an XML declaration of a MANSCDP body (GB/T 28181 §6.10; spec §1.5).
public enum DeclaredCharset: Sendable, Equatable, CustomStringConvertible {
    case gb2312
    case gbk
    case gb18030
    case utf8
    /// Any other label, kept verbatim (for example `ISO-8859-1`).
    case other(String)

    /// Maps a declaration label case-insensitively; `UTF8` and `GB_2312-80` style variants are accepted.
    public init(label: String) {
        let key = label.trimmingCharacters(in: .whitespaces).uppercased()
            .replacingOccurrences(of: "_", with: "").replacingOccurrences(of: "-", with: "")
        switch key {
        case "GB2312", "GB231280", "EUCCN", "CSGB2312": self = .gb2312
        case "GBK", "CP936", "WINDOWS936", "MS936": self = .gbk
        case "GB18030", "GB180302000", "GB180302005", "GB180302022": self = .gb18030
        case "UTF8": self = .utf8
        default: self = .other(label)
        }
    }

    /// True for the GB family, whose bytes we always decode as GB 18030 (its superset).
    public var isGBFamily: Bool {
        switch self {
        case .gb2312, .gbk, .gb18030: return true
        case .utf8, .other: return false
        }
    }

    public var description: String {
        switch self {
        case .gb2312: return "GB2312"
        case .gbk: return "GBK"
        case .gb18030: return "GB18030"
        case .utf8: return "UTF-8"
        case .other(let label): return label
        }
    }
}

/// What the bytes of a received body actually were, found by inspection rather than by declaration.
public enum DetectedCharset: String, Sendable, Equatable {
    /// Only 7-bit bytes: every declaration is truthful for them.
    case ascii
    /// Valid UTF-8 with at least one non-ASCII character.
    case utf8
    /// Not valid UTF-8; decoded as GB 18030 (covers GB 2312 and GBK bytes).
    case gb18030
}

/// The charset we write for one peer: a per-device setting (spec §1.5 send strategy, [W] stores `charset` per device).
public enum OutgoingCharset: String, Sendable, Equatable, CaseIterable {
    /// GB 18030 bytes declared `GB2312`: what 2016 devices expect; identical bytes for GB 2312 characters.
    case gb2312
    /// GB 18030 bytes declared `GB18030`: for peers that announced `X-GB-Ver: 3.0` (2022 §6.10).
    case gb18030
    /// UTF-8 bytes declared `UTF-8`: only for peers configured so.
    case utf8

    /// The label written into `<?xml version="1.0" encoding="..."?>`.
    public var declarationLabel: String {
        switch self {
        case .gb2312: return "GB2312"
        case .gb18030: return "GB18030"
        case .utf8: return "UTF-8"
        }
    }

    /// The XML declaration line, without line ending.
    public var declaration: String { "<?xml version=\"1.0\" encoding=\"\(declarationLabel)\"?>" }

    /// Encodes text to this charset's bytes.
    /// - Throws: `MANSCDPError.unencodableText` if Foundation cannot encode the text (not expected for valid Swift strings).
    public func encode(_ text: String) throws(MANSCDPError) -> [UInt8] {
        switch self {
        case .utf8:
            return Array(text.utf8)
        case .gb2312, .gb18030:
            // Swift-on-Linux note (swift-linux-notes.md): GB_2312_80 and GBK_95 return nil; GB 18030 is the
            // superset and works in both directions, so it is used for every GB label.
            guard let data = text.data(using: GB18030Text.encoding, allowLossyConversion: false) else {
                throw .unencodableText(charset: declarationLabel)
            }
            return Array(data)
        }
    }
}

/// Foundation's GB 18030 encoding, the only GB encoding that works on Linux (measured, spec §1.5).
enum GB18030Text {
    static let encoding: String.Encoding = String.Encoding(
        rawValue: CFStringConvertEncodingToNSStringEncoding(
            CFStringEncoding(CFStringEncodings.GB_18030_2000.rawValue)))

    /// Strict decode; nil when the bytes are not valid GB 18030.
    static func decode<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String? {
        String(data: Data(bytes), encoding: encoding)
    }
}
