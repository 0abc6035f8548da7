import Foundation
import GB28181

/// A plausible recording list for a RecordInfo query (spec §3.8): one file per `segment` of continuous
/// recording, aligned to the wall clock as NVRs cut them, clipped to the asked range. Real devices cap
/// their answers too; `limit` keeps a year-long query from producing a megabyte of MESSAGEs.
public struct SimulatedRecordList: Sendable {
    public var segment: TimeInterval
    public var limit: Int
    /// The bytes a segment of this length takes at the simulated bitrate (for `FileSize`).
    public var bytesPerSecond: Int64

    public init(segment: TimeInterval = 1800, limit: Int = 200, bytesPerSecond: Int64 = 100_000) {
        self.segment = segment
        self.limit = limit
        self.bytesPerSecond = bytesPerSecond
    }

    /// The files of `channelID` between `start` and `end`; nothing for an empty or inverted range.
    public func records(channelID: String, name: String, from start: GBDateTime, to end: GBDateTime) -> [RecordItem] {
        // Both ends go through the same zone, so the choice only matters for DST gaps; UTC has none.
        let zone = TimeZone(identifier: "UTC")!
        guard let from = start.date(in: zone), let to = end.date(in: zone), from < to else { return [] }
        var items: [RecordItem] = []
        var cursor = from
        while cursor < to, items.count < limit {
            let boundary = (cursor.timeIntervalSince1970 / segment).rounded(.down) * segment + segment
            let stop = min(to, Date(timeIntervalSince1970: boundary))
            items.append(RecordItem(deviceID: channelID, name: name,
                                    filePath: "/record/\(channelID)/\(Int(cursor.timeIntervalSince1970)).ps",
                                    address: "Simulated NVR", startTime: GBDateTime(cursor, in: zone),
                                    endTime: GBDateTime(stop, in: zone), secrecy: 0, type: .time,
                                    fileSize: Int64(stop.timeIntervalSince(cursor)) * bytesPerSecond))
            cursor = stop
        }
        return items
    }
}
