import Foundation
import GB28181
import GBSimulator
import SIP
import Testing

/// Queries and control (spec §3.3-§3.5, §3.7) against the simulated device on loopback.
@Suite("Platform queries and control")
struct PlatformQueryTests {
    static let channel = "34020000001310000001"

    static func registered(_ service: GBPlatformService, records: [RecordItem] = []) async throws -> SimulatedGBDevice {
        let device = try await PlatformFixture.device(service: service) { configuration in
            configuration.records = records
            configuration.recordsPerMessage = 10
        }
        #expect(try await device.register().statusCode == 200)
        return device
    }

    @Test("DeviceInfo, DeviceStatus and PresetQuery answers are typed and matched by SN")
    func queries() async throws {
        let (service, _) = try await PlatformFixture.start()
        let device = try await Self.registered(service)
        let info = try await service.deviceInfo(PlatformFixture.ipc)
        #expect(info.deviceName == "Simulated IPC" && info.model == "SIM-1" && info.channel == 1)
        let status = try await service.deviceStatus(PlatformFixture.ipc)
        #expect(status.online == true && status.encode == true)
        let presets = try await service.presets(PlatformFixture.ipc, channelID: Self.channel)
        #expect(presets.presets.map(\.id) == [1, 2] && presets.deviceID == Self.channel)
        await device.stop()
        await service.stop()
    }

    @Test("RecordInfo over three MESSAGEs is assembled and sorted by start time")
    func recordInfo() async throws {
        let records = (0..<25).reversed().map { hour in
            RecordItem(deviceID: Self.channel, name: "Camera", filePath: "rec\(hour)",
                       startTime: GBDateTime(year: 2024, month: 5, day: 20, hour: hour % 24, minute: hour / 24 * 30),
                       endTime: GBDateTime(year: 2024, month: 5, day: 20, hour: hour % 24, minute: 20), type: .time)
        }
        let (service, _) = try await PlatformFixture.start()
        let device = try await Self.registered(service, records: records)
        let result = try await service.recordInfo(
            PlatformFixture.ipc, channelID: Self.channel, from: GBDateTime(year: 2024, month: 5, day: 20),
            to: GBDateTime(year: 2024, month: 5, day: 20, hour: 23, minute: 59, second: 59))
        #expect(result.completion == .complete && result.items.count == 25)
        #expect(result.items.first?.filePath == "rec0")
        #expect(result.items.compactMap(\.startTime) == result.items.compactMap(\.startTime).sorted())
        let query = await device.receivedBodies.first { $0.contains("RecordInfo") } ?? ""
        #expect(query.contains("<Type>all</Type>") && query.contains("<DeviceID>\(Self.channel)</DeviceID>"))
        await device.stop()
        await service.stop()
    }

    @Test("PTZ and preset commands put the spec's PTZCmd vectors on the wire (spec §3.4.1)")
    func ptzBytes() async throws {
        let (service, _) = try await PlatformFixture.start()
        let device = try await Self.registered(service)
        try await service.ptz(.move(PTZMove(pan: .right, panSpeed: 0x32)), deviceID: PlatformFixture.ipc, channelID: Self.channel)
        try await service.ptz(.stop, deviceID: PlatformFixture.ipc, channelID: Self.channel)
        try await service.setPreset(1, deviceID: PlatformFixture.ipc, channelID: Self.channel)
        try await service.callPreset(255, deviceID: PlatformFixture.ipc, channelID: Self.channel)
        try await service.deletePreset(1, deviceID: PlatformFixture.ipc, channelID: Self.channel)
        let bodies = await device.receivedBodies
        let commands = bodies.compactMap { body -> String? in
            guard let start = body.range(of: "<PTZCmd>"), let end = body.range(of: "</PTZCmd>") else { return nil }
            return String(body[start.upperBound..<end.lowerBound])
        }
        #expect(commands == ["A50F0101320000E8", "A50F0100000000B5", "A50F018100010037", "A50F018200FF0036", "A50F018300010039"])
        #expect(bodies.first?.contains("<DeviceID>\(Self.channel)</DeviceID>") == true)
        #expect(bodies.first?.contains("<ControlPriority>5</ControlPriority>") == true)
        await device.stop()
        await service.stop()
    }

    @Test("guard, alarm reset (with Result) and TeleBoot (without) reach the device")
    func controls() async throws {
        let (service, _) = try await PlatformFixture.start()
        let device = try await Self.registered(service)
        #expect(try await service.setGuard(true, deviceID: PlatformFixture.ipc).result == .ok)
        #expect(try await service.resetAlarm(deviceID: PlatformFixture.ipc, alarmMethod: "2", alarmType: "1").result == .ok)
        try await service.teleBoot(PlatformFixture.ipc)
        let bodies = await device.receivedBodies
        #expect(bodies.contains { $0.contains("<GuardCmd>SetGuard</GuardCmd>") })
        #expect(bodies.contains { $0.contains("<AlarmCmd>ResetAlarm</AlarmCmd>") && $0.contains("<AlarmMethod>2</AlarmMethod>") })
        #expect(bodies.contains { $0.contains("<TeleBoot>Boot</TeleBoot>") })
        await device.stop()
        await service.stop()
    }

    @Test("alarm MESSAGE is stored via the sink and answered with Response Alarm OK, same SN; MobilePosition accepted")
    func alarmAndPosition() async throws {
        let (service, sink) = try await PlatformFixture.start()
        let device = try await Self.registered(service)
        let alarm = AlarmNotify(sn: 300, deviceID: Self.channel, alarmPriority: 1, alarmMethod: "5",
                                alarmTime: GBDateTime(year: 2024, month: 5, day: 20, hour: 8, minute: 15, second: 30),
                                alarmDescription: "motion", alarmType: "2")
        #expect(try await device.sendAlarm(alarm).statusCode == 200)
        #expect(await eventually { await sink.alarms.count == 1 })
        let report = await sink.alarms.first
        #expect(report?.alarm == alarm && report?.deviceID == PlatformFixture.ipc)
        #expect(await eventually { await device.received.contains { $0 == .response(.result(CommandResult(cmdType: .alarm, sn: 300, deviceID: Self.channel))) } })
        let position = MobilePositionNotify(sn: 5, deviceID: PlatformFixture.ipc, positions: [
            MobilePosition(deviceID: PlatformFixture.ipc, longitude: 117.2272, latitude: 31.8206, speed: 0)])
        #expect(try await device.send(position).statusCode == 200)
        #expect(await eventually { await sink.positions.first?.positions.first?.latitude == 31.8206 })
        await device.stop()
        await service.stop()
    }

    @Test("queries to unregistered devices fail at once; an unanswered query times out")
    func failures() async throws {
        let (service, _) = try await PlatformFixture.start(PlatformFixture.configuration(queryTimeout: .milliseconds(300)))
        await #expect(throws: GBPlatformError.deviceNotRegistered(PlatformFixture.nvr)) {
            try await service.deviceInfo(PlatformFixture.nvr)
        }
        let device = try await Self.registered(service)
        // ConfigDownload is not answered by the simulated device: a typed timeout, not a hang.
        let started = ContinuousClock.now
        await #expect(throws: GBPlatformError.self) {
            _ = try await service.configDownload(PlatformFixture.ipc)
        }
        #expect(started.duration(to: .now) < .seconds(2))
        await device.stop()
        await service.stop()
    }
}
