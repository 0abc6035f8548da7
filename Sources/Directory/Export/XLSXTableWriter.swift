import Foundation
import ZIPFoundation

/// A minimal XLSX (Office Open XML) workbook with one sheet of inline strings. Every cell is text,
/// so codes keep their digits (no 4.41523E+19) and coordinates keep their trailing zeros. The sheet
/// XML streams to a temporary file and is deflated into the archive at the end.
public struct XLSXTableWriter: TableWriter {
    private let url: URL
    private let sheetName: String
    private let sheetURL: URL
    private let handle: FileHandle
    private var buffer = Data()
    private var rowNumber = 0

    public init(url: URL, sheetName: String = "视频资源目录") throws {
        self.url = url
        self.sheetName = sheetName
        sheetURL = FileManager.default.temporaryDirectory.appendingPathComponent("gbshare-sheet-\(UUID().uuidString).xml")
        guard FileManager.default.createFile(atPath: sheetURL.path, contents: nil) else {
            throw TableReadError.unreadable(path: sheetURL.path, reason: "cannot create the file")
        }
        handle = try FileHandle(forWritingTo: sheetURL)
        buffer.append(contentsOf: Array(#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#.utf8))
    }

    public mutating func write(_ cells: [String]) throws {
        rowNumber += 1
        var xml = "<row r=\"\(rowNumber)\">"
        for (index, cell) in cells.enumerated() where !cell.isEmpty {
            xml += "<c r=\"\(Self.columnName(index))\(rowNumber)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(Self.escape(cell))</t></is></c>"
        }
        xml += "</row>"
        buffer.append(contentsOf: Array(xml.utf8))
        if buffer.count > 1_048_576 { try flush() }
    }

    public mutating func finish() throws {
        buffer.append(contentsOf: Array("</sheetData></worksheet>".utf8))
        try flush()
        try handle.close()
        defer { try? FileManager.default.removeItem(at: sheetURL) }
        try? FileManager.default.removeItem(at: url)
        let archive = try Archive(url: url, accessMode: .create)
        for (path, text) in Self.parts(sheetName: Self.escape(sheetName)) {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        try archive.addEntry(with: "xl/worksheets/sheet1.xml", fileURL: sheetURL, compressionMethod: .deflate)
    }

    private mutating func flush() throws {
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// 0 → A, 25 → Z, 26 → AA.
    static func columnName(_ index: Int) -> String {
        var index = index
        var name = ""
        repeat {
            name = String(UnicodeScalar(UInt8(65 + index % 26))) + name
            index = index / 26 - 1
        } while index >= 0
        return name
    }

    /// XML text escaping; characters XML 1.0 forbids (most C0 controls) are dropped.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            case let c where c.value < 0x20 || c.value == 0xFFFE || c.value == 0xFFFF: continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func parts(sheetName: String) -> [(String, String)] {
        let header = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
        return [
            ("[Content_Types].xml", header + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#),
            ("_rels/.rels", header + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#),
            ("xl/workbook.xml", header + #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name=""# + sheetName + #"" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
            ("xl/_rels/workbook.xml.rels", header + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#),
        ]
    }
}
