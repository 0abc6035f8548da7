import FluentKit
import Foundation
import GBCore
import SQLKit

/// Writes every camera (or those a query selects) to CSV or XLSX in the Appendix 5 layout, paging
/// through the database so memory stays flat.
public struct DirectoryExporter: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case csv
        case xlsx
    }

    public let store: CameraStore

    public init(store: CameraStore) {
        self.store = store
    }

    @discardableResult
    public func export(to url: URL, format: Format, query: CameraQuery = CameraQuery(),
                       layout: ExportLayout = ExportLayout(), language: Language = .zh) async throws -> Int {
        var writer: any TableWriter = switch format {
        case .csv: try CSVTableWriter(url: url)
        case .xlsx: try XLSXTableWriter(url: url)
        }
        try writer.write(layout.header(language))
        var query = query
        query.limit = CameraQuery.maxLimit
        query.cursor = nil
        query.includeTotal = false
        // Filing order, so a round trip keeps duplicates in the order they were filed.
        query.sort = .code
        var count = 0
        while true {
            let page = try await store.search(query)
            for camera in page.items { try writer.write(layout.cells(camera.record)) }
            count += page.items.count
            guard let next = page.nextCursor else { break }
            query.cursor = next
        }
        try writer.finish()
        return count
    }
}
