import Foundation
import GBCore

/// Writes a directory as a table, row by row, so an export of 100,000 cameras streams to disk.
public protocol TableWriter {
    mutating func write(_ cells: [String]) throws
    mutating func finish() throws
}

/// Spreadsheet formula injection: a cell starting with = + - @ is run by Excel/WPS as a formula.
/// Such cells get a leading apostrophe, which spreadsheets show as text and our import removes.
public enum FormulaGuard {
    public static func escape(_ text: String) -> String {
        // OWASP's list of cell starts a spreadsheet may run as a formula: = + - @, and TAB and CR, which
        // some spreadsheets skip before looking for the formula sign.
        guard let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return text }
        return "'" + text
    }
}

/// The export layout: Appendix 5 columns in order, Chinese headers; the extras after them on request.
public struct ExportLayout: Sendable {
    public let fields: [CameraField]

    public init(includeExtras: Bool = false) {
        fields = CameraField.appendix5 + (includeExtras ? CameraField.extras : [])
    }

    public func header(_ language: Language = .zh) -> [String] {
        fields.map { $0.header.text(for: language) }
    }

    public func cells(_ record: CameraRecord) -> [String] {
        fields.map { FormulaGuard.escape(record[$0]) }
    }
}

/// CSV as Excel in China opens it without asking: UTF-8 with a BOM, CRLF, RFC 4180 quoting.
public struct CSVTableWriter: TableWriter {
    private let handle: FileHandle
    private var buffer = Data()

    public init(url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw TableReadError.unreadable(path: url.path, reason: "cannot create the file")
        }
        handle = try FileHandle(forWritingTo: url)
        buffer.append(contentsOf: [0xEF, 0xBB, 0xBF])
    }

    public mutating func write(_ cells: [String]) throws {
        buffer.append(contentsOf: Array((cells.map(Self.quote).joined(separator: ",") + "\r\n").utf8))
        if buffer.count > 1_048_576 { try flush() }
    }

    public mutating func finish() throws {
        try flush()
        try handle.close()
    }

    private mutating func flush() throws {
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    public static func quote(_ cell: String) -> String {
        guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || cell.first == " " || cell.last == " " else {
            return cell
        }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
