import Foundation
import GB28181
import GBSimulator
import SIP
import Testing

/// Catalog sync against a simulated lower platform (spec §3.6, §4): paging, lying SumNum, hostile pages,
/// both trees, subscription NOTIFY.
@Suite("Platform catalog sync")
struct PlatformCatalogTests {
    static let lower = PlatformFixture.lowerPlatform
    static let group = "34020000002150000001"

    /// 3 regions, one 215 group, 9 nested 216 organisations, 987 cameras: 1,000 items.
    static func catalog() -> [CatalogItem] {
        var items = [
            CatalogItem(deviceID: "34", name: "Province"), CatalogItem(deviceID: "3402", name: "City"),
            CatalogItem(deviceID: "340200", name: "District"),
            CatalogItem(deviceID: group, name: "Public security", parentID: lower),
        ]
        for index in 1...9 {
            let parent = index == 1 ? group : organisation(1)
            items.append(CatalogItem(deviceID: organisation(index), name: "Station \(index)", parentID: parent, businessGroupID: group))
        }
        for index in 1...987 {
            let id = "3402000000131" + String(format: "%07d", index)
            items.append(CatalogItem(deviceID: id, name: "Camera \(index)", manufacturer: "Hikvision", civilCode: "340200",
                                     parental: 0, parentID: organisation(index % 9 + 1), status: .on,
                                     info: CatalogItemInfo(ptzType: 1)))
        }
        return items
    }

    static func organisation(_ index: Int) -> String { "3402000000216" + String(format: "%07d", index) }

    static func lowerPlatform(_ service: GBPlatformService, customise: (inout SimulatedDeviceConfiguration) -> Void = { _ in })
        async throws -> SimulatedGBDevice {
        let device = try await PlatformFixture.device(lower, service: service, password: "lower123", catalog: catalog(),
                                                      perMessage: 50, customise: customise)
        #expect(try await device.register().statusCode == 200)
        return device
    }

    @Test("1,000 items in 20 MESSAGEs assembled complete, with the region and 215/216 trees, progress reported")
    func assemblesCatalog() async throws {
        let (service, sink) = try await PlatformFixture.start()
        let device = try await Self.lowerPlatform(service)
        let result = try await service.refreshCatalog(Self.lower)
        #expect(result.completion == .complete)
        #expect(result.items.count == 1000 && result.fragments == 20)
        let trees = result.trees
        #expect(trees.region.roots == ["34"])
        #expect(trees.region.parent(of: "3402000000131" + "0000001") == "340200")
        #expect(trees.business.path(to: Self.organisation(5)) == [Self.group, Self.organisation(1), Self.organisation(5)])
        #expect(trees.business.parent(of: "3402000000131" + "0000004") == Self.organisation(5))
        #expect(await eventually { await sink.catalogs.count == 1 })
        #expect(await sink.progress.first?.progress.expected == 1000)
        #expect(await sink.progress.last?.progress.received == 1000)
        await device.stop()
        await service.stop()
    }

    @Test("SumNum lying high, a GB18030 page declared UTF-8, an XML bomb page and a 1000-deep page: the rest is kept")
    func hostilePages() async throws {
        let (service, sink) = try await PlatformFixture.start(PlatformFixture.configuration(idleTimeout: .seconds(3)))
        let device = try await Self.lowerPlatform(service) { configuration in
            configuration.catalogSumNumOverride = 1200
            configuration.catalogPageOverrides = [
                3: { page in
                    var renamed = page
                    renamed.list.items = page.items.map { var item = $0; item.name = "一号门摄像机"; return item }
                    // GB 18030 bytes behind a UTF-8 declaration (🔧 spec §1.5).
                    return (try? OutgoingCharset.gb18030.encode(renamed.xml(charset: .utf8))) ?? []
                },
                7: { _ in Array(HostileBodies.billionLaughs.utf8) },
                11: { _ in Array(HostileBodies.deeplyNested(depth: 1000).utf8) },
            ]
        }
        let result = try await service.refreshCatalog(Self.lower)
        #expect(result.completion == .timedOut(.idle))
        #expect(result.items.count == 900)
        #expect(result.progress.expected == 1200)
        let renamed = result.items.filter { $0.name == "一号门摄像机" }
        #expect(renamed.count == 50)
        #expect(await service.counters.badBodies == 2)
        #expect(await eventually { await sink.catalogs.first?.items.count == 900 })
        // The service is still fine: a query after the hostile pages works.
        #expect(try await service.deviceInfo(Self.lower).deviceID == Self.lower)
        await device.stop()
        await service.stop()
    }

    @Test("SumNum lying low: the overshoot that arrives within the grace is kept")
    func sumNumLyingLow() async throws {
        let (service, _) = try await PlatformFixture.start()
        let device = try await Self.lowerPlatform(service) { $0.catalogSumNumOverride = 500 }
        let result = try await service.refreshCatalog(Self.lower)
        #expect(result.completion == .complete)
        #expect(result.items.count == 1000)
        await device.stop()
        await service.stop()
    }

    @Test("catalog is queried after the first registration and reaches the sink")
    func catalogAfterRegistration() async throws {
        let (service, sink) = try await PlatformFixture.start(PlatformFixture.configuration(catalogOnRegister: true))
        let device = try await Self.lowerPlatform(service)
        #expect(await eventually(timeout: .seconds(30)) { await sink.catalogs.count == 1 })
        #expect(await sink.catalogs.first?.items.count == 1000)
        #expect(await device.received.contains { $0.cmdType == .deviceInfo })
        await device.stop()
        await service.stop()
    }

    @Test("catalog SUBSCRIBE, then NOTIFY with ADD/DEL/UPDATE/ON/OFF items reaches the sink; unsubscribe")
    func subscriptionNotify() async throws {
        let (service, sink) = try await PlatformFixture.start()
        let device = try await Self.lowerPlatform(service)
        let id = try await service.subscribe(.catalog, deviceID: Self.lower, expires: 600)
        #expect(await device.subscriptionCount == 1)
        let events: [CatalogEvent] = [.add, .delete, .update, .on, .off]
        let changes = events.enumerated().map { index, event in
            CatalogItem(deviceID: "3402000000131" + String(format: "%07d", 2000 + index), event: event, name: "changed")
        }
        try await device.sendCatalogNotify(changes)
        #expect(await eventually { await sink.changes.count == 1 })
        #expect(await sink.changes.first?.changes.compactMap(\.event) == events)
        #expect(await sink.changes.first?.deviceID == Self.lower)
        try await service.unsubscribe(id)
        #expect(await eventually { await device.subscriptionCount == 0 })
        await device.stop()
        await service.stop()
    }
}

/// Bodies a hostile or broken peer might send.
enum HostileBodies {
    static let billionLaughs = """
        <?xml version="1.0"?>
        <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
        <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
        <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
        <Response><CmdType>Catalog</CmdType><SN>1</SN><DeviceID>&lol3;</DeviceID></Response>
        """

    static func deeplyNested(depth: Int) -> String {
        "<?xml version=\"1.0\"?><Response><CmdType>Catalog</CmdType><SN>1</SN><DeviceID>1</DeviceID>"
            + String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth) + "</Response>"
    }
}
