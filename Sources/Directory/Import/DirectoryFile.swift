import Foundation
import GBCore

/// One row of a directory file turned into a record, with every finding for it.
public struct ImportedRow: Sendable {
    public var row: Int
    public var record: CameraRecord
    public var findings: [Finding]
}

/// A directory file opened for reading: CSV (UTF-8, UTF-8 with BOM, GB18030) or XLSX, detected from
/// its bytes; headers matched to fields; each row validated as it is read. Rows with errors are
/// returned like any other: the caller keeps them all.
public struct DirectoryFile {
    public enum Format: String, Sendable, Codable {
        case csv
        case xlsx
    }

    public let format: Format
    public let columns: CameraColumnMap
    public var layout: ImportLayout { columns.layout }
    public var charset: String?
    private var source: any TableSource
    private let validator: CameraValidator
    private var codes = DuplicateCodeTracker()

    public static func open(url: URL, sheet: String? = nil, validator: CameraValidator = CameraValidator()) throws -> DirectoryFile {
        let format = try Self.sniff(url)
        var charset: String?
        let source: any TableSource
        switch format {
        case .csv:
            let reader = try CSVTableReader(url: url)
            charset = reader.detectedCharset
            source = reader
        case .xlsx:
            source = try XLSXTableReader(url: url, sheet: sheet)
        }
        let columns: CameraColumnMap
        do {
            columns = try CameraColumnMap(header: source.header)
        } catch {
            throw DirectoryFileError.header(error)
        }
        return DirectoryFile(format: format, columns: columns, charset: charset, source: source, validator: validator)
    }

    /// XLSX is a zip (`PK\3\4`); anything else is read as CSV.
    static func sniff(_ url: URL) throws -> Format {
        guard let handle = try? FileHandle(forReadingFrom: url) else {
            throw TableReadError.unreadable(path: url.path, reason: "no such file or no permission")
        }
        defer { try? handle.close() }
        let magic = (try? handle.read(upToCount: 4)) ?? Data()
        if magic.isEmpty { throw TableReadError.empty }
        return Array(magic) == [0x50, 0x4B, 0x03, 0x04] ? .xlsx : .csv
    }

    public var header: [String] { source.header }

    /// Problems with the file itself, as findings on their rows.
    public var readFindings: [Finding] {
        source.issues.map { Finding(row: $0.row, code: "", field: nil, rule: .fileFormat, message: $0.message) }
    }

    /// The next non-blank row as a validated record, or nil at the end.
    public mutating func next() throws -> ImportedRow? {
        while let row = try source.nextRow() {
            if row.isBlank { continue }
            let record = makeRecord(row)
            var findings = validator.validate(record, row: row.number, required: layout.requiredCameraFields)
            if let duplicate = codes.see(record.code, row: row.number) {
                findings.append(duplicate)
            }
            return ImportedRow(row: row.number, record: record, findings: findings)
        }
        return nil
    }

    private func makeRecord(_ row: TableRow) -> CameraRecord {
        var record = CameraRecord()
        for (index, field) in columns.fields where index < row.cells.count {
            record[field] = CellText.clean(row.cells[index], field: field)
        }
        if layout == .luanCamera, record[.division].isEmpty, !record[.locality].isEmpty,
           let division = validator.divisions.resolve(place: record[.locality]) {
            // The Lu'an form names the place in words; the division code is read from it.
            record[.division] = division.code
        }
        return record
    }
}

public enum DirectoryFileError: PublicError, Sendable, CustomStringConvertible {
    case header(CameraColumnMap.HeaderError)

    public var message: LocalizedText {
        switch self {
        case .header(let error): error.message
        }
    }

    public var kind: FailureKind { .unprocessable }
    public var code: String { "missing_columns" }

    public var description: String { message.en }
}

/// How a cell's text becomes a field value.
enum CellText {
    static func clean(_ text: String, field: CameraField) -> String {
        var value = text.trimmedWhitespace
        // Our own export escapes formula-like cells with a leading apostrophe: undo it.
        if value.hasPrefix("'"), let next = value.dropFirst().first, "=+-@".contains(next) {
            value.removeFirst()
        }
        if field == .code || field == .platformCode {
            // Forms wrap long codes inside the cell ("34012341001\n320175079").
            value = value.filter { !$0.isWhitespace }
        }
        return value
    }
}

/// Codes seen so far in one file: the second and later rows with a code get `duplicate_code`.
struct DuplicateCodeTracker {
    private var firstRow: [String: Int] = [:]

    mutating func see(_ code: String, row: Int) -> Finding? {
        guard !code.isEmpty else { return nil }
        if let first = firstRow[code] {
            return Finding(row: row, code: code, field: .code, rule: .duplicateCode, value: code, message: LocalizedText(
                zh: "设备编码\(code)与第\(first)行重复", en: "device code \(code) repeats row \(first)"))
        }
        firstRow[code] = row
        return nil
    }
}
