import Testing
@testable import GB28181

/// Spec §3.6 fragmentation and the receiver algorithm; §3.7 RecordInfo assembly.
struct CatalogAssemblyTests {
    let t0 = ContinuousClock.now
    let nvr = "34020000001180000001"

    func channel(_ n: Int) -> CatalogItem {
        CatalogItem(deviceID: "3402000000131" + String(1_000_000 + n).suffix(7), name: "ch\(n)", status: .on)
    }

    func response(sn: Int = 7, sumNum: Int?, _ range: Range<Int>) -> CatalogResponse {
        CatalogResponse(sn: sn, deviceID: nvr, sumNum: sumNum, items: range.map(channel))
    }

    @Test("§10.1.5 one-item fragments complete at SumNum")
    func oneItemFragments() {
        var assembler = CatalogAssembler(deviceID: nvr, sn: 7, startedAt: t0)
        for n in 0..<4 {
            #expect(assembler.state(at: t0) != .complete)
            assembler.add(response(sumNum: 4, n..<(n + 1)), at: t0 + .seconds(n))
            #expect(assembler.progress.received == n + 1)
        }
        #expect(assembler.state(at: t0 + .seconds(4)) == .complete)
        #expect(assembler.progress == AssemblyProgress(received: 4, expected: 4))
        #expect(assembler.progress.fraction == 1)
        #expect(assembler.fragments == 4)
    }

    @Test("duplicates are counted, later data wins, order of first arrival is kept")
    func duplicates() {
        var assembler = CatalogAssembler(deviceID: nvr, sn: 7, startedAt: t0)
        assembler.add(response(sumNum: 3, 0..<2), at: t0)
        var updated = channel(1)
        updated.status = .off
        assembler.add(sumNum: 3, items: [updated, channel(0), channel(2)], at: t0)
        #expect(assembler.duplicates == 2)
        #expect(assembler.items.map(\.name) == ["ch0", "ch1", "ch2"])
        #expect(assembler.items[1].status == .off)
        #expect(assembler.isComplete)
    }

    @Test("SumNum that lies high: never complete, idle timeout, partial items kept")
    func sumNumTooHigh() {
        var assembler = CatalogAssembler(deviceID: nvr, sn: 7, startedAt: t0)
        assembler.add(response(sumNum: 10, 0..<4), at: t0 + .seconds(1))
        #expect(assembler.progress.fraction == 0.4)
        #expect(assembler.state(at: t0 + .seconds(10)) == .waiting(deadline: t0 + .seconds(31)))
        #expect(assembler.state(at: t0 + .seconds(31)) == .timedOut(.idle))
        #expect(assembler.items.count == 4)
    }

    @Test("SumNum that lies low: complete at SumNum, later fragments still merge as overshoot")
    func sumNumTooLow() {
        var assembler = CatalogAssembler(deviceID: nvr, sn: 7, startedAt: t0)
        assembler.add(response(sumNum: 2, 0..<2), at: t0)
        #expect(assembler.state(at: t0) == .complete)
        assembler.add(response(sumNum: 2, 2..<5), at: t0 + .milliseconds(100))
        #expect(assembler.items.count == 5)
        #expect(assembler.overshoot == 3)
    }

    @Test("SumNum 0 with no list clears; SumNum 0 with items is a lie and ignored")
    func sumNumZero() {
        var empty = CatalogAssembler(deviceID: nvr, sn: 7, startedAt: t0)
        empty.add(response(sumNum: 0, 0..<0), at: t0)
        #expect(empty.state(at: t0) == .complete)
        #expect(empty.isEmptyCatalog)
        #expect(empty.progress.fraction == 1)

        var lying = CatalogAssembler(deviceID: nvr, sn: 7, startedAt: t0)
        lying.add(response(sumNum: 0, 0..<3), at: t0)
        #expect(lying.sawZeroSumNumWithItems)
        #expect(lying.expected == nil)
        #expect(lying.progress.fraction == nil)
        #expect(lying.state(at: t0 + .seconds(30)) == .timedOut(.idle))
        #expect(lying.items.count == 3)
    }

    @Test("SumNum changing between fragments: the latest counts; garbage SumNum is ignored")
    func sumNumChanges() throws {
        var assembler = CatalogAssembler(deviceID: nvr, sn: 7, startedAt: t0)
        assembler.add(response(sumNum: 5, 0..<2), at: t0)
        assembler.add(response(sumNum: 3, 2..<3), at: t0)
        #expect(assembler.sumNumChanges == 1)
        #expect(assembler.isComplete)
        let garbage = "<Response><CmdType>Catalog</CmdType><SN>8</SN><DeviceID>\(nvr)</DeviceID><SumNum>many</SumNum></Response>"
        guard case .response(.catalog(let parsed)) = try MANSCDPDecoder.decode(Array(garbage.utf8)).message else {
            Issue.record("not a catalog")
            return
        }
        #expect(parsed.sumNum == nil)
    }

    @Test func overallTimeoutEvenWhileFragmentsTrickle() {
        var assembler = CatalogAssembler(deviceID: nvr, sn: 7, startedAt: t0,
                                         policy: AssemblyPolicy(idleTimeout: .seconds(30), overallTimeout: .seconds(60)))
        for second in stride(from: 0, through: 60, by: 20) {
            assembler.add(sumNum: 1000, items: [channel(second)], at: t0 + .seconds(second))
        }
        #expect(assembler.state(at: t0 + .seconds(60)) == .timedOut(.overall))
    }

    @Test func itemCapBoundsMemory() {
        var assembler = CatalogAssembler(deviceID: nvr, sn: 7, startedAt: t0, policy: AssemblyPolicy(maxItems: 10))
        assembler.add(response(sumNum: 50, 0..<50), at: t0)
        #expect(assembler.items.count == 10)
        #expect(assembler.droppedItems == 40)
        #expect(assembler.isComplete, "complete at the cap: nothing more could be kept")
    }

    @Test func fragmentsOfAnotherSNAreRefused() {
        var assembler = CatalogAssembler(deviceID: nvr, sn: 7, startedAt: t0)
        let accepted = assembler.add(response(sn: 8, sumNum: 1, 0..<1), at: t0)
        #expect(!accepted)
        #expect(assembler.items.isEmpty)
    }

    @Test func fragmentedNotifyAssembles() {
        var assembler = CatalogAssembler(deviceID: nvr, sn: 1001, startedAt: t0)
        var off = channel(0)
        off.event = .off
        assembler.add(CatalogNotify(sn: 1001, deviceID: nvr, sumNum: 2, items: [off]), at: t0)
        assembler.add(CatalogNotify(sn: 1001, deviceID: nvr, sumNum: 2, items: [channel(1)]), at: t0)
        #expect(assembler.isComplete)
        #expect(assembler.items.first?.event == .off)
    }

    @Test("§3.7 RecordInfo items assembled, de-duplicated and sorted by time; overlaps merged")
    func recordInfo() {
        func record(_ startHour: Int, _ startMinute: Int, _ endHour: Int, _ endMinute: Int) -> RecordItem {
            RecordItem(deviceID: "34020000001310000001", filePath: "f\(startHour)\(startMinute)",
                       startTime: GBDateTime(year: 2024, month: 5, day: 20, hour: startHour, minute: startMinute),
                       endTime: GBDateTime(year: 2024, month: 5, day: 20, hour: endHour, minute: endMinute), type: .time)
        }
        var assembler = RecordInfoAssembler(deviceID: "34020000001310000001", sn: 17433, startedAt: t0)
        let late = record(9, 15, 9, 20), early = record(8, 0, 9, 0), overlapping = record(8, 30, 9, 10)
        assembler.add(RecordInfoResponse(sn: 17433, deviceID: "34020000001310000001", sumNum: 3, items: [late]), at: t0)
        assembler.add(RecordInfoResponse(sn: 17433, deviceID: "34020000001310000001", sumNum: 3, items: [early, late]), at: t0)
        #expect(assembler.duplicates == 1)
        #expect(!assembler.isComplete)
        var undated = RecordItem(filePath: "x")
        undated.type = .manual
        assembler.add(sumNum: 3, items: [overlapping, undated], at: t0)
        #expect(assembler.sortedItems == [early, overlapping, late, undated])
        #expect(assembler.timeline.map(\.start.description) == ["2024-05-20T08:00:00", "2024-05-20T09:15:00"])
        #expect(assembler.timeline.first?.end.description == "2024-05-20T09:10:00")
    }
}
