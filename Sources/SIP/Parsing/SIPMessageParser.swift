import NIOCore

/// Bounds that keep a hostile or broken peer from making the parser allocate without limit.
public struct SIPParserLimits: Sendable, Hashable {
    /// Start line plus headers; RFC 3261 has no limit, 64 KiB is far above any real device.
    public var maxHeaderSectionBytes: Int
    public var maxHeaderLines: Int
    /// GB catalog responses over TCP reach tens of KiB; 1 MiB leaves room without inviting abuse.
    public var maxBodyBytes: Int

    public init(maxHeaderSectionBytes: Int = 64 * 1024, maxHeaderLines: Int = 256, maxBodyBytes: Int = 1 << 20) {
        self.maxHeaderSectionBytes = maxHeaderSectionBytes
        self.maxHeaderLines = maxHeaderLines
        self.maxBodyBytes = maxBodyBytes
    }
}

/// Turns bytes into `SIPMessage`s. Lenient where devices are sloppy (LF-only line ends, LWS around
/// the colon, lower-case and compact names, space-padded Content-Length, leading CRLFs), strict
/// where the bytes are ambiguous (start-line spacing, Content-Length, unterminated quotes).
public struct SIPMessageParser: Sendable {
    public var limits: SIPParserLimits

    public init(limits: SIPParserLimits = SIPParserLimits()) {
        self.limits = limits
    }

    /// One UDP datagram is one message (RFC 3261 18.3): with Content-Length the body is that many
    /// bytes and any extra octets are discarded (RFC 4475 3.1.1.8 dblreq); without it the body is
    /// the rest of the datagram (RFC 4475 3.4.1 inv2543).
    public func parse(datagram: ByteBuffer) throws(SIPParseError) -> SIPMessage {
        let location: HeadLocation
        switch try locateHead(in: datagram) {
        case .needMoreData(let skippable):
            if skippable == datagram.readableBytes { throw .emptyMessage }
            throw .unterminatedHeaderSection(bytesSeen: datagram.readableBytes)
        case .found(let found):
            location = found
        }
        let head = try parseHead(datagram, location: location)
        let available = datagram.readableBytes - location.headEnd
        let bodyLength = head.contentLength ?? available
        guard bodyLength <= available else {
            throw .bodyTruncated(declared: bodyLength, available: available)
        }
        // Copy the body out: a slice would keep the whole 64 KiB receive buffer alive for as long as the
        // message lives (a server transaction keeps its request for 32 s), which at 100,000 devices
        // cost about 0.7 GB of RSS and doubled the p99 (measured with gbshare-bench sip-register).
        var body = ByteBuffer()
        if bodyLength > 0, let bytes = datagram.getBytes(at: datagram.readerIndex + location.headEnd, length: bodyLength) {
            body = ByteBuffer(bytes: bytes)
        }
        return head.message(body: body)
    }

    // MARK: - Pieces shared with the stream framer

    struct HeadLocation: Equatable {
        /// CR/LF bytes before the start line (RFC 3261 7.5 says to ignore them; keepalives).
        var leadingBytes: Int
        /// Offset, from the reader index, just after the empty line that ends the headers.
        var headEnd: Int
    }

    enum HeadScan: Equatable {
        case needMoreData(skippableBytes: Int)
        case found(HeadLocation)
    }

    struct ParsedHead: Sendable {
        enum StartLine: Sendable {
            case request(SIPMethod, SIPURI)
            case response(Int, String)
        }
        var startLine: StartLine
        var headers: SIPHeaders
        var contentLength: Int?

        func message(body: ByteBuffer) -> SIPMessage {
            switch startLine {
            case .request(let method, let uri):
                return .request(SIPRequest(method: method, uri: uri, headers: headers, body: body))
            case .response(let code, let reason):
                return .response(SIPResponse(statusCode: code, reasonPhrase: reason, headers: headers, body: body))
            }
        }
    }

    /// Finds the empty line that ends the header section, accepting CRLF or bare LF line ends.
    func locateHead(in buffer: ByteBuffer) throws(SIPParseError) -> HeadScan {
        let limit = limits.maxHeaderSectionBytes
        let scan: HeadScan? = buffer.withUnsafeReadableBytes { bytes -> HeadScan? in
            // Local constants: static lets cost an accessor call per byte in debug builds.
            let cr: UInt8 = 0x0D, lf: UInt8 = 0x0A
            var leading = 0
            while leading < bytes.count, bytes[leading] == cr || bytes[leading] == lf {
                leading += 1
            }
            let end = min(bytes.count, leading + limit + 4)
            var index = leading
            while index < end {
                if bytes[index] == lf {
                    if index + 1 < bytes.count, bytes[index + 1] == lf {
                        return .found(HeadLocation(leadingBytes: leading, headEnd: index + 2))
                    }
                    if index + 2 < bytes.count, bytes[index + 1] == cr, bytes[index + 2] == lf {
                        return .found(HeadLocation(leadingBytes: leading, headEnd: index + 3))
                    }
                }
                index += 1
            }
            if bytes.count - leading > limit { return nil }
            return .needMoreData(skippableBytes: leading)
        }
        guard let scan else { throw .headerSectionTooLarge(limit: limit) }
        if case .found(let location) = scan, location.headEnd - location.leadingBytes > limit + 3 {
            throw .headerSectionTooLarge(limit: limit)
        }
        return scan
    }

    /// Parses the start line and headers between `leadingBytes` and `headEnd`.
    func parseHead(_ buffer: ByteBuffer, location: HeadLocation) throws(SIPParseError) -> ParsedHead {
        let lines = splitLines(buffer, from: location.leadingBytes, to: location.headEnd)
        guard let first = lines.first, !first.isEmpty else { throw .emptyMessage }
        let startLine = try parseStartLine(first)
        var headers = SIPHeaders()
        var pendingName: Substring?
        var pendingValue = ""
        var fieldCount = 0

        func flush() throws(SIPParseError) {
            guard let name = pendingName else { return }
            fieldCount += 1
            if fieldCount > limits.maxHeaderLines { throw .tooManyHeaders(limit: limits.maxHeaderLines) }
            headers.add(String(name), trimmedLWS(pendingValue))
            pendingName = nil
        }

        for (offset, line) in lines.dropFirst().enumerated() {
            let number = offset + 2
            if line.isEmpty { break }
            if let firstByte = line.utf8.first, firstByte == SIPSyntax.space || firstByte == SIPSyntax.tab {
                // Header folding (RFC 3261 7.3.1): a continuation line replaces the CRLF with a space.
                guard pendingName != nil else {
                    throw .malformedHeaderLine(lineNumber: number, line: line, reason: "continuation line with no header before it")
                }
                pendingValue += " " + trimmedLWS(line)
                continue
            }
            try flush()
            guard let colon = line.firstIndex(of: ":") else {
                throw .malformedHeaderLine(lineNumber: number, line: line, reason: "no ':' between header name and value")
            }
            // LWS before the colon is legal (RFC 4475 3.1.1.1 `TO :`).
            var name = line[line.startIndex..<colon]
            while let last = name.last, last == " " || last == "\t" { name = name.dropLast() }
            guard SIPSyntax.isToken(name) else {
                throw .malformedHeaderLine(lineNumber: number, line: line, reason: "header name \"\(SIPSyntax.excerpt(name, limit: 40))\" is not a token")
            }
            pendingName = name
            pendingValue = String(line[line.index(after: colon)...])
        }
        try flush()
        let contentLength = try readContentLength(headers)
        return ParsedHead(startLine: startLine, headers: headers, contentLength: contentLength)
    }

    private func readContentLength(_ headers: SIPHeaders) throws(SIPParseError) -> Int? {
        let values = headers.lines("Content-Length").map { trimmedLWS($0) }
        guard let first = values.first else { return nil }
        // Repeated identical values are harmless; different ones make the framing ambiguous
        // (RFC 4475 3.3.9 mcl01).
        guard values.allSatisfy({ $0 == first }) else { throw .conflictingContentLength(values) }
        guard let length = parseBoundedDecimal(first, max: UInt64(Int32.max)) else {
            throw .invalidContentLength(first)
        }
        guard Int(length) <= limits.maxBodyBytes else {
            throw .bodyTooLarge(declared: Int(length), limit: limits.maxBodyBytes)
        }
        return Int(length)
    }

    private func splitLines(_ buffer: ByteBuffer, from start: Int, to end: Int) -> [String] {
        buffer.withUnsafeReadableBytes { bytes in
            let cr: UInt8 = 0x0D, lf: UInt8 = 0x0A
            var lines: [String] = []
            var lineStart = start
            var index = start
            while index < end {
                if bytes[index] == lf {
                    var lineEnd = index
                    if lineEnd > lineStart, bytes[lineEnd - 1] == cr { lineEnd -= 1 }
                    lines.append(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[lineStart..<lineEnd]), as: UTF8.self))
                    lineStart = index + 1
                }
                index += 1
            }
            return lines
        }
    }

    func parseStartLine(_ line: String) throws(SIPParseError) -> ParsedHead.StartLine {
        if line.utf8.count >= 4, line.prefix(4).uppercased() == "SIP/" {
            return try parseStatusLine(line)
        }
        // Request-Line = Method SP Request-URI SP SIP-Version, single spaces (RFC 3261 7.1;
        // RFC 4475 3.1.2.8-3.1.2.10 refuse embedded, doubled and trailing spaces).
        let parts = line.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else {
            throw .malformedStartLine(line: line, reason: "expected METHOD SP Request-URI SP SIP/2.0 separated by single spaces")
        }
        guard SIPSyntax.isToken(parts[0]) else {
            throw .malformedStartLine(line: line, reason: "method \"\(SIPSyntax.excerpt(parts[0], limit: 30))\" is not a token")
        }
        try checkVersion(parts[2], line: line)
        let uriText = String(parts[1])
        let uri: SIPURI
        do {
            uri = try SIPURI(parsing: uriText)
        } catch {
            throw .malformedStartLine(line: line, reason: error.description)
        }
        if uri.headers != nil {
            // RFC 3261 19.1.5: headers are not allowed in a Request-URI (RFC 4475 3.1.2.11 escruri).
            throw .malformedStartLine(line: line, reason: "the Request-URI must not carry ?headers")
        }
        return .request(SIPMethod(String(parts[0])), uri)
    }

    private func parseStatusLine(_ line: String) throws(SIPParseError) -> ParsedHead.StartLine {
        let utf8 = Array(line.utf8)
        guard let space = utf8.firstIndex(of: SIPSyntax.space) else {
            throw .malformedStartLine(line: line, reason: "no status code after the version")
        }
        try checkVersion(String(decoding: utf8[0..<space], as: UTF8.self), line: line)
        var index = space + 1
        let codeStart = index
        while index < utf8.count, SIPSyntax.isDigit(utf8[index]) { index += 1 }
        guard index - codeStart == 3, let code = Int(String(decoding: utf8[codeStart..<index], as: UTF8.self)),
            (100...699).contains(code)
        else {
            // RFC 4475 3.1.2.19 bigcode: 4294967301 must not wrap around to a valid code.
            throw .malformedStartLine(line: line, reason: "status code must be three digits from 100 to 699")
        }
        var reason = ""
        if index < utf8.count {
            guard utf8[index] == SIPSyntax.space else {
                throw .malformedStartLine(line: line, reason: "status code not followed by a space")
            }
            reason = String(decoding: utf8[(index + 1)...], as: UTF8.self)
        }
        return .response(code, reason)
    }

    private func checkVersion<S: StringProtocol>(_ version: S, line: String) throws(SIPParseError) {
        if version.uppercased() == "SIP/2.0" { return }
        if version.utf8.count > 4, version.prefix(4).uppercased() == "SIP/" {
            throw .unsupportedVersion(String(version))
        }
        throw .malformedStartLine(line: line, reason: "version \"\(SIPSyntax.excerpt(version, limit: 30))\" is not SIP/2.0")
    }
}
