/// Typed views of the headers a SIP stack and the GB28181 layer use. Getters parse on demand
/// and throw `SIPParseError` with the header name and the offending text; setters write the
/// canonical form in place so header order is kept.
extension SIPHeaders {
    public var callID: String? { self["Call-ID"] }

    public var contentType: String? { self["Content-Type"] }

    /// All Via values, top first (comma-joined lines split, RFC 3261 7.3.1).
    public func vias() throws(SIPParseError) -> [Via] {
        var result: [Via] = []
        for value in values("Via") { result.append(try Via(parsing: value)) }
        return result
    }

    public func topVia() throws(SIPParseError) -> Via {
        guard let first = values("Via").first else { throw .missingHeader("Via") }
        return try Via(parsing: first)
    }

    /// Rewrites the first Via value, leaving any further values of the same line alone.
    public mutating func setTopVia(_ via: Via) {
        replaceFirstValue("Via", with: via.description)
    }

    public func from() throws(SIPParseError) -> SIPNameAddress {
        try singleAddress("From")
    }

    public func to() throws(SIPParseError) -> SIPNameAddress {
        try singleAddress("To")
    }

    public mutating func setFrom(_ address: SIPNameAddress) { set("From", address.description) }
    public mutating func setTo(_ address: SIPNameAddress) { set("To", address.description) }

    public func contacts() throws(SIPParseError) -> [SIPContact] {
        var result: [SIPContact] = []
        for value in values("Contact") { result.append(try SIPContact(parsing: value)) }
        return result
    }

    /// The first Contact address (the remote target of a dialog, RFC 3261 12.1).
    public func contact() throws(SIPParseError) -> SIPNameAddress? {
        try contacts().lazy.compactMap(\.address).first
    }

    public func routes() throws(SIPParseError) -> [SIPNameAddress] { try addressList("Route") }
    public func recordRoutes() throws(SIPParseError) -> [SIPNameAddress] { try addressList("Record-Route") }

    public func cseq() throws(SIPParseError) -> CSeq {
        guard let value = self["CSeq"] else { throw .missingHeader("CSeq") }
        return try CSeq(parsing: value)
    }

    public mutating func setCSeq(_ cseq: CSeq) { set("CSeq", cseq.description) }

    /// Max-Forwards, 0...255 (RFC 3261 20.22); nil when absent.
    public func maxForwards() throws(SIPParseError) -> Int? {
        try boundedInteger("Max-Forwards", max: 255)
    }

    /// Expires in seconds, below 2^32 (RFC 3261 20.19); nil when absent.
    public func expires() throws(SIPParseError) -> Int? {
        try boundedInteger("Expires", max: 0xFFFF_FFFF)
    }

    /// The declared Content-Length; nil when absent.
    public func contentLength() throws(SIPParseError) -> Int? {
        guard let value = self["Content-Length"] else { return nil }
        guard let length = parseBoundedDecimal(trimmedLWS(value), max: UInt64(Int32.max)) else {
            throw .invalidContentLength(value)
        }
        return Int(length)
    }

    private func singleAddress(_ name: String) throws(SIPParseError) -> SIPNameAddress {
        let lines = self.lines(name)
        guard let value = lines.first else { throw .missingHeader(name) }
        guard lines.count == 1 else { throw .multipleValues(header: name, count: lines.count) }
        return try SIPNameAddress(parsing: value, header: name)
    }

    private func addressList(_ name: String) throws(SIPParseError) -> [SIPNameAddress] {
        var result: [SIPNameAddress] = []
        for value in values(name) { result.append(try SIPNameAddress(parsing: value, header: name)) }
        return result
    }

    private func boundedInteger(_ name: String, max: UInt64) throws(SIPParseError) -> Int? {
        guard let value = self[name] else { return nil }
        guard let number = parseBoundedDecimal(trimmedLWS(value), max: max) else {
            throw .invalidHeader(name: name, value: value, reason: "not a decimal number from 0 to \(max)")
        }
        return Int(number)
    }
}
