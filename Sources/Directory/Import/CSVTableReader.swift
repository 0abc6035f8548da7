import Foundation
import GBCore

/// Reads a CSV file row by row with bounded memory: 256 KiB chunks, charset detected.
public struct CSVTableReader: TableSource {
    public static let defaultMaxCellBytes = 65_536
    private static let chunkSize = 262_144

    private let handle: FileHandle
    private var transcoder = ChunkTranscoder()
    private var parser: CSVRowParser
    private var pending: [TableRow] = []
    private var pendingIndex = 0
    private var finished = false
    private var delimiterChosen = false
    public private(set) var header: [String] = []

    public var issues: [ReadIssue] {
        parser.issues + transcoder.issues.map { ReadIssue(row: parser.rowsEmitted, message: LocalizedText(zh: "字符编码：\($0)", en: "charset: \($0)")) }
    }

    public var detectedCharset: String? { transcoder.charset?.rawValue }

    public init(url: URL, maxCellBytes: Int = defaultMaxCellBytes) throws {
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw TableReadError.unreadable(path: url.path, reason: (error as NSError).localizedDescription)
        }
        parser = CSVRowParser(maxCellBytes: maxCellBytes)
        guard let first = try nextRowRaw() else { throw TableReadError.empty }
        header = first.cells
    }

    public mutating func nextRow() throws -> TableRow? {
        try nextRowRaw()
    }

    private mutating func nextRowRaw() throws -> TableRow? {
        while pendingIndex >= pending.count {
            if finished { return nil }
            try fill()
        }
        defer { pendingIndex += 1 }
        return pending[pendingIndex]
    }

    private mutating func fill() throws {
        pending.removeAll(keepingCapacity: true)
        pendingIndex = 0
        let data: Data
        do {
            data = try handle.read(upToCount: Self.chunkSize) ?? Data()
        } catch {
            throw TableReadError.unreadable(path: "", reason: (error as NSError).localizedDescription)
        }
        let final = data.isEmpty
        let utf8 = try transcoder.feed(Array(data), final: final)
        if parser.rowsEmitted == 0, !delimiterChosen, !utf8.isEmpty {
            // Excel's "Unicode text" and some exports are tab-separated: a first line with tabs and
            // no commas is read that way.
            let firstLine = utf8.prefix { $0 != 0x0A }
            if firstLine.contains(0x09) && !firstLine.contains(UInt8(ascii: ",")) { parser.delimiter = 0x09 }
            delimiterChosen = true
        }
        var rows: [TableRow] = []
        parser.feed(utf8) { rows.append($0) }
        if final {
            parser.finish { rows.append($0) }
            finished = true
            try? handle.close()
        }
        pending = rows
    }
}
