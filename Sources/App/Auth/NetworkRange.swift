import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An IPv4 or IPv6 address range in CIDR form (`10.12.0.0/16`, `2001:db8::/32`; a bare address is a /32 or
/// /128): the terminals a unit declared (002 第十四条三: 网络结构、设备安装位置、PC端责任人), which an account
/// may be bound to.
struct NetworkRange: Sendable, Hashable, CustomStringConvertible {
    let address: [UInt8]
    let prefixLength: Int

    init?(_ text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "/", maxSplits: 1).map(String.init)
        guard let first = parts.first, let bytes = Self.bytes(of: first) else { return nil }
        let maximum = bytes.count * 8
        let length = parts.count == 2 ? Int(parts[1]) : maximum
        guard let length, (0...maximum).contains(length) else { return nil }
        address = bytes
        prefixLength = length
    }

    func contains(_ text: String) -> Bool {
        guard var bytes = Self.bytes(of: text) else { return false }
        // An IPv4 client seen through an IPv6 socket (::ffff:a.b.c.d) is the IPv4 address.
        if bytes.count == 16, address.count == 4, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
            bytes = Array(bytes[12...])
        }
        guard bytes.count == address.count else { return false }
        var remaining = prefixLength
        for (mine, theirs) in zip(address, bytes) where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if mine & mask != theirs & mask { return false }
            remaining -= bits
        }
        return true
    }

    var description: String {
        let family = address.count == 4 ? AF_INET : AF_INET6
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let text = address.withUnsafeBytes { raw in inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) }
        let shown = text.map { _ in String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) } ?? "?"
        return prefixLength == address.count * 8 ? shown : "\(shown)/\(prefixLength)"
    }

    private static func bytes(of text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }

    /// A comma- or space-separated list; nil names the first entry that is not a range.
    static func list(_ text: String) -> Result<[NetworkRange], InvalidRange> {
        var ranges: [NetworkRange] = []
        for item in text.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "，" }) where !item.isEmpty {
            guard let range = NetworkRange(String(item)) else { return .failure(InvalidRange(text: String(item))) }
            ranges.append(range)
        }
        return .success(ranges)
    }

    struct InvalidRange: Error { let text: String }
}
