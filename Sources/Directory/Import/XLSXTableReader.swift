import Foundation
import GBCore
import ZIPFoundation

/// Reads the first (or a named) sheet of an XLSX workbook. Every entry is inflated through a counter
/// that stops at `maxEntryBytes`, whatever size the zip claims, so a zip bomb is refused, not expanded.
public struct XLSXTableReader: TableSource {
    public static let defaultMaxEntryBytes = 256 * 1_048_576

    public let header: [String]
    public let sheetName: String
    public var issues: [ReadIssue] = []
    private let rows: [TableRow]
    private var index = 0

    public init(url: URL, sheet: String? = nil, maxEntryBytes: Int = defaultMaxEntryBytes) throws {
        let archive: Archive
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            throw TableReadError.notAnXLSX("\(error)")
        }
        let book = try XLSXWorkbook(archive: archive, maxEntryBytes: maxEntryBytes)
        let chosen = try book.sheet(named: sheet)
        sheetName = chosen.name
        let strings = try book.sharedStrings()
        let grid = try XLSXSheetParser.parse(book.read(chosen.path), entry: chosen.path, sharedStrings: strings)
        guard let headerRow = grid.first else { throw TableReadError.empty }
        header = headerRow.cells
        // Data rows are numbered from the header row, as a clerk counts them in Excel.
        rows = grid.dropFirst().map { TableRow(number: $0.number - headerRow.number, cells: $0.cells) }
    }

    public mutating func nextRow() throws -> TableRow? {
        guard index < rows.count else { return nil }
        defer { index += 1 }
        return rows[index]
    }
}

/// The parts of a workbook needed to find a sheet: workbook.xml, its relationships, shared strings.
struct XLSXWorkbook {
    struct Sheet {
        let name: String
        let path: String
    }

    let archive: Archive
    let maxEntryBytes: Int
    let sheets: [Sheet]

    init(archive: Archive, maxEntryBytes: Int) throws {
        self.archive = archive
        self.maxEntryBytes = maxEntryBytes
        let workbook = try XMLElementCollector.collect(
            Self.read(archive, "xl/workbook.xml", limit: maxEntryBytes), entry: "xl/workbook.xml", names: ["sheet"])
        let relations = try XMLElementCollector.collect(
            Self.read(archive, "xl/_rels/workbook.xml.rels", limit: maxEntryBytes), entry: "xl/_rels/workbook.xml.rels", names: ["Relationship"])
        var targets: [String: String] = [:]
        for relation in relations { if let id = relation["Id"], let target = relation["Target"] { targets[id] = target } }
        sheets = workbook.compactMap { sheet in
            guard let name = sheet["name"], let id = sheet["r:id"], let target = targets[id] else { return nil }
            let path = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
            return Sheet(name: name, path: path)
        }
        if sheets.isEmpty { throw TableReadError.notAnXLSX("the workbook lists no sheets") }
    }

    func sheet(named name: String?) throws -> Sheet {
        guard let name else { return sheets[0] }
        guard let sheet = sheets.first(where: { $0.name == name }) else {
            throw TableReadError.sheetNotFound(name, available: sheets.map(\.name))
        }
        return sheet
    }

    func read(_ path: String) throws -> Data { try Self.read(archive, path, limit: maxEntryBytes) }

    func sharedStrings() throws -> [String] {
        guard archive["xl/sharedStrings.xml"] != nil else { return [] }
        return try XLSXSharedStringsParser.parse(read("xl/sharedStrings.xml"), entry: "xl/sharedStrings.xml")
    }

    static func read(_ archive: Archive, _ path: String, limit: Int) throws -> Data {
        guard let entry = archive[path] else { throw TableReadError.notAnXLSX("\(path) is missing") }
        if entry.uncompressedSize > UInt64(limit) { throw TableReadError.entryTooLarge(entry: path, limit: limit) }
        var data = Data()
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                // The size in the header can lie: count what really comes out.
                if data.count + chunk.count > limit { throw TableReadError.entryTooLarge(entry: path, limit: limit) }
                data.append(chunk)
            }
        } catch let error as TableReadError {
            throw error
        } catch {
            throw TableReadError.notAnXLSX("\(path): \(error)")
        }
        return data
    }
}
