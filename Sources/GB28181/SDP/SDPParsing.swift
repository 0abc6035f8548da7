/// Why an SDP could not be used.
public enum SDPError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case tooLarge(size: Int, limit: Int)
    case missingMediaLine
    case invalidMediaLine(String)

    public var description: String {
        switch self {
        case .empty:
            return "SDP body is empty; the peer answered without a session description. Send BYE and report the device."
        case let .tooLarge(size, limit):
            return "SDP body of \(size) bytes exceeds \(limit); a GB/T 28181 SDP is a few hundred bytes, refuse it."
        case .missingMediaLine:
            return "SDP has no m= line, so there is no port to send to or receive on; answer 488 (offer) or BYE (answer)."
        case .invalidMediaLine(let line):
            return "SDP media line '\(line)' is not 'm=<media> <port> <proto> <fmt>...'; answer 488 or BYE."
        }
    }
}

extension GBSessionDescription {
    /// Generous bound on an SDP body; anything bigger is not from a camera.
    static let maxTextBytes = 16 << 10

    /// Parses an offer or answer, tolerant of device quirks (spec §5.6, §10.1 item 9): LF or CRLF, stray spaces,
    /// `s=` in any case, no `v=`/`o=`/`t=`, `y=`/`f=` anywhere or absent, session-level attributes that belong to
    /// the media, `RTP/AVP/TCP` as well as `TCP/RTP/AVP`. Only a missing or unreadable `m=` is fatal.
    public init(parsing text: String) throws(SDPError) {
        guard text.utf8.count <= Self.maxTextBytes else { throw .tooLarge(size: text.utf8.count, limit: Self.maxTextBytes) }
        let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
            .map { String($0).trimmed }.filter { !$0.isEmpty }
        guard !lines.isEmpty else { throw .empty }
        self.init(originID: "", originAddress: "", sessionType: .other(""), connectionAddress: nil, media: [])
        var sessionAttributes: [String] = []
        var current: GBMediaDescription?
        for line in lines {
            guard line.count >= 2, line.dropFirst().first == "=" else { continue }
            let type = line.first.map { Character($0.lowercased()) }
            let value = String(line.dropFirst(2)).trimmed
            switch type {
            case "o": readOrigin(value)
            case "s": sessionType = GBSessionType(value)
            case "u": uri = value
            case "c":
                let address = Self.connectionAddress(value)
                if current != nil { current?.connectionAddress = address } else { connectionAddress = address }
            case "t": readTiming(value)
            case "m":
                if let finished = current { media.append(finished) }
                current = try Self.mediaLine(value, raw: line)
            case "a":
                if current != nil { current?.apply(attribute: value) } else { sessionAttributes.append(value) }
            case "y": if ssrc == nil { ssrc = value }
            case "f": if mediaFormat == nil { mediaFormat = MediaFormatDescription(parsing: value) }
            default: continue
            }
        }
        if let finished = current { media.append(finished) }
        guard !media.isEmpty else { throw .missingMediaLine }
        // 🔧 Some devices put direction/setup before m=: apply them where the media has none of its own.
        for attribute in sessionAttributes {
            for index in media.indices { media[index].apply(attribute: attribute, onlyIfUnset: true) }
        }
    }

    private mutating func readOrigin(_ value: String) {
        let fields = value.split(separator: " ").map(String.init)
        originID = fields.first ?? ""
        if fields.count > 1 { originSessionID = fields[1] }
        if fields.count > 2 { originVersion = fields[2] }
        originAddress = fields.last.map { $0 == originID ? "" : $0 } ?? ""
    }

    private mutating func readTiming(_ value: String) {
        let fields = value.split(separator: " ")
        startTime = fields.first.flatMap { Int64($0) } ?? 0
        stopTime = fields.count > 1 ? Int64(fields[1]) ?? 0 : 0
    }

    /// `IN IP4 192.168.1.64` → `192.168.1.64`; a multicast TTL suffix (`/127`) is dropped.
    static func connectionAddress(_ value: String) -> String? {
        guard let last = value.split(separator: " ").last else { return nil }
        return last.split(separator: "/").first.map(String.init)
    }

    static func mediaLine(_ value: String, raw: String) throws(SDPError) -> GBMediaDescription {
        let fields = value.split(separator: " ").map(String.init)
        guard fields.count >= 3, let portText = fields[1].split(separator: "/").first, let port = Int(portText),
              (0...65535).contains(port) else { throw .invalidMediaLine(raw) }
        let transport: RTPTransport = fields[2].uppercased().contains("TCP") ? .tcp : .udp
        return GBMediaDescription(media: fields[0].lowercased(), port: port, transport: transport,
                                  payloadTypes: fields.dropFirst(3).compactMap { Int($0) })
    }
}

extension GBMediaDescription {
    /// Applies one `a=` value. `onlyIfUnset` is for session-level attributes, which never override media-level ones.
    mutating func apply(attribute: String, onlyIfUnset: Bool = false) {
        let parts = attribute.split(separator: ":", maxSplits: 1).map { String($0).trimmed }
        let name = parts[0].lowercased()
        let value = parts.count > 1 ? parts[1] : ""
        if let direction = MediaDirection(rawValue: name) {
            if !onlyIfUnset || self.direction == nil { self.direction = direction }
            return
        }
        switch name {
        case "rtpmap":
            if let map = RTPMap(attributeValue: value), !rtpMaps.contains(where: { $0.payloadType == map.payloadType }) {
                rtpMaps.append(map)
            }
        case "setup":
            if !onlyIfUnset || setup == nil { setup = TCPSetupRole(value) }
        case "connection":
            if value.lowercased() == "new" { connectionNew = true } else if !onlyIfUnset { otherAttributes.append(attribute) }
        case "downloadspeed": downloadSpeed = Int(value) ?? downloadSpeed
        case "filesize": fileSize = Int64(value) ?? fileSize
        case "streamnumber", "stream", "streamprofile":
            streamNumber = Int(value) ?? streamNumber
        case "streammode":
            // 🔧 Mercury/TP-Link: a=streamMode:MAIN|SUB.
            streamNumber = value.uppercased() == "SUB" ? 1 : value.uppercased() == "MAIN" ? 0 : streamNumber
        default:
            if !onlyIfUnset { otherAttributes.append(attribute) }
        }
    }
}
