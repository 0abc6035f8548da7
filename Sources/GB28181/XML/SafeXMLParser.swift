import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Parses MANSCDP text into a `MANSCDPElement` tree with FoundationXML's `XMLParser` (libxml2), inside bounds:
/// no DTD or entity declarations (XML bomb), bounded depth, element count and text size.
public enum SafeXMLParser {
    /// Parses already-decoded text (see `MANSCDPBodyDecoder`); the text must carry a UTF-8 declaration or none.
    public static func parse(_ text: String, limits: MANSCDPLimits = .init()) throws(MANSCDPError) -> MANSCDPElement {
        try refuseDeclarations(in: text)
        let data = Data(text.utf8)
        guard data.count <= limits.maxBodyBytes else {
            throw .bodyTooLarge(size: data.count, limit: limits.maxBodyBytes)
        }
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.shouldProcessNamespaces = false
        let builder = TreeBuilder(limits: limits)
        parser.delegate = builder
        let finished = parser.parse()
        if let failure = builder.failure { throw failure }
        // Linux: parse() can return true for malformed XML, so parserError is checked too (swift-linux-notes.md).
        if !finished || parser.parserError != nil {
            let code = (parser.parserError as NSError?)?.code ?? -1
            throw .malformedXML(line: parser.lineNumber, column: parser.columnNumber, code: code)
        }
        guard let root = builder.root else { throw .noRootElement }
        return root
    }

    /// DOCTYPE and ENTITY never appear in GB/T 28181 bodies; refusing them before libxml2 sees the text
    /// is the simplest complete defence against entity expansion (billion laughs) and external entities.
    static func refuseDeclarations(in text: String) throws(MANSCDPError) {
        guard text.containsByte(UInt8(ascii: "!")), text.contains("<!") else { return }
        for marker in ["<!DOCTYPE", "<!ENTITY", "<!ELEMENT", "<!ATTLIST"]
        where text.range(of: marker, options: .caseInsensitive) != nil {
            throw .forbiddenMarkup(marker.dropFirst(2).uppercased() + " declaration")
        }
    }
}

/// Builds the tree from parser callbacks and aborts as soon as a limit is crossed, so memory stays bounded.
private final class TreeBuilder: NSObject, XMLParserDelegate {
    let limits: MANSCDPLimits
    var stack: [MANSCDPElement] = []
    var texts: [String] = []
    var root: MANSCDPElement?
    var elementCount = 0
    var failure: MANSCDPError?

    /// Lower-cased names, computed once per distinct name rather than once per element.
    var keys: [String: String] = [:]

    init(limits: MANSCDPLimits) { self.limits = limits }

    func key(for name: String) -> String {
        if let cached = keys[name] { return cached }
        let key = name.lowercased()
        if keys.count < 1024 { keys[name] = key }
        return key
    }

    func fail(_ parser: XMLParser, _ error: MANSCDPError) {
        if failure == nil { failure = error }
        parser.abortParsing()
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        guard failure == nil else { return }
        elementCount += 1
        guard elementCount <= limits.maxElements else { return fail(parser, .tooManyElements(limit: limits.maxElements)) }
        guard stack.count < limits.maxDepth else {
            let path = (stack.prefix(4).map(\.name) + ["..."]).joined(separator: "/")
            return fail(parser, .tooDeep(limit: limits.maxDepth, path: path))
        }
        guard root == nil else { return fail(parser, .malformedXML(line: parser.lineNumber, column: parser.columnNumber, code: 5)) }
        let trimmed = attributes.isEmpty ? attributes : attributes.mapValues(\.trimmedFast)
        stack.append(MANSCDPElement(name: elementName, key: key(for: elementName), attributes: trimmed))
        texts.append("")
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        appendText(parser, string)
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        appendText(parser, String(decoding: CDATABlock, as: UTF8.self))
    }

    func appendText(_ parser: XMLParser, _ string: String) {
        guard failure == nil, !texts.isEmpty else { return }
        texts[texts.count - 1] += string
        if texts[texts.count - 1].utf8.count > limits.maxTextBytes {
            fail(parser, .textTooLong(element: stack.last?.name ?? "?", limit: limits.maxTextBytes))
        }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        guard failure == nil, var element = stack.popLast(), let text = texts.popLast() else { return }
        element.text = text.trimmedFast
        if stack.isEmpty {
            root = element
        } else {
            stack[stack.count - 1].children.append(element)
        }
    }

    // Belt and braces: declarations are refused before parsing, but never expand one if it slips through.
    func parser(_ parser: XMLParser, foundInternalEntityDeclarationWithName name: String, value: String?) {
        fail(parser, .forbiddenMarkup("ENTITY declaration"))
    }

    func parser(_ parser: XMLParser, foundExternalEntityDeclarationWithName name: String, publicID: String?, systemID: String?) {
        fail(parser, .forbiddenMarkup("external ENTITY declaration"))
    }

    func parser(_ parser: XMLParser, resolveExternalEntityName name: String, systemID: String?) -> Data? {
        fail(parser, .forbiddenMarkup("external entity reference"))
        return nil
    }
}
