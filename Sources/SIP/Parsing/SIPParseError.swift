/// Why bytes could not be turned into a SIP message, or a message into a typed header.
/// Every case says what was wrong and where, so a person reading a log can act on it;
/// `suggestedStatus` is the response a UAS should send when the start line was readable.
public enum SIPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    case emptyMessage
    case headerSectionTooLarge(limit: Int)
    case tooManyHeaders(limit: Int)
    case unterminatedHeaderSection(bytesSeen: Int)
    case malformedStartLine(line: String, reason: String)
    case unsupportedVersion(String)
    case malformedHeaderLine(lineNumber: Int, line: String, reason: String)
    case invalidHeader(name: String, value: String, reason: String)
    case invalidContentLength(String)
    case conflictingContentLength([String])
    case bodyTruncated(declared: Int, available: Int)
    case bodyTooLarge(declared: Int, limit: Int)
    case missingHeader(String)
    case multipleValues(header: String, count: Int)
    case cseqMethodMismatch(requestMethod: String, cseqMethod: String)
    case unsupportedURIScheme(String)
    case malformedURI(String, reason: String)

    public var description: String {
        switch self {
        case .emptyMessage:
            return "empty message: no start line before the end of the data"
        case .headerSectionTooLarge(let limit):
            return "header section longer than \(limit) bytes without an empty line; refusing it"
        case .tooManyHeaders(let limit):
            return "more than \(limit) header lines; refusing the message"
        case .unterminatedHeaderSection(let seen):
            return "header section not ended by an empty line (CRLF CRLF) within the \(seen) bytes received"
        case .malformedStartLine(let line, let reason):
            return "malformed start line \"\(SIPSyntax.excerpt(line))\": \(reason)"
        case .unsupportedVersion(let version):
            return "unsupported SIP version \"\(SIPSyntax.excerpt(version))\"; only SIP/2.0 is spoken"
        case .malformedHeaderLine(let number, let line, let reason):
            return "header line \(number) \"\(SIPSyntax.excerpt(line))\": \(reason)"
        case .invalidHeader(let name, let value, let reason):
            return "\(name) header \"\(SIPSyntax.excerpt(value))\": \(reason)"
        case .invalidContentLength(let value):
            return "Content-Length \"\(SIPSyntax.excerpt(value))\" is not a non-negative decimal number"
        case .conflictingContentLength(let values):
            return "several Content-Length headers (\(values.map { SIPSyntax.excerpt($0) }.joined(separator: ", "))); cannot tell where the body ends"
        case .bodyTruncated(let declared, let available):
            return "Content-Length says \(declared) body bytes but only \(available) arrived"
        case .bodyTooLarge(let declared, let limit):
            return "Content-Length \(declared) exceeds the body limit of \(limit) bytes"
        case .missingHeader(let name):
            return "required header \(name) is missing"
        case .multipleValues(let name, let count):
            return "\(name) must appear once but appears \(count) times"
        case .cseqMethodMismatch(let requestMethod, let cseqMethod):
            return "CSeq method \(SIPSyntax.excerpt(cseqMethod)) does not match the request method \(SIPSyntax.excerpt(requestMethod))"
        case .unsupportedURIScheme(let scheme):
            return "Request-URI scheme \"\(SIPSyntax.excerpt(scheme))\" is not supported (only sip and sips)"
        case .malformedURI(let uri, let reason):
            return "malformed URI \"\(SIPSyntax.excerpt(uri))\": \(reason)"
        }
    }

    /// The status code to answer with (RFC 3261 8.2, 21.4): 505 for a version we do not speak,
    /// 416 for an unknown Request-URI scheme, 413 for a body over the limit, 400 otherwise.
    public var suggestedStatus: Int {
        switch self {
        case .unsupportedVersion: return 505
        case .unsupportedURIScheme: return 416
        case .bodyTooLarge, .headerSectionTooLarge: return 413
        default: return 400
        }
    }
}
