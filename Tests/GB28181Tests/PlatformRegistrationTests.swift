import Foundation
@testable import GB28181
import SIP
import Testing

/// Registrar (spec §2.1-§2.3) on real loopback sockets against the simulated device.
@Suite("Platform registrar")
struct PlatformRegistrationTests {
    @Test("digest registration: 401 then 200 with Date (GB format) and Expires; device online")
    func registersWithDigest() async throws {
        let (service, sink) = try await PlatformFixture.start()
        let device = try await PlatformFixture.device(service: service)
        let response = try await device.register()
        #expect(response.statusCode == 200)
        #expect(response.headers["Expires"] == "3600")
        let date = try #require(response.headers["Date"])
        #expect(GBDate.date(from: date) != nil && date.count == 23, "Date must be yyyy-MM-ddTHH:mm:ss.SSS, got \(date)")
        let snapshot = try #require(await service.device(PlatformFixture.ipc))
        #expect(snapshot.online && snapshot.transport == .udp)
        #expect(snapshot.address == device.transport.localAddress)
        #expect(await eventually { await sink.transitions(of: PlatformFixture.ipc).count == 1 })
        #expect(await sink.transitions(of: PlatformFixture.ipc).first! == (true, .registered))
        #expect(await sink.registrations.first?.isRefresh == false)
        #expect(await service.counters.challenges == 1)
        await device.stop()
        await service.stop()
    }

    @Test("a REGISTER whose To names the platform registers the device named in From (field quirk; was 403 'not filed')")
    func toNamingThePlatform() async throws {
        let (service, _) = try await PlatformFixture.start()
        let device = try await PlatformFixture.device(service: service) { $0.registerToNamesPlatform = true }
        let response = try await device.register()
        #expect(response.statusCode == 200)
        #expect(await service.device(PlatformFixture.ipc)?.online == true)
        #expect(await service.device(PlatformFixture.platformID) == nil)
        // The digest username still has to be the device's own: the registrar checks it against From's ID.
        #expect(try await device.sendKeepalive().statusCode == 200)
        await device.stop()
        await service.stop()
    }

    @Test("who a REGISTER speaks for: From first; a To naming the platform or the same ID is fine; two different devices are refused")
    func registrationIdentity() {
        let platform = PlatformFixture.platformID, ipc = PlatformFixture.ipc, other = PlatformFixture.secondIPC
        #expect(RegistrationIdentity.resolve(from: ipc, to: ipc, platformID: platform) == .device(ipc))
        #expect(RegistrationIdentity.resolve(from: ipc, to: platform, platformID: platform) == .device(ipc))
        #expect(RegistrationIdentity.resolve(from: ipc, to: "", platformID: platform) == .device(ipc))
        #expect(RegistrationIdentity.resolve(from: "", to: ipc, platformID: platform) == .device(ipc))
        #expect(RegistrationIdentity.resolve(from: platform, to: ipc, platformID: platform) == .device(ipc))
        #expect(RegistrationIdentity.resolve(from: "", to: platform, platformID: platform) == .missing)
        #expect(RegistrationIdentity.resolve(from: "", to: "", platformID: platform) == .missing)
        #expect(RegistrationIdentity.resolve(from: ipc, to: other, platformID: platform) == .conflicting(from: ipc, to: other))
    }

    @Test("wrong password: 403 and a refusal reported with the source address")
    func wrongPassword() async throws {
        let (service, sink) = try await PlatformFixture.start()
        let device = try await PlatformFixture.device(service: service, password: "not-the-password")
        let response = try await device.register()
        #expect(response.statusCode == 403)
        #expect(await service.device(PlatformFixture.ipc) == nil)
        #expect(await eventually { await sink.refusals.count == 1 })
        let refusal = try #require(await sink.refusals.first)
        #expect(refusal.reason == .wrongPassword && refusal.source == device.transport.localAddress)
        await device.stop()
        await service.stop()
    }

    @Test("per-device password from the directory is used instead of the default")
    func perDevicePassword() async throws {
        let (service, _) = try await PlatformFixture.start()
        let wrong = try await PlatformFixture.device(PlatformFixture.secondIPC, service: service)
        #expect(try await wrong.register().statusCode == 403)
        let right = try await PlatformFixture.device(PlatformFixture.secondIPC, service: service, password: "other-secret")
        #expect(try await right.register().statusCode == 200)
        #expect(await service.device(PlatformFixture.secondIPC)?.charset == .utf8)
        await wrong.stop()
        await right.stop()
        await service.stop()
    }

    @Test("no default password: a device without its own is challenged, then refused 403 like any refusal, with the hint in the refusal event")
    func noPasswordAnywhere() async throws {
        var configuration = PlatformFixture.configuration()
        configuration.defaultPassword = nil
        configuration.missingPasswordHint = "set --device-password"
        let (service, sink) = try await PlatformFixture.start(configuration)
        let device = try await PlatformFixture.device(service: service)
        let response = try await device.register()
        #expect(response.statusCode == 403)
        // Nothing on the wire tells a prober the code is filed: the same answer as an unfiled code.
        #expect(response.reasonPhrase == "Forbidden" && response.headers["Warning"] == nil)
        #expect(await service.counters.challenges == 1)
        #expect(await eventually { await sink.refusals.first?.reason == .noPassword("set --device-password") })
        // A device with its own password still registers.
        let own = try await PlatformFixture.device(PlatformFixture.secondIPC, service: service, password: "other-secret")
        #expect(try await own.register().statusCode == 200)
        await device.stop()
        await own.stop()
        await service.stop()
    }

    @Test("unfiled code: challenged like any code, then the same 403 as a wrong password; reported as an attempted access")
    func unfiledCode() async throws {
        let (service, sink) = try await PlatformFixture.start()
        let device = try await PlatformFixture.device(PlatformFixture.unfiled, service: service)
        let response = try await device.register()
        #expect(response.statusCode == 403)
        // The prober learns nothing: a challenge first, and the reason phrase a wrong password gets.
        #expect(await service.counters.challenges == 1)
        let wrong = try await PlatformFixture.device(service: service, password: "not-the-password")
        let wrongAnswer = try await wrong.register()
        #expect(wrongAnswer.statusCode == 403 && wrongAnswer.reasonPhrase == response.reasonPhrase)
        await wrong.stop()
        #expect(await eventually { await sink.refusals.first?.reason == .unfiled })
        #expect(await sink.refusals.first?.deviceID == PlatformFixture.unfiled)
        await device.stop()
        await service.stop()
    }

    @Test("codes that may not register are refused", arguments: ["3402000000", "34020000002160000001", "3402000000132000000X"])
    func invalidCodes(code: String) async throws {
        let (service, sink) = try await PlatformFixture.start()
        let device = try await PlatformFixture.device(code, service: service)
        #expect(try await device.register().statusCode == 403)
        #expect(await eventually { await sink.refusals.count == 1 })
        guard case .invalidCode = await sink.refusals.first?.reason else {
            Issue.record("expected invalidCode, got \(String(describing: await sink.refusals.first?.reason))")
            return
        }
        await device.stop()
        await service.stop()
    }

    @Test("refresh keeps the device online without a second transition; Expires: 0 unregisters")
    func refreshAndUnregister() async throws {
        let (service, sink) = try await PlatformFixture.start()
        let device = try await PlatformFixture.device(service: service)
        #expect(try await device.register().statusCode == 200)
        #expect(try await device.register(expires: 7200).statusCode == 200)
        #expect(await eventually { await sink.registrations.count == 2 })
        let refresh = await sink.registrations.last
        #expect(refresh?.isRefresh == true && refresh?.expires == 7200)
        let bye = try await device.unregister()
        #expect(bye.statusCode == 200 && bye.headers["Expires"] == "0")
        #expect(await service.device(PlatformFixture.ipc) == nil)
        #expect(await eventually { await sink.unregistrations.count == 1 })
        let transitions = await sink.transitions(of: PlatformFixture.ipc)
        #expect(transitions.count == 2 && transitions[0] == (true, .registered) && transitions[1] == (false, .unregistered))
        await device.stop()
        await service.stop()
    }

    @Test("an expiry below the minimum is answered 423 with Min-Expires; above the maximum it is shortened")
    func expiryBounds() async throws {
        let (service, _) = try await PlatformFixture.start(PlatformFixture.configuration(minimumExpiry: 60))
        let device = try await PlatformFixture.device(service: service)
        let brief = try await device.register(expires: 30)
        #expect(brief.statusCode == 423 && brief.headers["Min-Expires"] == "60")
        let long = try await device.register(expires: 999_999)
        #expect(long.statusCode == 200 && long.headers["Expires"] == "86400")
        await device.stop()
        await service.stop()
    }
}
