import Foundation
import GB28181
import SIP
import Testing

/// Online tracking (spec §2.1, §2.4): keepalives, interval × misses, registration expiry, TCP connection loss.
@Suite("Platform keepalive and online state")
struct PlatformKeepaliveTests {
    @Test("keepalives keep a device online; silence for interval × misses makes it offline once; a keepalive brings it back")
    func onlineOfflineTransitions() async throws {
        let configuration = PlatformFixture.configuration(keepalive: .milliseconds(150), misses: 2, sweep: .milliseconds(20))
        let (service, sink) = try await PlatformFixture.start(configuration)
        let device = try await PlatformFixture.device(service: service)
        #expect(try await device.register().statusCode == 200)
        for _ in 0..<6 {
            try await Task.sleep(for: .milliseconds(100))
            #expect(try await device.sendKeepalive().statusCode == 200)
        }
        #expect(await service.device(PlatformFixture.ipc)?.online == true)
        // Silent: offline after 300 ms, detected by the next sweep.
        #expect(await eventually(timeout: .seconds(2)) { await service.device(PlatformFixture.ipc)?.online == false })
        try await Task.sleep(for: .milliseconds(200))
        #expect(try await device.sendKeepalive().statusCode == 200)
        #expect(await eventually { await sink.transitions(of: PlatformFixture.ipc).count == 3 })
        let transitions = await sink.transitions(of: PlatformFixture.ipc)
        #expect(transitions.map(\.0) == [true, false, true])
        #expect(transitions.map(\.1) == [.registered, .keepaliveTimeout, .keepaliveResumed])
        #expect(await sink.keepalives.count == 7)
        await device.stop()
        await service.stop()
    }

    @Test("a keepalive from a device that is not registered gets 404 so it re-registers")
    func unknownKeepalive() async throws {
        let (service, _) = try await PlatformFixture.start()
        let device = try await PlatformFixture.device(service: service)
        #expect(try await device.sendKeepalive().statusCode == 404)
        #expect(await service.counters.unknownKeepalives == 1)
        await device.stop()
        await service.stop()
    }

    @Test("attack: a keepalive or alarm naming a registered device from another socket moves nothing and is not believed")
    func impostorFromAnotherAddress() async throws {
        let (service, sink) = try await PlatformFixture.start()
        let device = try await PlatformFixture.device(service: service)
        #expect(try await device.register().statusCode == 200)
        // Same device ID, its own socket, never authenticated: what anyone on the network can send.
        let impostor = try await PlatformFixture.device(service: service, password: "unknown")
        #expect(try await impostor.sendKeepalive().statusCode == 404)
        let alarm = AlarmNotify(sn: 7, deviceID: PlatformFixture.ipc, alarmPriority: 1, alarmMethod: "5",
                                alarmTime: GBDateTime(year: 2026, month: 12, day: 5, hour: 8, minute: 0, second: 0),
                                alarmDescription: "forged", alarmType: "2")
        #expect(try await impostor.sendAlarm(alarm).statusCode == 403)
        let snapshot = try #require(await service.device(PlatformFixture.ipc))
        #expect(snapshot.address == device.transport.localAddress, "the device's address did not move to the impostor")
        #expect(await service.counters.impostors == 2)
        #expect(await sink.alarms.isEmpty)
        #expect(await sink.keepalives.isEmpty)
        // The real device, from where it registered, is still heard; queries still go to it.
        #expect(try await device.sendKeepalive().statusCode == 200)
        #expect(try await service.deviceInfo(PlatformFixture.ipc).manufacturer == "GBShare")
        await impostor.stop()
        await device.stop()
        await service.stop()
    }

    @Test("registration expiry ends the registration: offline and unregistered events")
    func registrationExpiry() async throws {
        let configuration = PlatformFixture.configuration(sweep: .milliseconds(20))
        let (service, sink) = try await PlatformFixture.start(configuration)
        let device = try await PlatformFixture.device(service: service)
        #expect(try await device.register(expires: 1).statusCode == 200)
        #expect(await eventually(timeout: .seconds(3)) { await service.device(PlatformFixture.ipc) == nil })
        #expect(await eventually { await sink.unregistrations.first?.reason == .registrationExpired })
        #expect(await sink.transitions(of: PlatformFixture.ipc).last! == (false, .registrationExpired))
        await device.stop()
        await service.stop()
    }

    @Test("TCP: requests go down the device's connection; closing it makes the device offline")
    func tcpRegistrationAndConnectionLoss() async throws {
        let configuration = PlatformFixture.configuration(sweep: .milliseconds(20))
        let (service, sink) = try await PlatformFixture.start(configuration)
        let device = try await PlatformFixture.device(service: service, transport: .tcp)
        #expect(try await device.register().statusCode == 200)
        let snapshot = try #require(await service.device(PlatformFixture.ipc))
        #expect(snapshot.transport == .tcp)
        // The device listens on its own port; the platform must not connect there but use the registered connection.
        #expect(snapshot.address != device.transport.localAddress)
        #expect(await service.transport.hasConnection(to: snapshot.address))
        let info = try await service.deviceInfo(PlatformFixture.ipc)
        #expect(info.manufacturer == "GBShare")
        #expect(try await device.sendKeepalive().statusCode == 200)
        await device.stop()
        #expect(await eventually(timeout: .seconds(3)) { await service.device(PlatformFixture.ipc)?.online == false })
        #expect(await eventually { await sink.transitions(of: PlatformFixture.ipc).last?.1 == .connectionLost })
        await service.stop()
    }
}
