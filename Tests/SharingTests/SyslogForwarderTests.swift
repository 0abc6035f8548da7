import Foundation
import Sharing
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// RFC 5424 forwarding to the police log system, over UDP and TCP, against real sockets.
@Suite struct SyslogForwarderTests {
    static func entry(_ seq: Int64, detail: String = "range=a/b") -> AuditEntry {
        AuditEntry(seq: seq, atMillis: 1_800_000_000_123,
                   draft: AuditDraft(actor: "张三", actorRole: "department_operator", department: "19@4415", action: .download,
                                     camera: "44152309581320000001", purpose: "取证\"]", clientAddress: "10.0.0.1", result: .ok, detail: detail),
                   prevHash: AuditEntry.genesisHash)
    }

    @Test func messageFormat() {
        let target = SyslogTarget(host: "127.0.0.1", hostname: "node1")
        let text = SyslogMessage.format(Self.entry(7), target: target, processID: 42)
        #expect(text.hasPrefix("<109>1 2027-01-15T08:00:00.123Z node1 gbshare 42 media.download [gbshare@32473 seq=\"7\" actor=\"张三\""))
        #expect(text.contains("purpose=\"取证\\\"\\]\""))
        #expect(text.hasSuffix(" \u{FEFF}range=a/b"))
    }

    @Test("attack: a line feed in a user name or detail cannot start a forged syslog line")
    func noLogInjection() {
        var entry = Self.entry(8, detail: "ok\n<110>1 2027-01-15T08:00:00Z forged gbshare - login [x]")
        entry.draft.actor = "mallory\r\nadmin"
        let text = SyslogMessage.format(entry, target: SyslogTarget(host: "127.0.0.1", hostname: "node1"), processID: 42)
        #expect(!text.contains("\n") && !text.contains("\r"))
        #expect(text.contains("actor=\"mallory\\\\r\\\\nadmin\""))
        #expect(text.hasSuffix("ok\\n<110>1 2027-01-15T08:00:00Z forged gbshare - login [x]"))
    }

    /// A loopback socket of the given type bound to a free port.
    static func listener(_ type: Int32) throws -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, type, 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
        if type == Int32(SOCK_STREAM.rawValue) { listen(fd, 4) }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    static func receive(_ fd: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = recv(fd, &buffer, buffer.count, 0)
        return count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : ""
    }

    @Test func udp() async throws {
        let (fd, port) = try Self.listener(Int32(SOCK_DGRAM.rawValue))
        defer { close(fd) }
        let forwarder = SyslogForwarder(target: SyslogTarget(host: "127.0.0.1", port: port, transport: .udp))
        forwarder.forward([Self.entry(1), Self.entry(2)])
        await forwarder.flush()
        let first = Self.receive(fd)
        let second = Self.receive(fd)
        #expect(first.contains("seq=\"1\"") && second.contains("seq=\"2\""))
    }

    @Test func tcpWithOctetCounting() async throws {
        let (fd, port) = try Self.listener(Int32(SOCK_STREAM.rawValue))
        defer { close(fd) }
        let forwarder = SyslogForwarder(target: SyslogTarget(host: "127.0.0.1", port: port, transport: .tcp))
        forwarder.forward([Self.entry(1), Self.entry(2, detail: "second")])
        await forwarder.flush()
        let connection = accept(fd, nil, nil)
        #expect(connection >= 0)
        defer { close(connection) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var received = ""
        while !received.contains("second") {
            let part = Self.receive(connection)
            if part.isEmpty { break }
            received += part
        }
        // "<length> <message><length> <message>": the first length is the first message's byte count.
        let space = try #require(received.firstIndex(of: " "))
        let length = try #require(Int(received[..<space]))
        let rest = Array(received[received.index(after: space)...].utf8)
        #expect(String(decoding: rest[0..<length], as: UTF8.self).hasSuffix("range=a/b"))
        #expect(String(decoding: rest[length...], as: UTF8.self).hasPrefix("\(Array(SyslogMessage.format(Self.entry(2, detail: "second"), target: forwarder.target).utf8).count) <109>1"))
    }

    @Test func auditLogForwardsWhatItAppends() async throws {
        try await SharingTestDatabase.with(.sqlite) { db in
            let (fd, port) = try Self.listener(Int32(SOCK_DGRAM.rawValue))
            defer { close(fd) }
            let forwarder = SyslogForwarder(target: SyslogTarget(host: "127.0.0.1", port: port))
            let log = AuditLog(database: db.database, forwarder: forwarder)
            let entry = try await log.append(AuditDraft(actor: "a", action: .ptz, camera: "c", detail: "left"))
            await forwarder.flush()
            #expect(Self.receive(fd).contains("hash=\"\(entry.entryHash)\""))
        }
    }
}
