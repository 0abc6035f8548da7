import Foundation
import GB28181
import GBSimulator
import Testing

/// Simulated devices against the real platform service: digest registration, then the queries a
/// platform sends (catalog, device info and status, record info, PTZ).
@Suite(.serialized) struct SimulatedFleetQueryTests {
    @Test func camerasRegisterSeparatelyWithDigestAndAnswerQueries() async throws {
        let service = try await SimulatorFixture.platform()
        let lines = LineLog()
        let fleet = try await SimulatorFixture.fleet(.cameras(3), service: service, lines: lines)
        let ids = fleet.layout.members.map(\.deviceID)
        #expect(ids == ["44150200481320000001", "44150200481320000002", "44150200481320000003"])
        #expect(await SimulatorFixture.eventually { await SimulatorFixture.online(ids, service) })
        let first = ids[0]
        let info = try await service.deviceInfo(first)
        #expect(info.deviceName == "Simulated camera 1" && info.manufacturer == "GBShare")
        let status = try await service.deviceStatus(first)
        #expect(status.online == true)
        let catalog = try await service.refreshCatalog(first)
        #expect(catalog.items.map(\.deviceID) == [first])
        let records = try await service.recordInfo(first, channelID: first,
                                                   from: GBDateTime(year: 2026, month: 12, day: 5, hour: 8),
                                                   to: GBDateTime(year: 2026, month: 12, day: 5, hour: 10))
        #expect(records.items.count == 4)
        try await service.ptz(.stop, deviceID: first)
        await fleet.stop()
        #expect(await lines.contains("\(first) registered"))
        #expect(await fleet.currentSummary.registered == 3)
        await service.stop()
    }

    @Test func anNVRListsItsChannelsUnderItself() async throws {
        let service = try await SimulatorFixture.platform()
        let fleet = try await SimulatorFixture.fleet(.nvr(channels: 4), service: service)
        let nvr = try #require(fleet.layout.members.first).deviceID
        #expect(nvr == "44150200481180000001")
        #expect(await SimulatorFixture.eventually { await SimulatorFixture.online([nvr], service) })
        let catalog = try await service.refreshCatalog(nvr)
        #expect(catalog.items.map(\.deviceID) == (2...5).map { "4415020048131000000\($0)" })
        #expect(catalog.items.allSatisfy { $0.parentID == nvr })
        await fleet.stop()
        await service.stop()
    }
}
