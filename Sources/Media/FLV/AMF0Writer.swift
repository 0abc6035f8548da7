import NIOCore

/// The few AMF0 values an FLV onMetaData tag needs (AMF0 spec 2.2–2.10).
enum AMF0Value {
    case number(Double)
    case boolean(Bool)
    case string(String)
    case ecmaArray([(String, AMF0Value)])

    func write(to out: inout ByteBuffer) {
        switch self {
        case .number(let v):
            out.writeInteger(UInt8(0x00))
            out.writeInteger(v.bitPattern)
        case .boolean(let v):
            out.writeInteger(UInt8(0x01))
            out.writeInteger(UInt8(v ? 1 : 0))
        case .string(let s):
            out.writeInteger(UInt8(0x02))
            Self.writeKey(s, to: &out)
        case .ecmaArray(let entries):
            out.writeInteger(UInt8(0x08))
            out.writeInteger(UInt32(entries.count))
            for (key, value) in entries {
                Self.writeKey(key, to: &out)
                value.write(to: &out)
            }
            out.writeBytes([0x00, 0x00, 0x09])  // object end marker
        }
    }

    private static func writeKey(_ s: String, to out: inout ByteBuffer) {
        let utf8 = Array(s.utf8.prefix(0xFFFF))
        out.writeInteger(UInt16(utf8.count))
        out.writeBytes(utf8)
    }
}
