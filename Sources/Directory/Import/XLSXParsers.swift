import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import GBCore

/// Collects the attributes of every element with one of the given names (workbook, relationships).
final class XMLElementCollector: NSObject, XMLParserDelegate {
    private let names: Set<String>
    private var found: [[String: String]] = []

    private init(names: Set<String>) { self.names = names }

    static func collect(_ data: Data, entry: String, names: Set<String>) throws -> [[String: String]] {
        let collector = XMLElementCollector(names: names)
        try XMLRun.parse(data, entry: entry, delegate: collector)
        return collector.found
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if names.contains(name) { found.append(attributes) }
    }
}

/// xl/sharedStrings.xml: `<si>` items, each plain `<t>` or rich-text runs `<r><t>`; phonetic
/// guides (`<rPh>`) are not part of the text.
final class XLSXSharedStringsParser: NSObject, XMLParserDelegate {
    private var strings: [String] = []
    private var current = ""
    private var inText = false
    private var phoneticDepth = 0

    static func parse(_ data: Data, entry: String) throws -> [String] {
        let parser = XLSXSharedStringsParser()
        try XMLRun.parse(data, entry: entry, delegate: parser)
        return parser.strings
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        switch name {
        case "si": current = ""
        case "rPh": phoneticDepth += 1
        case "t": inText = phoneticDepth == 0
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText { current += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "si": strings.append(current)
        case "rPh": phoneticDepth -= 1
        case "t": inText = false
        default: break
        }
    }
}

/// A worksheet's rows: cells placed by their `r` reference (A1), so skipped cells stay empty.
final class XLSXSheetParser: NSObject, XMLParserDelegate {
    struct Row {
        var number: Int
        var cells: [String]
    }

    private let sharedStrings: [String]
    private var rows: [Row] = []
    private var row: Row?
    private var cellColumn = 0
    private var cellType = ""
    private var cellText = ""
    private var collecting = false
    private var nextColumn = 0

    private init(sharedStrings: [String]) { self.sharedStrings = sharedStrings }

    static func parse(_ data: Data, entry: String, sharedStrings: [String]) throws -> [Row] {
        let parser = XLSXSheetParser(sharedStrings: sharedStrings)
        try XMLRun.parse(data, entry: entry, delegate: parser)
        return parser.rows
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        switch name {
        case "row":
            let number = attributes["r"].flatMap(Int.init) ?? ((rows.last?.number ?? 0) + 1)
            row = Row(number: number, cells: [])
            nextColumn = 0
        case "c":
            cellColumn = attributes["r"].flatMap(Self.column(of:)) ?? nextColumn
            cellType = attributes["t"] ?? "n"
            cellText = ""
        case "v", "t":
            collecting = true
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if collecting { cellText += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "v", "t":
            collecting = false
        case "c":
            guard var current = row, cellColumn < 16_384 else { return }
            var value = cellText
            if cellType == "s" {
                value = Int(cellText).flatMap { $0 < sharedStrings.count ? sharedStrings[$0] : nil } ?? ""
            } else if cellType == "b" {
                value = cellText == "1" ? "TRUE" : "FALSE"
            }
            if current.cells.count <= cellColumn { current.cells += Array(repeating: "", count: cellColumn + 1 - current.cells.count) }
            current.cells[cellColumn] = value
            row = current
            nextColumn = cellColumn + 1
        case "row":
            if let current = row { rows.append(current) }
            row = nil
        default: break
        }
    }

    /// "AB12" → 27 (zero-based column).
    static func column(of reference: String) -> Int? {
        var column = 0
        var sawLetter = false
        for scalar in reference.unicodeScalars {
            guard ("A"..."Z").contains(scalar) else { break }
            column = column * 26 + Int(scalar.value - 64)
            sawLetter = true
            if column > 16_384 { return nil }
        }
        return sawLetter ? column - 1 : nil
    }
}

enum XMLRun {
    /// Runs a parser with entities off; on Linux `parse()` can return true on malformed XML, so
    /// `parserError` is checked as well.
    static func parse(_ data: Data, entry: String, delegate: XMLParserDelegate) throws {
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.delegate = delegate
        let ok = parser.parse()
        if !ok || parser.parserError != nil {
            let reason = parser.parserError.map { "\($0.localizedDescription) at line \(parser.lineNumber)" } ?? "unknown error"
            throw TableReadError.malformedXML(entry: entry, reason: reason)
        }
    }
}
