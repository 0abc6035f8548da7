import Foundation

/// Writes a MANSCDP body line by line in the layout of the spec's wire examples: one element per line,
/// every line ending in CRLF (spec §0: the Content-Length values were computed on exactly those bytes).
public struct MANSCDPWriter: Sendable {
    private var body: String

    /// Starts a body with the root element and the envelope of spec §3.1 (CmdType, SN, DeviceID).
    public init(root: MANSCDPRoot, cmdType: MANSCDPCmdType, sn: Int, deviceID: String) {
        body = ""
        body.reserveCapacity(256)
        rootName = root.rawValue
        line("<\(rootName)>")
        element("CmdType", cmdType.name)
        element("SN", sn)
        element("DeviceID", deviceID)
    }

    private let rootName: String

    /// Writes `<name>value</name>`; nothing when `value` is nil.
    public mutating func element(_ name: String, _ value: String?) {
        guard let value else { return }
        // Appended piecewise: this runs once per field of 100 000-item catalogs.
        body += "<"
        body += name
        body += ">"
        body += Self.escape(value)
        body += "</"
        body += name
        body += ">\r\n"
    }

    public mutating func element(_ name: String, _ value: Int?) {
        element(name, value.map(String.init))
    }

    public mutating func element(_ name: String, _ value: Double?) {
        element(name, value.map(Self.decimal))
    }

    public mutating func open(_ name: String, attributes: KeyValuePairs<String, String> = [:]) {
        let rendered = attributes.map { " \($0.key)=\"\(Self.escape($0.value, quotes: true))\"" }.joined()
        line("<\(name)\(rendered)>")
    }

    public mutating func close(_ name: String) {
        line("</\(name)>")
    }

    /// The complete text with the declaration for `charset`.
    public func text(charset: OutgoingCharset) -> String {
        charset.declaration + "\r\n" + body + "</\(rootName)>\r\n"
    }

    private mutating func line(_ text: String) {
        body += text
        body += "\r\n"
    }

    /// Appends text without a line ending, for elements that mix text and attributes.
    mutating func appendRaw(_ text: String) {
        body += text
    }

    static func escape(_ value: String, quotes: Bool = false) -> String {
        var copy = value
        let needsEscaping = copy.withUTF8 { bytes in
            bytes.contains { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || (quotes && $0 == 0x22) }
        }
        guard needsEscaping else { return value }
        var out = value.replacingOccurrences(of: "&", with: "&amp;")
            .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        if quotes { out = out.replacingOccurrences(of: "\"", with: "&quot;") }
        return out
    }

    /// Decimal rendering without exponent: `117.2272`, `0.0`, `90.0` as in the spec's examples.
    static func decimal(_ value: Double) -> String {
        let shortest = String(value)
        guard shortest.contains("e") else { return shortest }
        var fixed = String(format: "%.8f", value)
        while fixed.hasSuffix("0"), !fixed.hasSuffix(".0") { fixed.removeLast() }
        return fixed
    }
}

extension MANSCDPWriter {
    /// Writes a parsed element back out (unknown fields kept for forwarding, vendor config blocks).
    public mutating func write(_ element: MANSCDPElement) {
        if element.children.isEmpty {
            if element.attributes.isEmpty {
                self.element(element.name, element.text)
                return
            }
            openWithAttributes(element)
            appendRaw(Self.escape(element.text))
            close(element.name)
            return
        }
        openWithAttributes(element)
        for child in element.children { write(child) }
        close(element.name)
    }

    private mutating func openWithAttributes(_ element: MANSCDPElement) {
        let rendered = element.attributes.sorted { $0.key < $1.key }
            .map { " \($0.key)=\"\(Self.escape($0.value, quotes: true))\"" }.joined()
        appendRaw("<\(element.name)\(rendered)>")
        if !element.children.isEmpty { appendRaw("\r\n") }
    }
}
