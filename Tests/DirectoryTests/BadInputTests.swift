import Foundation
import GBCore
import Testing
import ZIPFoundation
@testable import Directory

/// Bad files are normal input: each gives a clear error or findings, none crashes, memory stays bounded.
@Suite struct BadInputTests {
    static let header = "设备编码,设备名称,行政区划,基层组织编码,建设单位,管理单位,管理单位联系方式,承建单位,维护单位,监控点位类型,平台编码,摄像机所属部门/行业,摄像机类型,联网状态,安装地址,摄像机位置类型,经纬度类型,经度,纬度,IPV4地址,MAC地址,摄像机安装位置室内外,摄像机监控方位,立杆编号,接入网络,录像保存天数,共享属性,默认权限,设备厂商,摄像机编码格式,设备状态"

    static func sampleLine(_ index: Int) throws -> String {
        let text = try String(contentsOf: SharedData.sampleCSV, encoding: .utf8)
        return String(text.split(whereSeparator: \.isNewline)[index])
    }

    static func write(_ bytes: [UInt8], _ name: String) throws -> URL {
        let url = SharedData.temporaryFile(name)
        try Data(bytes).write(to: url)
        return url
    }

    @Test func emptyFileIsRefusedClearly() throws {
        let url = try Self.write([], "empty.csv")
        #expect(throws: TableReadError.self) { _ = try DirectoryImporter.check(url: url) }
        do { _ = try DirectoryImporter.check(url: url) } catch let error as TableReadError {
            #expect(error.message.zh.contains("文件为空"))
        }
    }

    @Test func headerOnlyIsZeroRows() throws {
        let url = try Self.write(Array((Self.header + "\n").utf8), "header.csv")
        let result = try DirectoryImporter.check(url: url)
        #expect(result.summary.rows == 0)
        #expect(result.findings.isEmpty)
    }

    @Test func missingRequiredColumnsAreNamed() throws {
        let url = try Self.write(Array("设备编码,设备名称\n44152309581320861168,x\n".utf8), "narrow.csv")
        do {
            _ = try DirectoryImporter.check(url: url)
            Issue.record("a file without the required columns was accepted")
        } catch let error as DirectoryFileError {
            #expect(error.message.zh.contains("行政区划"))
            #expect(error.message.en.contains("admin division"))
        }
    }

    @Test func binaryGarbageIsAnErrorNotACrash() throws {
        var generator = SeededGenerator(seed: 42)
        let bytes = (0..<200_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let url = try Self.write(bytes, "garbage.csv")
        #expect(throws: (any Error).self) { _ = try DirectoryImporter.check(url: url) }
        // Garbage that happens to look like a zip header is refused as XLSX.
        let zipLike = try Self.write([0x50, 0x4B, 0x03, 0x04] + bytes.prefix(5000), "garbage.xlsx")
        #expect(throws: TableReadError.self) { _ = try DirectoryImporter.check(url: zipLike) }
    }

    @Test func truncatedXLSXIsRefused() throws {
        let data = try Data(contentsOf: SharedData.sampleXLSX)
        for fraction in [0.1, 0.5, 0.9, 0.99] {
            let url = try Self.write(Array(data.prefix(Int(Double(data.count) * fraction))), "truncated.xlsx")
            #expect(throws: TableReadError.self) { _ = try DirectoryImporter.check(url: url) }
        }
    }

    @Test func zipBombEntryIsRefusedPastTheLimit() throws {
        // A sheet of 64 MiB of zeros deflates to about 64 KiB; the limit here is 8 MiB.
        let url = SharedData.temporaryFile("bomb.xlsx")
        let archive = try Archive(url: url, accessMode: .create)
        for (path, text) in XLSXTableWriter.parts(sheetName: "s") {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count)) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        let size = 64 * 1_048_576
        try archive.addEntry(with: "xl/worksheets/sheet1.xml", type: .file, uncompressedSize: Int64(size), compressionMethod: .deflate) { _, chunk in
            Data(count: chunk)
        }
        do {
            _ = try XLSXTableReader(url: url, maxEntryBytes: 8 * 1_048_576)
            Issue.record("the bomb was expanded")
        } catch let error as TableReadError {
            guard case .entryTooLarge = error else { Issue.record("unexpected \(error)"); return }
            #expect(error.message.zh.contains("压缩炸弹"))
        }
    }

    @Test func millionCharacterCellIsCutAndReported() throws {
        let line = try Self.sampleLine(1)
        let huge = String(repeating: "长", count: 1_000_000)
        let text = Self.header + "\n" + line.replacingOccurrences(of: "汕尾市陆河县香洲路河堤", with: huge) + "\n" + (try Self.sampleLine(2)) + "\n"
        let url = try Self.write(Array(text.utf8), "huge-cell.csv")
        let result = try DirectoryImporter.check(url: url)
        #expect(result.summary.rows == 2)
        #expect(result.findings.contains { $0.rule == .fileFormat && $0.row == 1 })
        #expect(result.findings.contains { $0.rule == .tooLong && $0.row == 1 && $0.field == .name })
        #expect(!result.findings.contains { $0.row == 2 && $0.severity == .error })
    }

    @Test func unbalancedQuoteCostsOneRowNotTheFile() throws {
        var lines = [Self.header]
        for index in 1...50 { lines.append(try Self.sampleLine(index)) }
        // Row 10's name opens a quote that never closes.
        lines[10] = lines[10].replacingOccurrences(of: ",汕尾市", with: ",\"汕尾市", options: [], range: lines[10].range(of: ",汕尾市"))
        let url = try Self.write(Array((lines.joined(separator: "\n") + "\n").utf8), "quote.csv")
        var file = try DirectoryFile.open(url: url)
        var rows: [ImportedRow] = []
        while let row = try file.next() { rows.append(row) }
        #expect(rows.count == 50)
        #expect(file.readFindings.contains { $0.row == 10 && $0.message.zh.contains("引号") })
        #expect(rows[20].record.code == (try Self.sampleLine(21)).split(separator: ",").first.map(String.init))
    }

    @Test func tabSeparatedAndBOMFilesRead() throws {
        let line = try Self.sampleLine(1)
        let bom = try Self.write([0xEF, 0xBB, 0xBF] + Array((Self.header + "\r\n" + line + "\r\n").utf8), "bom.csv")
        let withBOM = try DirectoryImporter.check(url: bom)
        #expect(withBOM.summary.rows == 1 && withBOM.summary.charset == "UTF-8")
        #expect(!withBOM.findings.contains { $0.severity == .error })
    }

    @Test func headersAsClerksWriteThem() throws {
        let messy = ["设备编码*", "设备名称 *", "行政\n区划", "摄像机所属\n部门/行业*", "经度（WGS84）", "纬度(WGS84)", "序号"]
        let map = try? CameraColumnMap(header: messy + Self.header.split(separator: ",").map(String.init).filter {
            !["设备编码", "设备名称", "行政区划", "摄像机所属部门/行业", "经度", "纬度"].contains($0)
        })
        #expect(map?.fields[0] == .code)
        #expect(map?.fields[2] == .division)
        #expect(map?.fields[3] == .department)
        #expect(map?.fields[4] == .longitude)
        #expect(map?.fields[5] == .latitude)
        #expect(map?.ignoredHeaders.isEmpty == true)
    }
}

/// SplitMix64: reproducible random bytes for bad-input tests.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
