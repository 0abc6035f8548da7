/// Everything that can go wrong turning MANSCDP bytes into a message, with a message a person can act on:
/// what was wrong, where, and what to do about it.
public enum MANSCDPError: Error, Sendable, Equatable, CustomStringConvertible {
    case emptyBody
    case bodyTooLarge(size: Int, limit: Int)
    case undecodableBody(byteCount: Int)
    case unencodableText(charset: String)
    /// A DOCTYPE or ENTITY declaration: refused outright (XML bomb / external entity protection).
    case forbiddenMarkup(String)
    case tooDeep(limit: Int, path: String)
    case tooManyElements(limit: Int)
    case textTooLong(element: String, limit: Int)
    case malformedXML(line: Int, column: Int, code: Int)
    case noRootElement
    case unknownRoot(String)
    case missingElement(String, in: String)
    case invalidValue(element: String, value: String, expected: String)

    public var description: String {
        switch self {
        case .emptyBody:
            return "MANSCDP body is empty; the peer sent a MESSAGE without XML. Answer 400 and check the device's firmware."
        case let .bodyTooLarge(size, limit):
            return "MANSCDP body of \(size) bytes exceeds the \(limit)-byte limit; refuse it, or raise MANSCDPLimits.maxBodyBytes if the peer legitimately batches that many items."
        case let .undecodableBody(count):
            return "MANSCDP body (\(count) bytes) is neither UTF-8 nor GB 18030 text; it is probably binary garbage or a different protocol on the SIP port."
        case let .unencodableText(charset):
            return "Text cannot be encoded as \(charset); switch the peer's charset setting to UTF-8 or remove the offending characters."
        case let .forbiddenMarkup(what):
            return "MANSCDP body contains \(what); DTDs and entities are refused (XML bomb protection). No GB/T 28181 body needs them: reject the message and log the sender."
        case let .tooDeep(limit, path):
            return "XML nesting deeper than \(limit) levels at \(path); MANSCDP bodies are at most a few levels deep, so the body is malformed or hostile."
        case let .tooManyElements(limit):
            return "XML body has more than \(limit) elements; ask the peer to split its answer (SumNum/Num fragmentation) or raise MANSCDPLimits.maxElements."
        case let .textTooLong(element, limit):
            return "Text of <\(element)> exceeds \(limit) bytes; no MANSCDP field is that long, so the body is malformed or hostile."
        case let .malformedXML(line, column, code):
            return "Malformed XML at line \(line), column \(column) (libxml2 error \(code)); the body may be truncated (UDP fragment lost) or contain unescaped characters. Answer 400."
        case .noRootElement:
            return "Body contains no XML element; expected <Query>, <Control>, <Notify> or <Response>."
        case let .unknownRoot(name):
            return "Unknown MANSCDP root <\(name)>; expected Query, Control, Notify or Response. Answer 415 ([W] does)."
        case let .missingElement(name, parent):
            return "Required element <\(name)> is missing in <\(parent)>; the message cannot be correlated or routed without it."
        case let .invalidValue(element, value, expected):
            return "<\(element)> has value '\(value)', expected \(expected)."
        }
    }
}

/// Bounds on what a MANSCDP body may cost us. Defaults fit the largest legitimate catalog fragment
/// (spec §3.6: up to 10 000 records per message) with room to spare.
public struct MANSCDPLimits: Sendable, Equatable {
    public var maxBodyBytes: Int
    public var maxDepth: Int
    public var maxElements: Int
    public var maxTextBytes: Int

    public init(maxBodyBytes: Int = 16 << 20, maxDepth: Int = 32, maxElements: Int = 400_000,
                maxTextBytes: Int = 64 << 10) {
        self.maxBodyBytes = maxBodyBytes
        self.maxDepth = maxDepth
        self.maxElements = maxElements
        self.maxTextBytes = maxTextBytes
    }
}
