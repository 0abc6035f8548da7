import Foundation
import GBCore
import Testing
@testable import Directory

@Suite struct ExportTests {
    @Test(arguments: [DirectoryExporter.Format.csv, .xlsx])
    func roundTripChangesNothing(format: DirectoryExporter.Format) async throws {
        let db = try await TestDatabase.make(.sqlite)
        defer { Task { await db.shutdown() } }
        let context = ChangeContext(actor: "tester", source: "test")
        let first = try await DirectoryImporter(database: db.database).apply(url: SharedData.sampleCSV, context: context)
        let store = CameraStore(database: db.database)
        let url = SharedData.temporaryFile("export.\(format.rawValue)")
        let written = try await DirectoryExporter(store: store).export(to: url, format: format)
        #expect(written == 2018)

        // Importing the export into the same database changes nothing ...
        let again = try await DirectoryImporter(database: db.database).apply(url: url, context: context)
        #expect(again.summary.unchanged == 2018)
        #expect(again.summary.inserted == 0 && again.summary.updated == 0)

        // ... and into an empty one gives the same records and the same findings, row order aside.
        let fresh = try await TestDatabase.make(.sqlite)
        defer { Task { await fresh.shutdown() } }
        let reimported = try await DirectoryImporter(database: fresh.database).apply(url: url, context: context)
        #expect(reimported.summary.findingsByRule == first.summary.findingsByRule)
        #expect(reimported.summary.rowsWithErrors == first.summary.rowsWithErrors)
    }

    @Test func formulaCellsAreEscapedAndRestored() throws {
        #expect(FormulaGuard.escape("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")")
        #expect(FormulaGuard.escape("+86") == "'+86")
        #expect(FormulaGuard.escape("@SUM") == "'@SUM")
        #expect(FormulaGuard.escape("-1") == "'-1")
        #expect(FormulaGuard.escape("0660-1234") == "0660-1234")
        // TAB and CR: some spreadsheets skip them and then read a formula (OWASP CSV injection).
        #expect(FormulaGuard.escape("\t=1+1") == "'\t=1+1")
        #expect(FormulaGuard.escape("\r=1+1") == "'\r=1+1")
        #expect(CellText.clean("'=HYPERLINK(\"x\")", field: .remark) == "=HYPERLINK(\"x\")")
        #expect(CellText.clean("'plain", field: .remark) == "'plain")
    }

    @Test func csvQuoting() {
        #expect(CSVTableWriter.quote("A0101,B0101") == "\"A0101,B0101\"")
        #expect(CSVTableWriter.quote("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVTableWriter.quote("plain") == "plain")
    }

    @Test func xlsxColumnNames() {
        #expect(XLSXTableWriter.columnName(0) == "A")
        #expect(XLSXTableWriter.columnName(25) == "Z")
        #expect(XLSXTableWriter.columnName(26) == "AA")
        #expect(XLSXTableWriter.columnName(30) == "AE")
        #expect(XLSXSheetParser.column(of: "AE12") == 30)
    }
}
