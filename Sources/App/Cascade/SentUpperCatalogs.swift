import GB28181
import Synchronization

/// What each upper platform was last sent of our virtual catalog: its answer to a Catalog query, then
/// each NOTIFY's result. Changes are counted from what the upper really has. (Counting from the first
/// look after it subscribed lost a change made between the upper's query and that look: the three-node
/// test caught a county camera the city never heard of.)
final class SentUpperCatalogs: Sendable {
    private let state = Mutex<(sent: [String: [String: CatalogItem]], generation: Int)>(([:], 0))

    /// The upper got these items by its own Catalog query. It may hold an older state than the directory's
    /// (the query read it before a change the watcher already looked at), so the watcher must look again.
    func recordAnswer(_ upperID: String, items: [CatalogItem]) {
        store(upperID, items, changed: true)
    }

    /// The watcher brought the upper to these items by NOTIFY (or took them as its starting point). The
    /// watcher computed them itself: no new look is needed, which spares a recompute of the whole catalog
    /// after every NOTIFY.
    func record(_ upperID: String, items: [CatalogItem]) {
        store(upperID, items, changed: false)
    }

    private func store(_ upperID: String, _ items: [CatalogItem], changed: Bool) {
        let byCode = Dictionary(items.map { ($0.deviceID, $0) }, uniquingKeysWith: { first, _ in first })
        state.withLock {
            $0.sent[upperID] = byCode
            if changed { $0.generation += 1 }
        }
    }

    func last(_ upperID: String) -> [String: CatalogItem]? { state.withLock { $0.sent[upperID] } }

    /// Rises with every answer to a query (see `recordAnswer`).
    var generation: Int { state.withLock { $0.generation } }

    /// Forgets uppers no longer linked.
    func keep(only linked: Set<String>) {
        state.withLock { $0.sent = $0.sent.filter { linked.contains($0.key) } }
    }
}
