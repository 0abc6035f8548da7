/// A received body, typed, with what had to be done to read it (for per-device logging).
public struct ReceivedMANSCDP: Sendable, Equatable {
    public var message: MANSCDPMessage
    /// Charset facts: detected vs declared (🔧 devices lie, spec §1.5).
    public var body: DecodedBody
    /// Vendor repairs applied before the body parsed (spec §3.1).
    public var repairs: [MANSCDPRepair]
}

/// Bytes in, typed message out: charset detection (§1.5), sanitising (§3.1), bounded parsing, typing.
public enum MANSCDPDecoder {
    public static func decode(_ bytes: [UInt8], limits: MANSCDPLimits = .init()) throws(MANSCDPError) -> ReceivedMANSCDP {
        let (element, body, repairs) = try parseTree(bytes, limits: limits)
        return ReceivedMANSCDP(message: try MANSCDPMessage(element: element), body: body, repairs: repairs)
    }

    /// Decodes and parses to an element tree without typing it (for commands this model does not know).
    public static func parseTree(_ bytes: [UInt8], limits: MANSCDPLimits = .init())
        throws(MANSCDPError) -> (MANSCDPElement, DecodedBody, [MANSCDPRepair]) {
        guard bytes.contains(where: { !XMLDeclaration.isXMLSpace($0) }) else { throw .emptyBody }
        let body = try MANSCDPBodyDecoder.decode(bytes, limits: limits)
        var text = body.text
        var repairs: [MANSCDPRepair] = []
        if let escaped = XMLSanitiser.escapingBareAmpersands(text) {
            text = escaped
            repairs.append(.escapedBareAmpersand)
        }
        do {
            return (try SafeXMLParser.parse(text, limits: limits), body, repairs)
        } catch {
            // Only a plain syntax error is worth a second attempt; limit violations are final.
            guard case .malformedXML = error, let repaired = XMLSanitiser.escapingAddressMarkup(text) else { throw error }
            repairs.append(.escapedAddressMarkup)
            return (try SafeXMLParser.parse(repaired, limits: limits), body, repairs)
        }
    }
}
