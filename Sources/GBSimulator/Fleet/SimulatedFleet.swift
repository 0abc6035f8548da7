import Foundation
import GB28181
import Media
import NIOCore
import SIP

/// Runs a fleet: every member registers with digest, keeps alive, re-registers before its registration
/// expires, answers queries and streams the clip; each state change becomes one line for `report`.
public actor SimulatedFleet {
    public struct Summary: Sendable, Equatable, CustomStringConvertible {
        public var devices = 0
        public var registered = 0
        public var registrationFailures = 0
        public var keepaliveFailures = 0
        public var invites = 0
        public var byes = 0
        public var transfersEnded = 0

        public var description: String {
            "\(devices) device(s): \(registered) registrations, \(registrationFailures) registration failures, "
                + "\(keepaliveFailures) keepalive failures, \(invites) invites, \(byes) byes, \(transfersEnded) downloads ended"
        }
    }

    public nonisolated let configuration: SimulatedFleetConfiguration
    public nonisolated let layout: SimulatedFleetLayout
    private let clip: PSReplayProgram
    private let report: @Sendable (String) -> Void
    private var devices: [SimulatedGBDevice] = []
    private var refreshers: [Task<Void, Never>] = []
    private(set) var summary = Summary()

    public init(_ configuration: SimulatedFleetConfiguration, clip: PSReplayProgram,
                report: @escaping @Sendable (String) -> Void) throws(SimulatedFleetError) {
        self.configuration = configuration
        layout = try SimulatedFleetLayout(configuration)
        self.clip = clip
        self.report = report
    }

    public var currentSummary: Summary { summary }
    public var runningDevices: [SimulatedGBDevice] { devices }

    /// Starts every member and registers it; a member that fails to register keeps retrying in its loop.
    public func start() async throws {
        let platform = try SocketAddress(ipAddress: configuration.platformHost, port: configuration.platformPort)
        summary.devices = layout.members.count
        for member in layout.members {
            let device = try await SimulatedGBDevice.start(deviceConfiguration(member, platform: platform))
            devices.append(device)
            refreshers.append(Task { await self.keepRegistered(device) })
            if let every = configuration.alarmEverySeconds, every > 0, let source = member.channels.first?.id {
                refreshers.append(Task { await Self.raiseAlarms(device, source: source, every: every) })
            }
        }
    }

    /// An alarm of `source` every `every` seconds until the fleet stops (spec §9.4: MESSAGE Notify Alarm).
    private static func raiseAlarms(_ device: SimulatedGBDevice, source: String, every: Int) async {
        var sn = 0
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(every))
            guard !Task.isCancelled else { return }
            sn += 1
            let alarm = AlarmNotify(sn: sn, deviceID: source, alarmPriority: 1, alarmMethod: "5",
                                    alarmTime: GBDateTime(Date(), in: .current), alarmDescription: "模拟报警 \(sn)")
            _ = try? await device.sendAlarm(alarm)
        }
    }

    /// Unregisters (Expires: 0) and closes every device, all at once: with the platform gone each
    /// unregister waits out Timer F (32 s), which must not add up over a thousand devices.
    public func stop() async {
        for task in refreshers { task.cancel() }
        let report = report
        await withTaskGroup(of: Void.self) { group in
            for device in devices {
                group.addTask {
                    await device.stopKeepalives()
                    let response = try? await device.unregister()
                    await device.stop()
                    let outcome = response.map { $0.isSuccess ? "unregistered" : "unregister refused: \($0.statusCode)" }
                    report("\(device.configuration.deviceID) \(outcome ?? "unregister not answered")")
                }
            }
        }
        devices.removeAll()
    }

    private func deviceConfiguration(_ member: SimulatedFleetLayout.Member, platform: SocketAddress) -> SimulatedDeviceConfiguration {
        let id = member.deviceID
        let events: @Sendable (SimulatedDeviceEvent) -> Void = { [weak self] event in
            Task { await self?.record(event, deviceID: id) }
        }
        return SimulatedDeviceConfiguration(
            deviceID: id, password: configuration.password, platformID: configuration.platformID, domain: configuration.domain,
            platformAddress: platform, transport: configuration.transport, expires: configuration.expires,
            catalog: layout.catalog(of: member, division: configuration.division),
            deviceInfo: DeviceInfoResponse(sn: 0, deviceID: id, deviceName: member.name, manufacturer: "GBShare",
                                           model: "SIM-1", firmware: "1.0", channel: member.channels.count),
            bindHost: configuration.bindHost, recordList: SimulatedRecordList(), clip: clip, events: events)
    }

    /// Registers, then again when half the granted time is gone; after a failure, again in a few seconds.
    /// Keepalives start with the first registration (before it the platform answers them 404).
    private func keepRegistered(_ device: SimulatedGBDevice) async {
        let id = device.configuration.deviceID
        var keepingAlive = false
        while !Task.isCancelled {
            var wait = configuration.reregisterAfterSeconds
            do {
                let response = try await device.register()
                if response.isSuccess {
                    summary.registered += 1
                    report("\(id) registered (expires \(configuration.expires) s)")
                    if !keepingAlive {
                        keepingAlive = true
                        await device.startKeepalives(every: .seconds(configuration.keepaliveSeconds))
                    }
                } else {
                    summary.registrationFailures += 1
                    report("\(id) registration refused: \(response.statusCode) \(response.reasonPhrase)")
                    wait = 5
                }
            } catch {
                summary.registrationFailures += 1
                report("\(id) registration failed: \(error)")
                wait = 5
            }
            try? await Task.sleep(for: .seconds(wait))
        }
    }

    private func record(_ event: SimulatedDeviceEvent, deviceID: String) {
        switch event {
        case .keepaliveFailed: summary.keepaliveFailures += 1
        case .invite: summary.invites += 1
        case .bye: summary.byes += 1
        case .transferEnded: summary.transfersEnded += 1
        case .streamFailed: break
        }
        report("\(deviceID) \(event)")
    }
}
