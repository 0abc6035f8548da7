#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-level scans over a String's UTF-8, for hot paths that run over every byte of 100 000-item catalogs.
extension String {
    /// True when the UTF-8 form contains `byte` (memchr-speed on native strings).
    func containsByte(_ byte: UInt8) -> Bool {
        var copy = self
        return copy.withUTF8 { buffer in
            guard let base = buffer.baseAddress else { return false }
            return memchr(base, Int32(byte), buffer.count) != nil
        }
    }

    /// Trimmed of ASCII whitespace (space, tab, CR, LF) and other Unicode whitespace; returns `self` untouched
    /// when there is nothing to trim, which is the common case for element text.
    var trimmedFast: String {
        guard let first = utf8.first, let last = utf8.last else { return self }
        func isASCIISpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        if !isASCIISpace(first) && !isASCIISpace(last) && first < 0x80 && last < 0x80 { return self }
        return trimmed
    }
}
