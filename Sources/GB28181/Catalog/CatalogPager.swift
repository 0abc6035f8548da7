/// Splits what a lower platform shares into Response MESSAGEs of N items each for an upper platform's catalog
/// query (spec §7 step 3, §3.6 fragmentation): every page carries the query's SN and DeviceID, `SumNum` = the
/// total, `DeviceList Num` = the page's count. Sending them serially, each after the previous 200 OK
/// (or a 100 ms pace when 200s don't come, as [W] does), is the SIP layer's job.
public enum CatalogPager {
    /// The spec's upper bound on records per message.
    public static let maxItemsPerMessage = 10_000

    /// - Parameter itemsPerMessage: clamped to 1...10 000; [W] uses 1, 2, 4 or 8.
    /// - Returns: at least one response; an empty share is one `SumNum 0` response with no list.
    public static func responses(sn: Int, deviceID: String, items: [CatalogItem], itemsPerMessage: Int) -> [CatalogResponse] {
        pages(items, itemsPerMessage).map { CatalogResponse(sn: sn, deviceID: deviceID, sumNum: items.count, items: $0) }
    }

    /// The same split for a catalog NOTIFY (subscription changes, spec §4).
    public static func notifies(sn: Int, deviceID: String, items: [CatalogItem], itemsPerMessage: Int) -> [CatalogNotify] {
        pages(items, itemsPerMessage).map { CatalogNotify(sn: sn, deviceID: deviceID, sumNum: items.count, items: $0) }
    }

    /// The same split for a RecordInfo answer relayed to an upper platform (spec §7 step 6).
    public static func recordResponses(sn: Int, deviceID: String, name: String?, items: [RecordItem],
                                       itemsPerMessage: Int) -> [RecordInfoResponse] {
        pages(items, itemsPerMessage).map {
            RecordInfoResponse(sn: sn, deviceID: deviceID, name: name, sumNum: items.count, items: $0)
        }
    }

    static func pages<Element>(_ items: [Element], _ itemsPerMessage: Int) -> [[Element]] {
        let size = max(1, min(itemsPerMessage, maxItemsPerMessage))
        guard !items.isEmpty else { return [[]] }
        return stride(from: 0, to: items.count, by: size).map { Array(items[$0..<min($0 + size, items.count)]) }
    }
}
