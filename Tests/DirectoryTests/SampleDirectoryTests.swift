import Foundation
import GBCore
import Testing
@testable import Directory

@Suite struct SampleDirectoryTests {
    static func readAll(_ url: URL) throws -> (rows: [ImportedRow], findings: [Finding]) {
        var file = try DirectoryFile.open(url: url)
        var rows: [ImportedRow] = []
        while let row = try file.next() { rows.append(row) }
        return (rows, rows.flatMap(\.findings) + file.readFindings)
    }

    @Test func everyPlantedMistakeIsFoundOnItsRow() throws {
        let (rows, findings) = try Self.readAll(SharedData.sampleCSV)
        #expect(rows.count == 2018)
        let planted = try SharedData.plantedFindings()
        #expect(planted.count == 164)
        for mistake in planted {
            let onRow = findings.filter { $0.row == mistake.row }
            #expect(onRow.contains { $0.rule.rawValue == mistake.rule && $0.field?.header.zh == mistake.field },
                    "row \(mistake.row): expected \(mistake.rule) on \(mistake.field), got \(onRow.map { "\($0.rule.rawValue)/\($0.field?.rawValue ?? "-")" })")
        }
    }

    @Test func cleanRowsHaveNoErrors() throws {
        let (_, findings) = try Self.readAll(SharedData.sampleCSV)
        let plantedRows = Set(try SharedData.plantedFindings().map(\.row))
        let stray = findings.filter { $0.severity == .error && !plantedRows.contains($0.row) }
        #expect(stray.isEmpty, "errors on clean rows: \(stray.prefix(10).map { "\($0.row) \($0.rule.rawValue) \($0.value) \($0.message.en)" })")
    }

    @Test func gb18030CopyGivesIdenticalFindings() throws {
        let text = try String(contentsOf: SharedData.sampleCSV, encoding: .utf8)
        let url = SharedData.temporaryFile("sample-gb18030.csv")
        try Data(try #require(GB18030.encode(text))).write(to: url)
        var file = try DirectoryFile.open(url: url)
        #expect(file.charset == "GB18030")
        var gbRows: [ImportedRow] = []
        while let row = try file.next() { gbRows.append(row) }
        let (utf8Rows, _) = try Self.readAll(SharedData.sampleCSV)
        #expect(gbRows.map(\.record) == utf8Rows.map(\.record))
        #expect(gbRows.map(\.findings) == utf8Rows.map(\.findings))
    }

    @Test func xlsxCopyGivesIdenticalFindings() throws {
        var file = try DirectoryFile.open(url: SharedData.sampleXLSX)
        #expect(file.format == .xlsx)
        var xlsxRows: [ImportedRow] = []
        while let row = try file.next() { xlsxRows.append(row) }
        let (csvRows, _) = try Self.readAll(SharedData.sampleCSV)
        #expect(xlsxRows.count == csvRows.count)
        #expect(xlsxRows.map(\.record) == csvRows.map(\.record))
        #expect(xlsxRows.map(\.findings) == csvRows.map(\.findings))
    }
}
