/// A tiny classic-pcap reader (libpcap format: 24-byte global header, 16-byte record headers) that
/// returns the UDP payloads of IPv4 packets over Ethernet, Linux cooked (SLL) or BSD loopback links.
struct PcapReader {
    struct UDPDatagram {
        let time: Double
        let sourcePort: UInt16
        let destinationPort: UInt16
        let payload: [UInt8]
    }

    enum Failure: Error { case badMagic, unsupportedLinkType(UInt32), truncated(Int) }

    static func udpDatagrams(_ file: [UInt8]) throws -> [UDPDatagram] {
        guard file.count >= 24 else { throw Failure.truncated(0) }
        let magic = u32(file, 0, littleEndian: false)
        let littleEndian: Bool
        let nanoseconds: Bool
        switch magic {
        case 0xA1B2_C3D4: (littleEndian, nanoseconds) = (false, false)
        case 0xD4C3_B2A1: (littleEndian, nanoseconds) = (true, false)
        case 0xA1B2_3C4D: (littleEndian, nanoseconds) = (false, true)
        case 0x4D3C_B2A1: (littleEndian, nanoseconds) = (true, true)
        default: throw Failure.badMagic
        }
        let linkType = u32(file, 20, littleEndian: littleEndian)
        let linkHeader: Int
        switch linkType {
        case 1: linkHeader = 14     // Ethernet (VLAN tags handled below)
        case 113: linkHeader = 16   // Linux cooked v1
        case 276: linkHeader = 20   // Linux cooked v2
        case 0: linkHeader = 4      // BSD loopback
        default: throw Failure.unsupportedLinkType(linkType)
        }
        var out: [UDPDatagram] = []
        var i = 24
        while i + 16 <= file.count {
            let seconds = Double(u32(file, i, littleEndian: littleEndian))
            let fraction = Double(u32(file, i + 4, littleEndian: littleEndian)) / (nanoseconds ? 1e9 : 1e6)
            let captured = Int(u32(file, i + 8, littleEndian: littleEndian))
            let start = i + 16
            guard start + captured <= file.count else { throw Failure.truncated(i) }
            i = start + captured
            var ip = start + linkHeader
            if linkType == 1 {
                var etherType = u16(file, start + 12)
                while etherType == 0x8100, ip + 4 <= i {  // 802.1Q
                    etherType = u16(file, ip + 2)
                    ip += 4
                }
                guard etherType == 0x0800 else { continue }
            }
            guard ip + 20 <= i, file[ip] >> 4 == 4, file[ip + 9] == 17 else { continue }
            let udp = ip + Int(file[ip] & 0x0F) * 4
            guard udp + 8 <= i else { continue }
            let udpLength = Int(u16(file, udp + 4))
            let end = min(i, udp + max(8, udpLength))
            out.append(UDPDatagram(time: seconds + fraction, sourcePort: u16(file, udp), destinationPort: u16(file, udp + 2),
                                   payload: Array(file[(udp + 8)..<end])))
        }
        return out
    }

    private static func u16(_ b: [UInt8], _ i: Int) -> UInt16 { UInt16(b[i]) << 8 | UInt16(b[i + 1]) }

    private static func u32(_ b: [UInt8], _ i: Int, littleEndian: Bool) -> UInt32 {
        let v = UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3])
        return littleEndian ? v.byteSwapped : v
    }
}
