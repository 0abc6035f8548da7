import GB28181
import GBSimulator
import Testing

struct SimulatedRecordListTests {
    let list = SimulatedRecordList(segment: 1800, limit: 200, bytesPerSecond: 1000)

    @Test func filesAreCutAtHalfHoursAndClippedToTheRange() {
        let items = list.records(channelID: "44150200291310000001", name: "Gate",
                                 from: GBDateTime(year: 2026, month: 12, day: 5, hour: 8, minute: 10),
                                 to: GBDateTime(year: 2026, month: 12, day: 5, hour: 9, minute: 45))
        #expect(items.map { $0.startTime?.description ?? "" } == ["2026-12-05T08:10:00", "2026-12-05T08:30:00",
                                                                    "2026-12-05T09:00:00", "2026-12-05T09:30:00"])
        #expect(items.last?.endTime?.description == "2026-12-05T09:45:00")
        #expect(items.first?.fileSize == 1_200_000)
        #expect(items.allSatisfy { $0.deviceID == "44150200291310000001" && $0.type == .time })
    }

    @Test func anInvertedRangeHasNoFilesAndALongOneStopsAtTheLimit() {
        let day = GBDateTime(year: 2026, month: 12, day: 5)
        #expect(list.records(channelID: "1", name: "x", from: day, to: day).isEmpty)
        let year = list.records(channelID: "1", name: "x", from: GBDateTime(year: 2025, month: 1, day: 1), to: day)
        #expect(year.count == 200)
    }
}
