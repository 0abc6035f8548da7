import Foundation
import NIOCore
import SIP

/// How a catalog push went, for the log, the console and the benchmark.
public struct CatalogPushReport: Sendable, Equatable {
    public var sn: Int
    public var items: Int
    public var pages: Int
    /// Pages the upper never acknowledged after every retry (each retried from its own index).
    public var failedPages: Int
    public var retries: Int
    public var duration: Duration
}

extension UpperLink {
    /// Whether a request really comes from this upper: its configured address (the IP, and for UDP the
    /// port too; a TCP connection comes from any port of that host). An upper is never trusted on the
    /// IDs it names alone.
    public nonisolated func isBinding(_ source: SocketAddress, transport: SIPTransportKind) -> Bool {
        guard transport == configuration.transport, let expected = try? address else { return false }
        guard source.ipAddress == expected.ipAddress else { return false }
        return transport == .tcp || source.port == expected.port
    }

    /// A query from the upper, already answered 200 by the router: the answer goes on new Call-IDs, as
    /// devices answer (spec §3.3, §7).
    func answer(_ message: MANSCDPMessage) async {
        switch message {
        case .query(.catalog(let query)):
            let report = await pushCatalog(sn: query.sn)
            events(.catalogPushed(platformID: configuration.platformID, report: report))
        case .query(.deviceInfo(let query)):
            let channels = await catalogSource.catalog(for: configuration.platformID).count
            _ = await sendToUpper(DeviceInfoResponse(sn: query.sn, deviceID: local.platformID, deviceName: local.deviceName,
                                                     manufacturer: "GBShare", model: "video sharing and exchange platform",
                                                     firmware: local.userAgent, channel: channels))
        case .query(.deviceStatus(let query)):
            _ = await sendToUpper(DeviceStatusResponse(sn: query.sn, deviceID: local.platformID, online: true, status: .ok,
                                                       encode: true, record: false))
        default:
            logger.info("upper platform command not handled yet", metadata: [
                "upper": "\(configuration.platformID)", "cmdType": "\(message.cmdType)"])
        }
    }

    /// The virtual catalog in pages of `catalogItemsPerMessage`, `catalogWindow` pages outstanding at
    /// most (the next goes when a 200 comes back: paced and back-pressured). The transaction layer
    /// retransmits a lost datagram; a page that still fails is retried from its own index up to
    /// `catalogPageAttempts` times, and the push goes on (resumable, never restarted from the top).
    func pushCatalog(sn: Int) async -> CatalogPushReport {
        let started = ContinuousClock.now
        let items = await catalogSource.catalog(for: configuration.platformID)
        let pages = CatalogPager.responses(sn: sn, deviceID: local.platformID, items: items,
                                           itemsPerMessage: configuration.catalogItemsPerMessage)
        let bodies = pages.map { (try? $0.encoded(charset: configuration.charset)) ?? [] }
        var failed = 0, retries = 0
        await withTaskGroup(of: (ok: Bool, retries: Int).self) { group in
            var next = 0
            func launch() {
                let index = next
                next += 1
                group.addTask { await self.sendPage(bodies[index]) }
            }
            while next < min(bodies.count, max(1, configuration.catalogWindow)) { launch() }
            for await outcome in group {
                if !outcome.ok { failed += 1 }
                retries += outcome.retries
                if next < bodies.count { launch() }
            }
        }
        let report = CatalogPushReport(sn: sn, items: items.count, pages: bodies.count, failedPages: failed, retries: retries,
                                       duration: ContinuousClock.now - started)
        if failed > 0 {
            logger.warning("catalog push to the upper platform lost pages", metadata: [
                "upper": "\(configuration.platformID)", "pages": "\(bodies.count)", "failed": "\(failed)"])
        }
        return report
    }

    private nonisolated func sendPage(_ body: [UInt8]) async -> (ok: Bool, retries: Int) {
        for attempt in 0..<max(1, configuration.catalogPageAttempts) {
            if await sendBodyToUpper(body) { return (true, attempt) }
        }
        return (false, max(0, configuration.catalogPageAttempts - 1))
    }

    /// A MANSCDP body by MESSAGE to the upper on a new Call-ID; true when answered 2xx.
    nonisolated func sendToUpper(_ command: some MANSCDPCommand) async -> Bool {
        guard let body = try? command.encoded(charset: configuration.charset) else { return false }
        return await sendBodyToUpper(body)
    }

    nonisolated func sendBodyToUpper(_ body: [UInt8]) async -> Bool {
        var request = messageRequest()
        request.body = ByteBuffer(bytes: body)
        guard let response = try? await send(request) else { return false }
        return response.isSuccess
    }
}
