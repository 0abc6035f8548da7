import Foundation

/// Repairs applied to a body before parsing, reported so the sender can be logged.
public enum MANSCDPRepair: String, Sendable, Equatable {
    /// 🔧 Hikvision: a bare `&` in text (spec §3.1); escaped as `&amp;`.
    case escapedBareAmpersand
    /// 🔧 Hikvision: `<` or `>` inside `<Address>` (spec §3.1); escaped so the element survives.
    case escapedAddressMarkup
}

/// The sanitising [W] does before parsing vendor bodies (spec §3.1), done without losing the text.
enum XMLSanitiser {
    /// Escapes every `&` that does not start a character or entity reference.
    static func escapingBareAmpersands(_ text: String) -> String? {
        guard text.containsByte(UInt8(ascii: "&")) else { return nil }
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 16)
        var changed = false
        for (index, byte) in bytes.enumerated() {
            out.append(byte)
            if byte == UInt8(ascii: "&"), !startsReference(bytes, after: index) {
                out.append(contentsOf: Array("amp;".utf8))
                changed = true
            }
        }
        return changed ? String(decoding: out, as: UTF8.self) : nil
    }

    /// True when `&` at `index - 1` is followed by `name;`, `#123;` or `#x1F;` (at most 10 characters).
    private static func startsReference(_ bytes: [UInt8], after index: Int) -> Bool {
        var cursor = index + 1
        var length = 0
        while cursor < bytes.count, length <= 10 {
            let byte = bytes[cursor]
            if byte == UInt8(ascii: ";") { return length > 0 }
            let isNameByte = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A)
                || (byte >= 0x61 && byte <= 0x7A) || byte == UInt8(ascii: "#")
            guard isNameByte else { return false }
            cursor += 1
            length += 1
        }
        return false
    }

    /// Escapes `<` and `>` between `<Address>` and the next `</Address>`, case-insensitively.
    static func escapingAddressMarkup(_ text: String) -> String? {
        let open = "<address>", close = "</address>"
        var result = ""
        var rest = Substring(text)
        var changed = false
        while let start = rest.range(of: open, options: .caseInsensitive),
              let end = rest[start.upperBound...].range(of: close, options: .caseInsensitive) {
            let inner = rest[start.upperBound..<end.lowerBound]
            result += rest[..<start.upperBound]
            if inner.contains("<") || inner.contains(">") {
                result += inner.replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
                changed = true
            } else {
                result += inner
            }
            result += rest[end]
            rest = rest[end.upperBound...]
        }
        result += rest
        return changed ? result : nil
    }
}
