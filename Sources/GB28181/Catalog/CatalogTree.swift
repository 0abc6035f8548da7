/// A forest over catalog item IDs: parent links, ordered children, roots, and what could not be placed.
/// Stored flat (dictionaries) because catalogs reach 100 000 items and the consumer persists parent links.
public struct CatalogTree: Sendable, Equatable {
    /// An item whose parent reference names nothing in the catalog; it is kept as a root.
    public struct Orphan: Sendable, Equatable {
        public var itemID: String
        /// The reference that could not be resolved (a ParentID, BusinessGroupID or CivilCode; empty if none).
        public var missingParentID: String
        public init(itemID: String, missingParentID: String) {
            self.itemID = itemID
            self.missingParentID = missingParentID
        }
    }

    public private(set) var parentOf: [String: String] = [:]
    private var childrenOf: [String: [String]] = [:]
    public private(set) var roots: [String] = []
    public private(set) var orphans: [Orphan] = []
    /// Items whose parent chain looped back on itself; the loop was cut at them and they became roots.
    public private(set) var cycleBreaks: [String] = []
    public private(set) var nodeCount = 0

    public init() {}

    public func parent(of id: String) -> String? { parentOf[id] }
    public func children(of id: String) -> [String] { childrenOf[id] ?? [] }

    /// Root first, `id` last; just `[id]` for a root. Cycles are cut at build time, so this terminates.
    public func path(to id: String) -> [String] {
        var path = [id]
        var current = id
        while let parent = parentOf[current], path.count <= nodeCount {
            path.append(parent)
            current = parent
        }
        return path.reversed()
    }

    /// Builds from (id, resolved parent) pairs in catalog order; breaks cycles.
    init(nodes: [(id: String, parent: String?)], orphans: [Orphan]) {
        self.orphans = orphans
        nodeCount = nodes.count
        for node in nodes {
            if let parent = node.parent, parent != node.id { parentOf[node.id] = parent }
        }
        breakCycles(order: nodes.map(\.id))
        for node in nodes {
            if let parent = parentOf[node.id] {
                childrenOf[parent, default: []].append(node.id)
            } else {
                roots.append(node.id)
            }
        }
    }

    /// Walks each parent chain once (0 unseen, 1 on the current walk, 2 done); a chain that reaches a node of
    /// the current walk is a loop, cut at the last node walked.
    private mutating func breakCycles(order: [String]) {
        var state: [String: UInt8] = [:]
        state.reserveCapacity(order.count)
        for start in order where state[start] == nil {
            var walked: [String] = []
            var current: String? = start
            while let node = current, state[node] == nil {
                state[node] = 1
                walked.append(node)
                current = parentOf[node]
            }
            if let node = current, state[node] == 1, let last = walked.last {
                parentOf[last] = nil
                cycleBreaks.append(last)
            }
            for node in walked { state[node] = 2 }
        }
    }
}

/// The two trees one flat catalog expresses (spec §3.6 "Building the trees").
public struct CatalogTrees: Sendable, Equatable {
    /// Administrative divisions (2/4/6/8-digit items, parent by prefix) with devices and channels hung under
    /// their CivilCode. Business nodes (200/215/216) are not in it.
    public var region: CatalogTree
    /// System (200) → business group (215) → virtual organisation (216, nestable) → devices and channels,
    /// by ParentID / BusinessGroupID. Region items are not in it.
    public var business: CatalogTree

    /// - Parameters:
    ///   - items: the assembled catalog.
    ///   - topIDs: IDs that stand above the catalog — the queried device or lower platform, our own server ID.
    ///     A reference to one of them means "root", not "missing parent" (an NVR's channels point at the NVR,
    ///     which is not in its own list; [W] treats its own server ID as no parent).
    public init(items: [CatalogItem], topIDs: Set<String> = []) {
        region = Self.regionTree(items)
        business = Self.businessTree(items, topIDs: topIDs)
    }

    static func regionTree(_ items: [CatalogItem]) -> CatalogTree {
        let regionIDs = Set(items.lazy.filter { $0.kind == .region }.map(\.deviceID))
        func nearestRegion(_ code: String, strictlyAbove: Bool) -> String? {
            var length = strictlyAbove ? code.count - 2 : min(code.count, 8)
            while length >= 2 {
                let prefix = String(code.prefix(length))
                if regionIDs.contains(prefix) { return prefix }
                length -= 2
            }
            return nil
        }
        var nodes: [(id: String, parent: String?)] = []
        var orphans: [CatalogTree.Orphan] = []
        for item in items {
            switch item.kind {
            case .region:
                nodes.append((item.deviceID, nearestRegion(item.deviceID, strictlyAbove: true)))
            case .device, .channel, .other:
                let code = item.regionCode ?? ""
                let parent = code.isEmpty ? nil : nearestRegion(code, strictlyAbove: false)
                if parent == nil { orphans.append(.init(itemID: item.deviceID, missingParentID: item.civilCode ?? "")) }
                nodes.append((item.deviceID, parent))
            case .system, .businessGroup, .virtualOrganization:
                continue
            }
        }
        return CatalogTree(nodes: nodes, orphans: orphans)
    }

    static func businessTree(_ items: [CatalogItem], topIDs: Set<String>) -> CatalogTree {
        var kinds: [String: CatalogNodeKind] = [:]
        kinds.reserveCapacity(items.count)
        for item in items { kinds[item.deviceID] = item.kind }
        var nodes: [(id: String, parent: String?)] = []
        var orphans: [CatalogTree.Orphan] = []
        for item in items where item.kind != .region {
            var candidates = item.parentIDs
            if let group = item.businessGroupID?.trimmed, !group.isEmpty { candidates.append(group) }
            candidates.removeAll { $0 == item.deviceID }
            var parent: String?
            var unresolved: String?
            for candidate in candidates {
                if topIDs.contains(candidate) { continue }
                guard let parentKind = kinds[candidate] else {
                    if unresolved == nil { unresolved = candidate }
                    continue
                }
                // Placed in the region tree instead; 215 never sits under 216 ([W] docs).
                if parentKind == .region { continue }
                if item.kind == .businessGroup && parentKind == .virtualOrganization { continue }
                parent = candidate
                break
            }
            if parent == nil, let unresolved { orphans.append(.init(itemID: item.deviceID, missingParentID: unresolved)) }
            nodes.append((item.deviceID, parent))
        }
        return CatalogTree(nodes: nodes, orphans: orphans)
    }
}
