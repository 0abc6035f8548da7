/// The `<?xml ... ?>` prolog of a MANSCDP body: where it is and which encoding it declares.
///
/// Scanned on raw bytes because the declaration is ASCII whatever the body's charset is (XML 1.0 §4.3.3).
struct XMLDeclaration: Sendable, Equatable {
    /// Byte range of the whole declaration, `<?xml` through `?>`.
    var range: Range<Int>
    /// The `encoding="..."` label, verbatim, or nil when the declaration has none.
    var encodingLabel: String?

    /// The declaration we put in front of text handed to the parser as UTF-8.
    static let utf8Declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"

    /// Finds a declaration at the start of `bytes` (after an optional UTF-8 BOM and whitespace).
    /// Only the first 512 bytes are looked at: a prolog longer than that is not a MANSCDP prolog.
    static func find(in bytes: [UInt8]) -> XMLDeclaration? {
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        while start < bytes.count, isXMLSpace(bytes[start]) { start += 1 }
        let opener: [UInt8] = Array("<?xml".utf8)
        guard bytes.count >= start + opener.count,
              bytes[start..<(start + opener.count)].elementsEqual(opener) else { return nil }
        let limit = min(bytes.count, start + 512)
        var end = start + opener.count
        while end + 1 < limit, !(bytes[end] == UInt8(ascii: "?") && bytes[end + 1] == UInt8(ascii: ">")) {
            end += 1
        }
        guard end + 1 < limit else { return nil }
        let inner = String(decoding: bytes[(start + opener.count)..<end], as: UTF8.self)
        return XMLDeclaration(range: start..<(end + 2), encodingLabel: encodingLabel(in: inner))
    }

    /// Extracts the value of the `encoding` pseudo-attribute, accepting either quote and spaces around `=`.
    static func encodingLabel(in inner: String) -> String? {
        guard let keyRange = inner.range(of: "encoding", options: .caseInsensitive) else { return nil }
        var rest = inner[keyRange.upperBound...].drop(while: { $0 == " " || $0 == "\t" })
        guard rest.first == "=" else { return nil }
        rest = rest.dropFirst().drop(while: { $0 == " " || $0 == "\t" })
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        let value = rest.dropFirst().prefix(while: { $0 != quote })
        return String(value).trimmingCharacters(in: .whitespaces)
    }

    static func isXMLSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
