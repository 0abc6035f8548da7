import Directory
import Fluent
import Foundation
import GB28181
import Sharing
import SQLKit

/// The virtual catalog an upper platform reads: every filed camera the authorizer lets it see
/// (`Authorizer.upperPlatformSees`), as catalog items under this node, with the platform's own view
/// of the network status. Read from a snapshot of the directory per query: it never waits on the
/// device side. Each read is audited with the upper as the actor.
struct DirectoryUpperCatalog: UpperCatalogSource {
    let database: any Database
    let authorizer: Authorizer
    let audit: AuditLog
    let parentID: String

    private struct Row: Decodable {
        let code: String
        let fields: String
        let error_count: Int
    }

    func catalog(for upperID: String) async -> [CatalogItem] {
        do {
            let rows = try await database.sql().select().columns("code", "fields", "error_count").from("cameras").orderBy("id")
                .all(decoding: Row.self)
            var seen = Set<String>()
            var items: [CatalogItem] = []
            for row in rows where seen.insert(row.code).inserted {
                guard let record = try? JSONDecoder().decode(CameraRecord.self, from: Data(row.fields.utf8)) else { continue }
                let facts = CameraFacts(record: record, shareable: row.error_count == 0 && record.deviceStatus != .removed)
                guard authorizer.upperPlatformSees(facts, pointClass: record[.pointClass]) else { continue }
                items.append(Self.item(record, parentID: parentID))
            }
            _ = try? await audit.append(AuditDraft(actor: "upper:\(upperID)", action: .upperCatalogRead, target: "catalog",
                                                   detail: "\(items.count) cameras"))
            return items
        } catch {
            return []
        }
    }

    static func item(_ record: CameraRecord, parentID: String) -> CatalogItem {
        CatalogItem(deviceID: record.code, name: record.name.isEmpty ? record.code : record.name,
                    manufacturer: record[.manufacturer].isEmpty ? nil : record[.manufacturer],
                    model: record[.model].isEmpty ? nil : record[.model],
                    civilCode: record[.division].isEmpty ? nil : record[.division],
                    address: record[.address].isEmpty ? nil : record[.address], parental: 0, parentID: parentID,
                    status: record.networkStatus == .online ? .on : .off, longitude: record.longitude, latitude: record.latitude)
    }
}
