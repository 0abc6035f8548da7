import GB28181
import Synchronization

/// What each upper platform was last sent of our virtual catalog: its answer to a Catalog query, then
/// each NOTIFY's result. Changes are counted from what the upper really has. (Counting from the first
/// look after it subscribed lost a change made between the upper's query and that look: the three-node
/// test caught a county camera the city never heard of.)
final class SentUpperCatalogs: Sendable {
    private let state = Mutex<(sent: [String: [String: CatalogItem]], generation: Int)>(([:], 0))

    /// The upper got exactly these items (a catalog push, or the state a NOTIFY brought it to).
    func record(_ upperID: String, items: [CatalogItem]) {
        let byCode = Dictionary(items.map { ($0.deviceID, $0) }, uniquingKeysWith: { first, _ in first })
        state.withLock {
            $0.sent[upperID] = byCode
            $0.generation += 1
        }
    }

    func last(_ upperID: String) -> [String: CatalogItem]? { state.withLock { $0.sent[upperID] } }

    /// Rises with every record: a push may hold an older state than the directory's, so the next look recomputes.
    var generation: Int { state.withLock { $0.generation } }

    /// Forgets uppers no longer linked.
    func keep(only linked: Set<String>) {
        state.withLock { $0.sent = $0.sent.filter { linked.contains($0.key) } }
    }
}
