extension CatalogItem: AssemblableItem {
    /// Catalog items are keyed by DeviceID (spec §3.6).
    public var assemblyKey: String { deviceID }
}

/// Collects a catalog answer split over many MESSAGEs (or a fragmented catalog NOTIFY).
public typealias CatalogAssembler = FragmentAssembler<CatalogItem>

extension FragmentAssembler where Item == CatalogItem {
    /// Adds a response fragment; false (and nothing added) when its SN is not this assembly's.
    @discardableResult
    public mutating func add(_ response: CatalogResponse, at time: ContinuousClock.Instant) -> Bool {
        guard response.sn == sn else { return false }
        add(sumNum: response.sumNum, items: response.items, at: time)
        return true
    }

    @discardableResult
    public mutating func add(_ notify: CatalogNotify, at time: ContinuousClock.Instant) -> Bool {
        guard notify.sn == sn else { return false }
        add(sumNum: notify.list.sumNum, items: notify.items, at: time)
        return true
    }

    /// SumNum 0 with nothing received: the device's channel list is to be cleared (spec §3.6).
    public var isEmptyCatalog: Bool { expected == 0 && items.isEmpty }
}

extension RecordItem: AssemblableItem {
    /// Recordings have no ID; the same file over the same span is the same record (UDP retransmits duplicate).
    public struct Key: Hashable, Sendable {
        var deviceID: String?
        var filePath: String?
        var startTime: GBDateTime?
        var endTime: GBDateTime?
        var type: String?
    }

    public var assemblyKey: Key {
        Key(deviceID: deviceID, filePath: filePath, startTime: startTime, endTime: endTime, type: type?.description)
    }
}

/// Collects a RecordInfo answer (fragmented exactly like Catalog, spec §3.7).
public typealias RecordInfoAssembler = FragmentAssembler<RecordItem>

/// A span of continuous recording for a timeline UI.
public struct RecordSpan: Sendable, Equatable {
    public var start: GBDateTime
    public var end: GBDateTime
    public init(start: GBDateTime, end: GBDateTime) {
        self.start = start
        self.end = end
    }
}

extension FragmentAssembler where Item == RecordItem {
    @discardableResult
    public mutating func add(_ response: RecordInfoResponse, at time: ContinuousClock.Instant) -> Bool {
        guard response.sn == sn else { return false }
        add(sumNum: response.sumNum, items: response.items, at: time)
        return true
    }

    /// Items by StartTime, then EndTime; items without a StartTime last (devices answer in any order, spec §3.7).
    public var sortedItems: [RecordItem] {
        items.sorted { lhs, rhs in
            switch (lhs.startTime, rhs.startTime) {
            case let (left?, right?):
                if left != right { return left < right }
                return (lhs.endTime ?? left) < (rhs.endTime ?? right)
            case (.some, nil): return true
            case (nil, _): return false
            }
        }
    }

    /// Overlapping or touching recordings merged into spans ("merge overlapping segments for UI", spec §3.7).
    public var timeline: [RecordSpan] {
        var spans: [RecordSpan] = []
        for item in sortedItems {
            guard let start = item.startTime else { continue }
            let end = max(item.endTime ?? start, start)
            if let last = spans.last, start <= last.end {
                spans[spans.count - 1].end = max(last.end, end)
            } else {
                spans.append(RecordSpan(start: start, end: end))
            }
        }
        return spans
    }
}
