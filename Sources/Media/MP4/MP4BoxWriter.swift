import NIOCore

/// Writes ISO BMFF boxes into a ByteBuffer, patching each box's 32-bit size when its body is done.
struct MP4BoxWriter {
    var buffer: ByteBuffer

    init(capacity: Int = 4096) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
    }

    mutating func box(_ type: String, _ body: (inout MP4BoxWriter) -> Void) {
        let start = buffer.writerIndex
        buffer.writeInteger(UInt32(0))
        buffer.writeString(type)
        body(&self)
        buffer.setInteger(UInt32(buffer.writerIndex - start), at: start)
    }

    /// A FullBox (14496-12 4.2): version and 24-bit flags before the body.
    mutating func fullBox(_ type: String, version: UInt8, flags: UInt32, _ body: (inout MP4BoxWriter) -> Void) {
        box(type) { w in
            w.u32(UInt32(version) << 24 | (flags & 0xFF_FFFF))
            body(&w)
        }
    }

    mutating func u8(_ v: UInt8) { buffer.writeInteger(v) }
    mutating func u16(_ v: UInt16) { buffer.writeInteger(v) }
    mutating func u32(_ v: UInt32) { buffer.writeInteger(v) }
    mutating func u64(_ v: UInt64) { buffer.writeInteger(v) }
    mutating func i32(_ v: Int32) { buffer.writeInteger(v) }
    mutating func bytes(_ b: [UInt8]) { buffer.writeBytes(b) }
    mutating func zeros(_ n: Int) { buffer.writeRepeatingByte(0, count: n) }
    mutating func fourCC(_ s: String) { buffer.writeString(s) }

    /// The unity matrix of mvhd/tkhd.
    mutating func unityMatrix() {
        for v: UInt32 in [0x0001_0000, 0, 0, 0, 0x0001_0000, 0, 0, 0, 0x4000_0000] { u32(v) }
    }
}
