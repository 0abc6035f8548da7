import GBCore

/// One row of a table file: its data row number (the header is row 0) and its cells as text.
public struct TableRow: Sendable {
    public var number: Int
    public var cells: [String]

    public init(number: Int, cells: [String]) {
        self.number = number
        self.cells = cells
    }

    public var isBlank: Bool { cells.allSatisfy { $0.trimmedWhitespace.isEmpty } }
}

/// Something wrong with the file itself at a row (a quote never closed, an oversize cell, bytes in
/// the wrong charset). The rows around it are still read.
public struct ReadIssue: Hashable, Sendable, Codable {
    public var row: Int
    public var message: LocalizedText

    public init(row: Int, message: LocalizedText) {
        self.row = row
        self.message = message
    }
}

/// Why a file could not be read at all.
public enum TableReadError: PublicError, Sendable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case empty
    case unsupportedEncoding(String)
    case notAnXLSX(String)
    case sheetNotFound(String, available: [String])
    case entryTooLarge(entry: String, limit: Int)
    case malformedXML(entry: String, reason: String)

    public var message: LocalizedText {
        switch self {
        case .unreadable(let path, let reason):
            LocalizedText(zh: "无法读取文件\(path)：\(reason)", en: "cannot read \(path): \(reason)")
        case .empty:
            LocalizedText(zh: "文件为空，没有表头", en: "the file is empty: there is no header row")
        case .unsupportedEncoding(let name):
            LocalizedText(zh: "不支持\(name)编码，请另存为“CSV UTF-8”或Excel默认CSV", en: "\(name) is not supported; save as 'CSV UTF-8' or Excel's default CSV")
        case .notAnXLSX(let reason):
            LocalizedText(zh: "不是有效的XLSX文件（\(reason)），请用Excel另存为.xlsx", en: "not a valid XLSX file (\(reason)); save it again as .xlsx")
        case .sheetNotFound(let name, let available):
            LocalizedText(zh: "找不到工作表“\(name)”，现有：\(available.joined(separator: "、"))",
                          en: "no sheet named '\(name)'; the workbook has: \(available.joined(separator: ", "))")
        case .entryTooLarge(let entry, let limit):
            LocalizedText(zh: "XLSX内部文件\(entry)解压后超过\(limit / 1_048_576) MB，已拒绝（疑似压缩炸弹）",
                          en: "\(entry) inside the XLSX expands past \(limit / 1_048_576) MB; refused (zip bomb?)")
        case .malformedXML(let entry, let reason):
            LocalizedText(zh: "XLSX内部文件\(entry)损坏：\(reason)", en: "\(entry) inside the XLSX is damaged: \(reason)")
        }
    }

    public var kind: FailureKind { .unprocessable }
    public var code: String { "unreadable_file" }

    public var description: String { message.en }
}

/// A source of rows read one at a time, so a 100,000-row file never sits in memory whole.
public protocol TableSource {
    /// The header row's cells.
    var header: [String] { get }
    /// The next row, or nil at the end.
    mutating func nextRow() throws -> TableRow?
    /// Problems met so far in the file itself.
    var issues: [ReadIssue] { get }
}
