import NIOCore

/// Writes messages strictly: CRLF line ends, canonical header names, one header per line as
/// stored, and a Content-Length computed from the body, always last (whatever the headers say).
extension SIPMessage {
    public func write(into buffer: inout ByteBuffer) {
        switch self {
        case .request(let request): request.write(into: &buffer)
        case .response(let response): response.write(into: &buffer)
        }
    }

    public var bytes: ByteBuffer {
        switch self {
        case .request(let request): return request.bytes
        case .response(let response): return response.bytes
        }
    }
}

extension SIPRequest {
    public func write(into buffer: inout ByteBuffer) {
        buffer.writeString("\(method.rawValue) \(uri) SIP/2.0\r\n")
        writeHeadersAndBody(headers, body, into: &buffer)
    }

    public var bytes: ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: 512 + body.readableBytes)
        write(into: &buffer)
        return buffer
    }
}

extension SIPResponse {
    public func write(into buffer: inout ByteBuffer) {
        buffer.writeString("SIP/2.0 \(statusCode) \(singleLine(reasonPhrase))\r\n")
        writeHeadersAndBody(headers, body, into: &buffer)
    }

    public var bytes: ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: 512 + body.readableBytes)
        write(into: &buffer)
        return buffer
    }
}

private func writeHeadersAndBody(_ headers: SIPHeaders, _ body: ByteBuffer, into buffer: inout ByteBuffer) {
    for field in headers where field.key != "content-length" {
        buffer.writeString(field.name)
        buffer.writeString(": ")
        buffer.writeString(singleLine(field.value))
        buffer.writeString("\r\n")
    }
    buffer.writeString("Content-Length: \(body.readableBytes)\r\n\r\n")
    var body = body
    buffer.writeBuffer(&body)
}

/// A header value with CR or LF would let a caller inject headers; fold them into spaces.
private func singleLine(_ value: String) -> String {
    guard value.utf8.contains(where: { $0 == SIPSyntax.cr || $0 == SIPSyntax.lf }) else { return value }
    return String(value.map { $0 == "\r" || $0 == "\n" || $0 == "\r\n" ? " " : $0 })
}
