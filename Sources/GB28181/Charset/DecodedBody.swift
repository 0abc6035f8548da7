/// A received MANSCDP body turned into text, with what we learnt about its charset.
public struct DecodedBody: Sendable, Equatable {
    /// The body as text. When the body had an XML declaration it is replaced by
    /// `<?xml version="1.0" encoding="UTF-8"?>`, because this text is handed to the parser as UTF-8
    /// (spec §1.5 step 3: make the prolog match what was decoded).
    public var text: String
    /// What the bytes really were.
    public var detected: DetectedCharset
    /// What the body's declaration claimed; nil when it had no declaration or no `encoding=`.
    public var declared: DeclaredCharset?
    /// How many malformed GB 18030 byte sequences were replaced by U+FFFD (🔧 names cut mid-character).
    public var replacedSequences: Int

    public init(text: String, detected: DetectedCharset, declared: DeclaredCharset?, replacedSequences: Int = 0) {
        self.text = text
        self.detected = detected
        self.declared = declared
        self.replacedSequences = replacedSequences
    }

    /// True when the declaration names a charset the bytes are not in (🔧 devices lie, spec §1.5);
    /// worth a log line per device so its charset setting can be fixed.
    public var declarationMismatch: Bool {
        guard let declared else { return false }
        switch detected {
        case .ascii: return false
        case .utf8: return declared != .utf8
        case .gb18030: return !declared.isGBFamily
        }
    }
}

/// Turns received body bytes into text following the receive strategy of spec §1.5:
/// valid UTF-8 with non-ASCII → UTF-8; otherwise GB 18030 (never strict GB 2312, devices emit GBK characters);
/// the declaration is rewritten to match.
public enum MANSCDPBodyDecoder {
    public static func decode(_ bytes: [UInt8], limits: MANSCDPLimits = .init()) throws(MANSCDPError) -> DecodedBody {
        guard bytes.count <= limits.maxBodyBytes else {
            throw .bodyTooLarge(size: bytes.count, limit: limits.maxBodyBytes)
        }
        let declaration = XMLDeclaration.find(in: bytes)
        let declared = declaration?.encodingLabel.map(DeclaredCharset.init(label:))
        var payload = bytes[...]
        if payload.starts(with: [0xEF, 0xBB, 0xBF]) { payload = payload.dropFirst(3) }

        let detected: DetectedCharset
        let decoded: String
        var replaced = 0
        if payload.allSatisfy({ $0 < 0x80 }) {
            detected = .ascii
            decoded = String(decoding: payload, as: UTF8.self)
        } else if let utf8 = String(validating: payload, as: UTF8.self) {
            detected = .utf8
            decoded = utf8
        } else if let gb = LenientGB18030.decode(Array(payload)) {
            detected = .gb18030
            decoded = gb.text
            replaced = gb.replaced
        } else {
            throw .undecodableBody(byteCount: bytes.count)
        }
        return DecodedBody(text: rewritingDeclaration(of: decoded), detected: detected,
                           declared: declared, replacedSequences: replaced)
    }

    /// Replaces a leading `<?xml ... ?>` by the UTF-8 declaration; text without one is returned unchanged.
    static func rewritingDeclaration(of text: String) -> String {
        let trimmed = text.drop(while: { $0.isWhitespace || $0 == "\u{FEFF}" })
        guard trimmed.hasPrefix("<?xml"), let close = trimmed.range(of: "?>") else { return text }
        return XMLDeclaration.utf8Declaration + trimmed[close.upperBound...]
    }
}
