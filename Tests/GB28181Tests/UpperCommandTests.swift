import Foundation
import GB28181
import Synchronization
import Testing

/// The upper's commands and queries about the city's channels (CASCADE.md §2 "Commands"): decided before
/// the MESSAGE is answered, relayed once admitted, answered with the upper's SN. The province is our own
/// platform service treating the city as a device, so what it sends and assembles is what a real upper does.
@Suite(.serialized)
struct UpperCommandTests {
    static let channel = "34020000001320000001"

    @Test("PTZ, presets and records from the province: the handler decides first, a refusal is the MESSAGE's answer, answers carry the province's SN")
    func commandsAreDecidedThenRelayed() async throws {
        let (province, _) = try await PlatformFixture.start()
        let city = try await UpperLinkTests.startCity()
        let handler = RecordingCommands()
        let events = StateLog()
        let link = await city.linkToUpper(UpperLinkTests.upper(port: try #require(province.localAddress.port)), commands: handler) {
            events.append($0)
        }
        #expect(await eventually(timeout: .seconds(10)) { await province.device(UpperLinkTests.city)?.online == true })

        // PTZ admitted: 200, and the handler's work runs (PTZ has no Response in GB/T 28181).
        try await province.ptz(.stop, deviceID: UpperLinkTests.city, channelID: Self.channel)
        #expect(await eventually { handler.ran == 1 })
        let asked = try #require(handler.commands.first)
        #expect(asked.upperID == UpperLinkTests.province && asked.channelID == Self.channel)
        guard case .control(.deviceControl(let control)) = asked.message, case .ptz = control.command else {
            Issue.record("expected a PTZ DeviceControl, got \(asked.message)")
            return
        }

        // Presets: the answer the handler produced reaches the province under the province's own SN.
        let presets = try await province.presets(UpperLinkTests.city, channelID: Self.channel)
        #expect(presets.presets.map(\.id) == [1, 7], "\(presets)")
        #expect(presets.deviceID == Self.channel)

        // Records: 20 items in answers of 8 carry SumNum 20 and are assembled whole by the province.
        let from = try #require(GBDateTime(parsing: "2026-12-01T08:00:00")), to = try #require(GBDateTime(parsing: "2026-12-01T09:00:00"))
        let records = try await province.recordInfo(UpperLinkTests.city, channelID: Self.channel, from: from, to: to)
        #expect(records.items.count == 20 && records.completion == .complete, "\(records.items.count) \(records.completion)")

        // A refusal is the MESSAGE's final answer; nothing runs.
        handler.refuse(statusCode: 403, reason: "Not Allowed To This Platform (not_for_upper_platform)")
        await #expect(throws: GBPlatformError.self) {
            try await province.ptz(.stop, deviceID: UpperLinkTests.city, channelID: Self.channel)
        }
        #expect(handler.ran == 3, "presets and records ran, the refused PTZ did not")
        // The link reports a decision just after answering it.
        #expect(await eventually { events.commands.contains("command_refused") && events.commands.contains("command_relayed") }, "\(events.commands)")

        // A catalog query naming the city is still the link's own, not a relayed command.
        let before = handler.commands.count
        _ = try? await province.refreshCatalog(UpperLinkTests.city)
        #expect(handler.commands.count == before)
        await link.stop()
        await province.stop()
        await city.stop()
    }

    @Test("a node that relays no commands says so (501), it does not answer 200 and drop them")
    func noHandlerRefusesInWords() async throws {
        let (province, _) = try await PlatformFixture.start()
        let city = try await UpperLinkTests.startCity()
        let link = await city.linkToUpper(UpperLinkTests.upper(port: try #require(province.localAddress.port)))
        #expect(await eventually(timeout: .seconds(10)) { await province.device(UpperLinkTests.city)?.online == true })
        await #expect {
            try await province.ptz(.stop, deviceID: UpperLinkTests.city, channelID: Self.channel)
        } throws: { error in
            if case GBPlatformError.rejected(_, 501, _) = error { true } else { false }
        }
        await link.stop()
        await province.stop()
        await city.stop()
    }
}

/// Admits (or refuses) what the link hands it and answers presets and records like a device would.
final class RecordingCommands: UpperCommandHandler {
    private struct State {
        var commands: [UpperCommand] = []
        var refusal: (Int, String)?
        var ran = 0
    }
    private let state = Mutex(State())

    var commands: [UpperCommand] { state.withLock { $0.commands } }
    var ran: Int { state.withLock { $0.ran } }
    func refuse(statusCode: Int, reason: String) { state.withLock { $0.refusal = (statusCode, reason) } }

    func admit(_ command: UpperCommand) async -> UpperCommandDecision {
        let refusal = state.withLock { state -> (Int, String)? in
            state.commands.append(command)
            return state.refusal
        }
        if let refusal { return .refused(statusCode: refusal.0, reason: refusal.1) }
        return .accepted { [self] in
            self.state.withLock { $0.ran += 1 }
            switch command.message {
            case .query(.presetQuery(let query)):
                return [PresetQueryResponse(sn: query.sn, deviceID: command.channelID, sumNum: 2, presets: [Preset(id: 1), Preset(id: 7, name: "大门")])]
            case .query(.recordInfo(let query)):
                let items = (0..<20).map { minute in
                    RecordItem(deviceID: command.channelID, name: "rec\(minute)",
                               startTime: GBDateTime(parsing: "2026-12-01T08:\(minute < 10 ? "0" : "")\(minute):00"),
                               endTime: GBDateTime(parsing: "2026-12-01T08:\(minute < 10 ? "0" : "")\(minute):59"), type: .time)
                }
                return CatalogPager.recordResponses(sn: query.sn, deviceID: command.channelID, name: nil, items: items, itemsPerMessage: 8)
            default:
                return []
            }
        }
    }
}
