/// What this node shares with one upper platform: its virtual catalog (spec §7: the channels the
/// sharing rules let that peer see, re-coded if configured, with the region and group nodes they
/// need). App implements it over Sharing and the directory; it is asked once per catalog query and
/// must answer from a snapshot, never waiting on the device side.
public protocol UpperCatalogSource: Sendable {
    func catalog(for upperID: String) async -> [CatalogItem]
}

/// Shares nothing: an upper's catalog query is answered honestly with `SumNum 0`.
public struct EmptyUpperCatalog: UpperCatalogSource {
    public init() {}
    public func catalog(for upperID: String) async -> [CatalogItem] { [] }
}

/// A fixed list, for tests and benchmarks.
public struct FixedUpperCatalog: UpperCatalogSource {
    public var items: [CatalogItem]
    public init(_ items: [CatalogItem]) { self.items = items }
    public func catalog(for upperID: String) async -> [CatalogItem] { items }
}
