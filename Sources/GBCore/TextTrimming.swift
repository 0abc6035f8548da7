/// Whitespace trimming without Foundation: `trimmingCharacters(in:)` goes through NSString on Linux
/// and was the largest cost of validating a 100,000-row directory (measured with perf); Unicode
/// property lookups were the next, so the white space of real files is listed explicitly.
extension StringProtocol {
    /// The text without leading and trailing white space: ASCII space, tab, CR, LF, vertical tab and
    /// form feed, no-break space, the ideographic space U+3000 that Chinese input methods type, and a
    /// stray byte-order mark.
    public var trimmedWhitespace: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !Self.isTrimmable($0) }) else { return "" }
        guard let last = scalars.lastIndex(where: { !Self.isTrimmable($0) }) else { return "" }
        if first == scalars.startIndex && scalars.index(after: last) == scalars.endIndex { return String(self) }
        var result = ""
        result.unicodeScalars.append(contentsOf: scalars[first...last])
        return result
    }

    @inline(__always)
    static func isTrimmable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20, 0x09...0x0D, 0xA0, 0x3000, 0xFEFF, 0x2000...0x200B: true
        default: false
        }
    }
}
