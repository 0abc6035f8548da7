import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging

/// Where and how audit entries go to the police log system (002 section 14.7: "使用单位采用系统方式对接的，
/// 需要将日志与公安机关的系统对接").
public struct SyslogTarget: Codable, Sendable, Equatable {
    public enum Transport: String, Codable, Sendable {
        case udp, tcp
    }

    public var host: String
    public var port: Int
    public var transport: Transport
    /// RFC 5424 facility; 13 is "log audit".
    public var facility: Int
    public var hostname: String
    public var appName: String

    public init(host: String, port: Int = 514, transport: Transport = .udp, facility: Int = 13,
                hostname: String = ProcessInfo.processInfo.hostName, appName: String = "gbshare") {
        self.host = host
        self.port = port
        self.transport = transport
        self.facility = facility
        self.hostname = hostname
        self.appName = appName
    }
}

extension SyslogTarget {
    private enum CodingKeys: String, CodingKey { case host, port, transport, facility, hostname, appName }

    /// Only `host` is needed in a config file: `{"host": "10.1.2.3", "transport": "tcp"}`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(host: try c.decode(String.self, forKey: .host))
        port = try c.decodeIfPresent(Int.self, forKey: .port) ?? port
        transport = try c.decodeIfPresent(Transport.self, forKey: .transport) ?? transport
        facility = try c.decodeIfPresent(Int.self, forKey: .facility) ?? facility
        hostname = try c.decodeIfPresent(String.self, forKey: .hostname) ?? hostname
        appName = try c.decodeIfPresent(String.self, forKey: .appName) ?? appName
    }
}

/// RFC 5424 messages for audit entries: one per entry, the entry's fields as structured data.
public enum SyslogMessage {
    /// Private enterprise number for the structured-data id. 32473 is the number RFC 5612 sets
    /// aside for documentation; a city registering its own replaces it here.
    public static let enterpriseNumber = 32473

    public static func format(_ entry: AuditEntry, target: SyslogTarget, processID: Int32 = getpid()) -> String {
        let d = entry.draft
        // notice for what went through, warning for refusals and failures.
        let severity = d.result == .ok ? 5 : 4
        let priority = target.facility * 8 + severity
        let params: [(String, String)] = [
            ("seq", String(entry.seq)), ("actor", d.actor), ("role", d.actorRole), ("dept", d.department), ("camera", d.camera),
            ("target", d.target), ("grant", d.grantID), ("purpose", d.purpose), ("client", d.clientAddress),
            ("result", d.result.rawValue), ("hash", entry.entryHash),
        ]
        let data = params.filter { !$0.1.isEmpty }.map { "\($0.0)=\"\(escapeParam($0.1))\"" }.joined(separator: " ")
        let message = d.detail.isEmpty ? "" : " \u{FEFF}" + oneLine(d.detail)
        return "<\(priority)>1 \(timestamp(entry.at)) \(header(target.hostname, 255)) \(header(target.appName, 48)) \(processID) "
            + "\(header(d.action.rawValue, 32)) [gbshare@\(enterpriseNumber) \(data)]" + message
    }

    /// Control characters written as visible escapes (`\n`, `\r`, `\u{1b}`): a raw LF in a user name or a
    /// detail would start a forged line on a line-based collector (log injection).
    static func oneLine(_ value: String) -> String {
        guard value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return value }
        var out = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.properties.generalCategory == .control: out += "\\u{\(String(scalar.value, radix: 16))}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// SD-PARAM values escape '"', '\' and ']' (RFC 5424 6.3.3), after control characters (see `oneLine`).
    static func escapeParam(_ value: String) -> String {
        var out = ""
        for character in oneLine(value) {
            if character == "\"" || character == "\\" || character == "]" { out.append("\\") }
            out.append(character)
        }
        return out
    }

    /// Header fields are printable US-ASCII without spaces; "-" when empty.
    static func header(_ value: String, _ limit: Int) -> String {
        let cleaned = String(value.unicodeScalars.filter { $0.value > 32 && $0.value < 127 }.prefix(limit).map(Character.init))
        return cleaned.isEmpty ? "-" : cleaned
    }

    static func timestamp(_ date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(millis / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                      Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(millis % 1000))
    }

    /// TCP frames by octet counting (RFC 6587 3.4.1): "<length> <message>".
    static func tcpFrame(_ message: String) -> [UInt8] {
        let bytes = Array(message.utf8)
        return Array("\(bytes.count) ".utf8) + bytes
    }
}

/// Sends audit entries to a syslog server over UDP or TCP. Sending happens on a private serial
/// queue, so a slow or absent log server never holds up a request; at most `capacity` messages
/// wait, the oldest dropped beyond that (and counted in the log).
public final class SyslogForwarder: AuditForwarder, @unchecked Sendable {
    // @unchecked: `socket`, `queued` and `dropped` are touched only on `queue` (a serial
    // DispatchQueue): `forward` only formats and enqueues a block, every other access runs inside
    // such a block. `target`, `capacity`, `logger` and `queue` are immutable lets.
    public let target: SyslogTarget
    private let queue = DispatchQueue(label: "gbshare.audit.syslog")
    private let capacity: Int
    private let logger: Logger
    private var socket: Int32 = -1
    private var queued = 0
    private var dropped = 0

    public init(target: SyslogTarget, capacity: Int = 10_000, logger: Logger = Logger(label: "gbshare.audit.syslog")) {
        self.target = target
        self.capacity = capacity
        self.logger = logger
    }

    deinit {
        if socket >= 0 { close(socket) }
    }

    public func forward(_ entries: [AuditEntry]) {
        let messages = entries.map { SyslogMessage.format($0, target: target) }
        queue.async {
            if self.queued + messages.count > self.capacity {
                self.dropped += messages.count
                self.logger.warning("syslog queue full: \(self.dropped) audit messages not forwarded")
                return
            }
            self.queued += messages.count
            for message in messages { self.send(message) }
            self.queued -= messages.count
        }
    }

    /// Waits until everything queued so far was handed to the socket (tests, shutdown).
    public func flush() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async { continuation.resume() }
        }
    }

    private func send(_ message: String) {
        let bytes = target.transport == .tcp ? SyslogMessage.tcpFrame(message) : Array(message.utf8)
        for attempt in 0..<2 {
            if socket < 0 { socket = connectSocket() }
            guard socket >= 0 else { return }
            let sent = bytes.withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent == bytes.count { return }
            // A TCP peer that went away: reconnect once, then give up on this message.
            close(socket)
            socket = -1
            if attempt == 1 { logger.warning("syslog send to \(target.host):\(target.port) failed (errno \(errno))") }
        }
    }

    private func connectSocket() -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(target.transport == .tcp ? SOCK_STREAM.rawValue : SOCK_DGRAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(target.host, String(target.port), &hints, &result) == 0, let first = result else {
            logger.warning("syslog host \(target.host) does not resolve")
            return -1
        }
        defer { freeaddrinfo(result) }
        let fd = Glibc.socket(first.pointee.ai_family, first.pointee.ai_socktype, first.pointee.ai_protocol)
        guard fd >= 0 else { return -1 }
        // A hung log server must not hang this queue for long.
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard Glibc.connect(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 else {
            logger.warning("syslog connect to \(target.host):\(target.port) failed (errno \(errno))")
            close(fd)
            return -1
        }
        return fd
    }
}
