import GB28181

/// The NOTIFY items that take an upper's copy of our virtual catalog from `old` to `new` (spec §4):
/// ADD for a camera it did not see, DEL for one it no longer sees (a removal, a share attribute or
/// class changed, an error finding), UPDATE for a changed record, ON/OFF when only the status moved.
enum UpperCatalogChanges {
    static func between(_ old: [String: CatalogItem], _ new: [CatalogItem]) -> [CatalogItem] {
        var changes: [CatalogItem] = []
        var seen = Set<String>()
        for item in new {
            seen.insert(item.deviceID)
            guard let before = old[item.deviceID] else {
                changes.append(with(item, .add))
                continue
            }
            var sameButStatus = before
            sameButStatus.status = item.status
            if sameButStatus != item {
                changes.append(with(item, .update))
            } else if before.status != item.status {
                changes.append(CatalogItem(deviceID: item.deviceID, event: item.status == .on ? .on : .off))
            }
        }
        for code in old.keys.sorted() where !seen.contains(code) {
            changes.append(CatalogItem(deviceID: code, event: .delete))
        }
        return changes
    }

    private static func with(_ item: CatalogItem, _ event: CatalogEvent) -> CatalogItem {
        var item = item
        item.event = event
        return item
    }
}
