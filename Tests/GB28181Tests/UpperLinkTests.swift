import Foundation
@testable import GB28181
import NIOCore
import NIOPosix
import SIP
import GBSimulator
import Testing

/// The city as a lower platform of an upper one (spec §7, §2): digest registration, keepalive, refresh,
/// backoff after a loss and recovery, refusals that stop the link. Against SIPp playing the upper
/// (`test_platform_uas.xml` of /work/shared/peers/sipp, as the peers' selftest runs it) and against a
/// second GBPlatformService as the province, all on 127.0.0.1.
@Suite("Upper platform link", .serialized)
struct UpperLinkTests {
    static let province = PlatformFixture.platformID
    static let city = PlatformFixture.lowerPlatform
    static let cityPassword = "lower123"
    static let sipp = "/usr/bin/sipp"
    static let fastTimers = SIPTimerConfiguration(t1: .milliseconds(50), t2: .milliseconds(200), t4: .milliseconds(250))

    /// The city's own platform service (its SIP socket is the link's).
    static func startCity(transport timers: SIPTimerConfiguration = fastTimers) async throws -> GBPlatformService {
        var configuration = PlatformFixture.configuration()
        configuration.platformID = city
        configuration.domain = String(city.prefix(10))
        configuration.sipTimers = timers
        return try await GBPlatformService.start(configuration: configuration, policy: StaticDeviceAccessPolicy(), sink: RecordingSink(),
                                                 logger: PlatformFixture.quietLogger())
    }

    static func upper(port: Int, transport: SIPTransportKind = .udp, password: String = cityPassword,
                      keepalive: Duration = .milliseconds(300), misses: Int = 2) -> UpperPlatformConfiguration {
        UpperPlatformConfiguration(platformID: province, host: "127.0.0.1", port: port, transport: transport, password: password,
                                   expires: 3600, keepaliveInterval: keepalive, keepaliveMisses: misses,
                                   backoffFirst: .milliseconds(200), backoffLongest: .seconds(1))
    }

    @Test("registers with digest to SIPp playing the upper, keeps alive and unregisters on stop", arguments: [SIPTransportKind.udp, .tcp])
    func registersToSippUpper(transport: SIPTransportKind) async throws {
        guard FileManager.default.isExecutableFile(atPath: Self.sipp) else {
            Issue.record("sipp is missing at \(Self.sipp): apt-get install -y sip-tester")
            return
        }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("upper-sipp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        try "SEQUENTIAL\n\(Self.city);\(Self.cityPassword)\n".write(to: work.appendingPathComponent("devices.csv"), atomically: true, encoding: .utf8)
        let port = try await Self.freePort()
        let sipp = Process()
        sipp.executableURL = URL(fileURLWithPath: Self.sipp)
        sipp.currentDirectoryURL = work
        sipp.arguments = ["-t", transport == .tcp ? "t1" : "u1", "-sf", "/work/shared/peers/sipp/test_platform_uas.xml",
                          "-i", "127.0.0.1", "-p", String(port), "-inf", "devices.csv", "-infindex", "devices.csv", "0",
                          "-key", "domain", "3402000000", "-nostdin", "-trace_logs"]
        sipp.standardOutput = FileHandle.nullDevice
        sipp.standardError = FileHandle.nullDevice
        try sipp.run()
        defer { Self.end(sipp) }
        try await Task.sleep(for: .milliseconds(500))

        let city = try await Self.startCity()
        let states = StateLog()
        let link = await city.linkToUpper(Self.upper(port: port, transport: transport)) { states.append($0) }
        let log = { (try? Self.sippLogs(in: work)) ?? "" }
        #expect(await eventually(timeout: .seconds(10)) { log().contains("REGISTER digest check OK for \(Self.city)") }, "\(log())")
        #expect(await eventually(timeout: .seconds(10)) { await link.state.isRegistered })
        #expect(await eventually(timeout: .seconds(10)) { log().components(separatedBy: "MESSAGE CmdType=Keepalive").count > 2 }, "two keepalives: \(log())")
        await link.stop()
        #expect(await link.state == .idle)
        #expect(states.names.prefix(3) == ["registering", "registered", "idle"], "\(states.names)")
        await city.stop()
    }

    @Test("a city registers to a province (our own registrar), stays online by keepalive, and after the province restarts registers again by itself")
    func cascadesToAProvinceAndRecovers() async throws {
        let (province, sink) = try await PlatformFixture.start()
        let port = try #require(province.localAddress.port)
        let city = try await Self.startCity()
        let states = StateLog()
        let link = await city.linkToUpper(Self.upper(port: port, misses: 1)) { states.append($0) }
        #expect(await eventually(timeout: .seconds(10)) { await province.device(Self.city)?.online == true })
        #expect(await eventually(timeout: .seconds(10)) { await sink.keepalives.filter { $0.deviceID == Self.city }.count >= 2 })

        await province.stop()
        #expect(await eventually(timeout: .seconds(15)) { if case .backoff = await link.state { true } else { false } }, "\(states.names)")
        var again = PlatformFixture.configuration()
        again.port = port
        let (restarted, _) = try await PlatformFixture.start(again)
        #expect(await eventually(timeout: .seconds(15)) { await restarted.device(Self.city)?.online == true }, "\(states.names)")
        #expect(await link.state.isRegistered)
        await link.stop()
        #expect(await eventually(timeout: .seconds(5)) { await restarted.device(Self.city)?.online != true }, "the unregister took the city offline")
        await restarted.stop()
        await city.stop()
    }

    @Test("a wrong password is refused by the province: the link stops retrying and says why")
    func wrongPasswordStopsTheLink() async throws {
        let (province, _) = try await PlatformFixture.start()
        let city = try await Self.startCity()
        let link = await city.linkToUpper(Self.upper(port: try #require(province.localAddress.port), password: "not-it"))
        #expect(await eventually(timeout: .seconds(10)) { if case .refused = await link.state { true } else { false } })
        guard case .refused(let failure) = await link.state else { return }
        #expect(failure.code == "forbidden" || failure.code == "credentials_refused", "\(failure)")
        #expect(await province.device(Self.city) == nil)
        await link.stop()
        await province.stop()
        await city.stop()
    }

    @Test("an upper that answers 503, or nothing, is retried with growing waits")
    func unavailableUpperIsRetriedWithBackoff() async throws {
        let refusing = try await RefusingUpper.start(status: 503)
        let city = try await Self.startCity()
        let link = await city.linkToUpper(Self.upper(port: refusing.port))
        let retried = await eventually(timeout: .seconds(10)) {
            if case .backoff(let failure, let attempt, _) = await link.state { failure == .rejected(statusCode: 503, reason: "Service Unavailable") && attempt >= 2 } else { false }
        }
        let refusedState = await link.state
        #expect(retried, "\(refusedState)")
        await link.stop()
        try await refusing.close()

        let silent = try await Self.freePort()
        let unanswered = await city.linkToUpper(Self.upper(port: silent))
        let waited = await eventually(timeout: .seconds(15)) {
            if case .backoff(let failure, _, _) = await unanswered.state { failure == .noAnswer || failure.code == "transport" } else { false }
        }
        let silentState = await unanswered.state
        #expect(waited, "\(silentState)")
        await unanswered.stop()
        await city.stop()
    }

    @Test("turning off a link whose REGISTER waits on a silent upper returns within seconds, not the 32 s transaction timeout")
    func stoppingDoesNotWaitForASilentUpper() async throws {
        let city = try await Self.startCity(transport: SIPTimerConfiguration())
        let events = StateLog()
        let link = await city.linkToUpper(Self.upper(port: try await Self.freePort())) { events.append($0) }
        #expect(await eventually { await link.state == .registering })
        try await Task.sleep(for: .milliseconds(300))
        let started = ContinuousClock.now
        await link.stop()
        let took = ContinuousClock.now - started
        #expect(took < .seconds(5), "stop took \(took)")
        #expect(await link.state == .idle)
        let after = events.names.count
        try await Task.sleep(for: .seconds(1))
        #expect(events.names.count == after && events.names.last == "idle", "nothing is reported after the stop: \(events.names)")
        await city.stop()
    }

    @Test("the province reads the city's shared catalog (paged, SumNum the total) and its DeviceInfo; a query naming the province from elsewhere is refused")
    func provinceQueriesTheCitysCatalog() async throws {
        let (province, _) = try await PlatformFixture.start(PlatformFixture.configuration(idleTimeout: .seconds(5), queryTimeout: .seconds(10)))
        let city = try await Self.startCity()
        let shared = (0..<1_000).map {
            CatalogItem(deviceID: "3402000000132" + String(1_000_000 + $0).suffix(7), name: "共享点位\($0)", parentID: Self.city, status: .on)
        }
        let pushes = StateLog()
        let link = await city.linkToUpper(Self.upper(port: try #require(province.localAddress.port)), catalog: FixedUpperCatalog(shared)) {
            pushes.append($0)
        }
        #expect(await eventually(timeout: .seconds(10)) { await province.device(Self.city)?.online == true })
        let catalog = try await province.refreshCatalog(Self.city)
        #expect(catalog.items.map(\.deviceID).sorted() == shared.map(\.deviceID).sorted())
        #expect(catalog.completion == .complete, "\(catalog.completion)")
        #expect(catalog.fragments == 250, "4 items a page")
        #expect(await eventually { pushes.reports.first?.failedPages == 0 }, "\(pushes.reports)")
        let info = try await province.deviceInfo(Self.city)
        #expect(info.deviceID == Self.city && info.channel == 1_000 && info.manufacturer == "GBShare", "\(info)")

        // Someone else naming the province: refused, and nothing is sent up for it.
        let impostor = try await SimulatedGBDevice.start(SimulatedDeviceConfiguration(
            deviceID: Self.province, password: "x", platformID: Self.city, platformAddress: city.localAddress, transport: .udp))
        let refused = try await impostor.send(CatalogQuery(sn: 77, deviceID: Self.city))
        #expect(refused.statusCode == 403, "\(refused.statusCode) \(refused.reasonPhrase)")
        try await Task.sleep(for: .milliseconds(300))
        #expect(pushes.reports.count == 1, "no push for the impostor's query: \(pushes.reports)")
        await impostor.stop()
        await link.stop()
        await province.stop()
        await city.stop()
    }

    @Test("granted lifetime from Expires or the Contact's expires; backoff doubles up to its ceiling")
    func grantedExpiryAndBackoff() throws {
        var response = SIPResponse(statusCode: 200, reasonPhrase: "OK")
        response.headers.add("Expires", "1800")
        #expect(UpperLink.grantedExpiry(response) == 1800)
        var contactOnly = SIPResponse(statusCode: 200, reasonPhrase: "OK")
        contactOnly.headers.add("Contact", "<sip:34020000002000000002@127.0.0.1:5060>;expires=600")
        #expect(UpperLink.grantedExpiry(contactOnly) == 600)
        #expect(UpperLink.grantedExpiry(SIPResponse(statusCode: 200, reasonPhrase: "OK")) == nil)
        let configuration = Self.upper(port: 5060)
        for attempt in 1...12 {
            let wait = configuration.backoff(attempt: attempt)
            let base = min(Duration.milliseconds(200) * (1 << (attempt - 1)), .seconds(1))
            #expect(wait >= base && wait <= base + base / 4, "attempt \(attempt): \(wait)")
        }
    }

    static func freePort() async throws -> Int {
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close()
        return port
    }

    static func end(_ process: Process) {
        process.terminate()
        for _ in 0..<10 where process.isRunning { usleep(100_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    static func sippLogs(in folder: URL) throws -> String {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix("_logs.log") }
            .map { try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8) }.joined()
    }
}

/// The link's state changes, in order.
final class StateLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [UpperLinkEvent] = []
    func append(_ event: UpperLinkEvent) { lock.withLock { events.append(event) } }
    var reports: [CatalogPushReport] {
        lock.withLock { events.compactMap { if case .catalogPushed(_, let report) = $0 { report } else { nil } } }
    }
    var names: [String] {
        lock.withLock { events.compactMap { if case .stateChanged(_, let state) = $0 { state.name } else { nil } } }
    }
    /// Commands about channels, as "command_relayed"/"command_refused".
    var commands: [String] {
        lock.withLock {
            events.compactMap { if case .command(_, _, _, let status, _) = $0 { status == 200 ? "command_relayed" : "command_refused" } else { nil } }
        }
    }
    /// Calls the upper started and ended, as "call_started"/"call_ended".
    var calls: [String] {
        lock.withLock {
            events.compactMap {
                switch $0 {
                case .callStarted: "call_started"
                case .callEnded: "call_ended"
                default: nil
                }
            }
        }
    }
}

/// A UDP upper that answers every request with one status (a busy or broken province).
struct RefusingUpper {
    let channel: any Channel
    var port: Int { channel.localAddress?.port ?? 0 }

    static func start(status: Int) async throws -> RefusingUpper {
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in channel.pipeline.addHandler(Answerer(status: status)) }
            .bind(host: "127.0.0.1", port: 0).get()
        return RefusingUpper(channel: channel)
    }

    func close() async throws { try await channel.close() }

    final class Answerer: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        typealias OutboundOut = AddressedEnvelope<ByteBuffer>
        let status: Int
        init(status: Int) { self.status = status }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            guard case .request(let request) = try? SIPMessageParser().parse(datagram: envelope.data) else { return }
            var response = SIPResponse(replyingTo: request, statusCode: status, reasonPhrase: "Service Unavailable")
            response.headers.add("Retry-After", "1")
            let bytes = SIPMessage.response(response).bytes
            context.writeAndFlush(wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: bytes)), promise: nil)
        }
    }
}
