import ArgumentParser
import Foundation
import GB28181
import GBSimulator
import Logging
import NIOCore
import NIOPosix
import SIP
import Synchronization

/// `gbshare-bench cascade-catalog --items 100000 [--drop 0.01]`: the city's virtual catalog pushed to a
/// province that asks for it (both GBPlatformService on loopback, the city linked to the province by
/// UpperLink). With `--drop`, the city's datagrams to the province cross a relay that loses that share
/// of them: retransmission and per-page retries must still deliver every item.
struct CascadeCatalogBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cascade-catalog", abstract: "An N-item virtual catalog pushed to an upper platform; time and items lost.")

    @Option(help: "Catalog items shared with the upper.") var items = 100_000
    @Option(help: "Items per Response MESSAGE.") var perMessage = 4
    @Option(help: "Pages waiting for their 200 at once.") var window = 8
    @Option(help: "Share of the city's datagrams to the province lost on the way (0...0.5).") var drop = 0.0

    func run() async throws {
        let provinceID = "34020000002000000001", cityID = "34020000002000000002"
        let province = try await GBPlatformService.start(
            configuration: GBPlatformConfiguration(platformID: provinceID, host: "127.0.0.1", port: 0, defaultPassword: "bench-secret",
                                                   queryCatalogOnRegister: false,
                                                   catalogAssembly: AssemblyPolicy(idleTimeout: .seconds(10), overallTimeout: .seconds(300)),
                                                   queryTimeout: .seconds(300)),
            policy: StaticDeviceAccessPolicy(devices: [cityID: .allowed(password: "bench-secret", charset: nil)]),
            sink: CountingSink(), logger: benchLogger())
        let city = try await GBPlatformService.start(
            configuration: GBPlatformConfiguration(platformID: cityID, host: "127.0.0.1", port: 0, defaultPassword: "unused"),
            policy: StaticDeviceAccessPolicy(), sink: CountingSink(), logger: benchLogger())
        let provincePort = province.localAddress.port ?? 0
        let relay = drop > 0 ? try await LossyRelay.start(to: provincePort, drop: drop) : nil
        let shared = (0..<items).map {
            CatalogItem(deviceID: "44150200001320" + String(format: "%06d", $0), name: "共享点位\($0)", parentID: cityID, status: .on)
        }
        var upper = UpperPlatformConfiguration(platformID: provinceID, host: "127.0.0.1", port: relay?.port ?? provincePort,
                                               password: "bench-secret", keepaliveInterval: .seconds(30))
        upper.catalogItemsPerMessage = perMessage
        upper.catalogWindow = window
        let reports = ReportBox()
        let link = await city.linkToUpper(upper, catalog: FixedUpperCatalog(shared)) { event in
            if case .catalogPushed(_, let report) = event { reports.set(report) }
        }
        let deadline = Date().addingTimeInterval(30)
        while await province.device(cityID)?.online != true, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        let cpu0 = ProcessResourceUsage.cpuSeconds()
        let started = ContinuousClock.now
        let result = try await province.refreshCatalog(cityID)
        let elapsed = started.duration(to: .now)
        let cpu = ProcessResourceUsage.cpuSeconds() - cpu0
        while reports.value == nil, started.duration(to: .now) < elapsed + .seconds(30) { try await Task.sleep(for: .milliseconds(20)) }
        let received = Set(result.items.map(\.deviceID))
        let lost = shared.filter { !received.contains($0.deviceID) }.count
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let report = reports.value
        print("""
            == cascade-catalog: \(result.items.count)/\(items) items at the province in \(String(format: "%.2f", seconds)) s \
            (\(String(format: "%.0f", Double(result.items.count) / max(seconds, 0.001))) items/s, goal < 30 s), LOST \(lost), \
            completion \(result.completion); \(result.fragments) MESSAGEs of \(perMessage), window \(window)
            drop \(String(format: "%.1f", drop * 100)) % of the city's datagrams\(relay.map { ": \($0.dropped) dropped of \($0.forwarded + $0.dropped)" } ?? ""); \
            page retries \(report?.retries ?? -1), pages failed after retries \(report?.failedPages ?? -1); \
            CPU of both platforms \(String(format: "%.1f", cpu)) s, RSS \(String(format: "%.0f", ProcessResourceUsage.residentMebibytes().peak)) MiB
            """)
        await link.stop()
        await city.stop()
        await province.stop()
        try await relay?.close()
    }
}

final class ReportBox: @unchecked Sendable {
    private let lock = NSLock()
    private var report: CatalogPushReport?
    func set(_ value: CatalogPushReport) { lock.withLock { report = value } }
    var value: CatalogPushReport? { lock.withLock { report } }
}

/// A UDP relay in front of the province: what comes from the province goes to the last other sender
/// (the city); what comes from the city goes to the province, except a random `drop` share of it.
final class LossyRelay: @unchecked Sendable {
    let channel: any Channel
    let handler: Handler
    var port: Int { channel.localAddress?.port ?? 0 }
    /// Of the city's datagrams to the province: dropped, and passed on.
    var dropped: Int { handler.counts.withLock { $0.dropped } }
    var forwarded: Int { handler.counts.withLock { $0.forwarded } }

    private init(channel: any Channel, handler: Handler) {
        self.channel = channel
        self.handler = handler
    }

    static func start(to provincePort: Int, drop: Double) async throws -> LossyRelay {
        let province = try SocketAddress(ipAddress: "127.0.0.1", port: provincePort)
        let handler = Handler(province: province, drop: drop)
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.so_rcvbuf), value: 8 << 20)
            .channelInitializer { $0.pipeline.addHandler(handler) }
            .bind(host: "127.0.0.1", port: 0).get()
        return LossyRelay(channel: channel, handler: handler)
    }

    func close() async throws { try await channel.close() }

    final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        typealias OutboundOut = AddressedEnvelope<ByteBuffer>
        let province: SocketAddress
        let drop: Double
        let counts = Mutex((forwarded: 0, dropped: 0))
        private var city: SocketAddress?

        init(province: SocketAddress, drop: Double) {
            self.province = province
            self.drop = drop
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            let target: SocketAddress
            if envelope.remoteAddress == province {
                guard let city else { return }
                target = city
            } else {
                city = envelope.remoteAddress
                if Double.random(in: 0..<1) < drop {
                    counts.withLock { $0.dropped += 1 }
                    return
                }
                target = province
                counts.withLock { $0.forwarded += 1 }
            }
            context.writeAndFlush(wrapOutboundOut(AddressedEnvelope(remoteAddress: target, data: envelope.data)), promise: nil)
        }
    }
}
