import Directory
import Fluent
import Foundation
import Logging
import GB28181
import Sharing

/// The virtual catalog an upper platform reads: every filed camera the authorizer lets it see (its
/// default share, and cameras granted to it: `SharingService.upperPlatformSees`), as catalog items under this node, with the platform's own view
/// of the network status. Read from a snapshot of the directory per query: it never waits on the
/// device side. Each read is audited with the upper as the actor.
struct DirectoryUpperCatalog: UpperCatalogSource {
    let database: any Database
    let sharing: SharingService
    let parentID: String
    /// What each upper was sent, so the catalog watcher counts changes from it.
    let sent: SentUpperCatalogs
    var audit: AuditLog { sharing.audit }

    /// What the upper sees now, unaudited (the caller records what it sends).
    func items(for upperID: String) async throws -> [CatalogItem] {
        let now = Date()
        return try await CameraFactsLoader(database: database).recordsWithFacts()
            .filter { sharing.upperPlatformSees($0.facts, upperID: upperID, now: now) }
            .map { Self.item($0.record, parentID: parentID) }
    }

    func catalog(for upperID: String) async -> [CatalogItem] {
        do {
            let items = try await items(for: upperID)
            // The read is on record before anything is sent; a read that cannot be recorded sends nothing.
            _ = try await audit.append(AuditDraft(actor: "upper:\(upperID)", action: .upperCatalogRead, target: "catalog",
                                                  detail: "\(items.count) cameras"))
            sent.recordAnswer(upperID, items: items)
            return items
        } catch {
            Logger(label: "gbshare.cascade").error("virtual catalog for upper \(upperID) not sent: \(error)")
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
