import Fluent
import GBCore
import Foundation
import GB28181
import Logging
import SQLKit
import Sharing

/// Keeps each subscribed upper's copy of our virtual catalog current (CASCADE.md §2): about once a
/// second it asks the directory whether anything changed (a cheap fingerprint: how many cameras, the
/// latest change, which are online, and whether any grant changed), and only then recomputes what each subscribed upper sees, diffs it
/// against what that upper last got, and sends the differences by NOTIFY. A hundred thousand cameras
/// changing state become a few NOTIFYs per second, not a hundred thousand, and the device side never waits.
actor UpperCatalogWatcher {
    private struct Fingerprint: Decodable, Equatable {
        let n: Int
        let u: Double
        let s: Int
        /// The grants' generation: a grant to an upper adds cameras to what it sees.
        var grants = 0
        /// What was sent to uppers by their own queries changed.
        var sent = 0

        enum CodingKeys: String, CodingKey { case n, u, s }
    }

    private let database: any Database
    private let catalog: DirectoryUpperCatalog
    private let audit: AuditLog
    private let logger = Logger(label: "gbshare.cascade.catalog")
    private var fingerprint: Fingerprint?

    init(database: any Database, catalog: DirectoryUpperCatalog, audit: AuditLog) {
        self.database = database
        self.catalog = catalog
        self.audit = audit
    }

    private var sent: SentUpperCatalogs { catalog.sent }

    /// One pass over the linked uppers.
    func tick(_ links: [String: UpperLink]) async {
        var subscribed: [String: UpperLink] = [:]
        for (id, link) in links where await link.hasCatalogSubscription { subscribed[id] = link }
        // What an upper last got is kept while it stays linked, subscribed or not: an upper that
        // re-subscribes (a new dialog after it marked us offline for a moment) is sent what changed in
        // between, instead of a fresh look that would silently swallow those changes.
        sent.keep(only: Set(links.keys))
        guard !subscribed.isEmpty else { return }
        guard let current = try? await currentFingerprint() else { return }
        let fresh = subscribed.keys.filter { sent.last($0) == nil }
        guard current != fingerprint || !fresh.isEmpty else { return }
        for (id, link) in subscribed {
            do {
                let items = try await catalog.items(for: id)
                // An upper that subscribed without ever querying: changes count from now on.
                guard let previous = sent.last(id) else {
                    sent.record(id, items: items)
                    continue
                }
                let changes = UpperCatalogChanges.between(previous, items)
                guard !changes.isEmpty else { continue }
                // What leaves for the upper is on record before it is sent, like a catalog read.
                _ = try await audit.append(AuditDraft(actor: "upper:\(id)", action: .upperCatalogRead, target: "catalog",
                                                      detail: "notify \(changes.count) changes"))
                sent.record(id, items: items)
                await link.notifyCatalogChanges(changes)
            } catch {
                logger.error("catalog changes for upper \(id) not sent: \(error)")
            }
        }
        fingerprint = current
    }

    private func currentFingerprint() async throws -> Fingerprint? {
        let online = NetworkStatus.online.rawValue
        var print = try await database.sql().raw("""
            SELECT COUNT(*) AS n, COALESCE(MAX(updated_at), 0) AS u,
                   COALESCE(SUM(CASE WHEN network_status = \(bind: online) THEN id ELSE 0 END), 0) AS s FROM cameras
            """).first(decoding: Fingerprint.self)
        print?.grants = catalog.sharing.grantIndex.generation
        print?.sent = sent.generation
        return print
    }
}
