import Testing
@testable import GB28181

/// A city-sized catalog (spec: design for 80 000 cameras) through the whole receive path.
struct LargeCatalogTests {
    static let platform = "34020000002000000002"
    static let group = "34020000002150000001"

    /// 1 system, 4 regions, 1 business group, 100 virtual organisations, and channels up to `total` items.
    static func catalog(total: Int) -> [CatalogItem] {
        func id(type: String, _ n: Int) -> String { "3402000000" + type + String(1_000_000 + n).suffix(7) }
        var items = [
            CatalogItem(deviceID: platform, name: "Lower platform", civilCode: "34020000"),
            CatalogItem(deviceID: "34", name: "省"), CatalogItem(deviceID: "3402", name: "市"),
            CatalogItem(deviceID: "340201", name: "区"), CatalogItem(deviceID: "34020100", name: "所"),
            CatalogItem(deviceID: group, name: "公安", parentID: platform),
        ]
        let organisations = (0..<100).map { id(type: "216", $0) }
        items += organisations.map { CatalogItem(deviceID: $0, name: "派出所", parentID: group, businessGroupID: group) }
        var n = 0
        while items.count < total {
            items.append(CatalogItem(deviceID: id(type: "131", n), name: "摄像机\(n)", civilCode: n.isMultiple(of: 2) ? "34020100" : "340201",
                                     parentID: organisations[n % organisations.count], status: n.isMultiple(of: 7) ? .off : .on))
            n += 1
        }
        return items
    }

    @Test(.timeLimit(.minutes(1)))
    func hundredThousandItemsOverTheWire() throws {
        let items = Self.catalog(total: 100_000)
        let t0 = ContinuousClock.now
        var assembler = CatalogAssembler(deviceID: Self.platform, sn: 17430, startedAt: t0)
        let pages = CatalogPager.responses(sn: 17430, deviceID: Self.platform, items: items, itemsPerMessage: 2_000)
        #expect(pages.count == 50)
        // Deliver out of order with one page repeated (UDP reordering and retransmission).
        let order = Array(pages.indices.reversed()) + [7]
        for index in order {
            let wire = try pages[index].encoded(charset: .gb2312)
            guard case .response(.catalog(let page)) = try MANSCDPDecoder.decode(wire).message else {
                Issue.record("page \(index) did not parse as a catalog")
                return
            }
            assembler.add(page, at: t0)
        }
        #expect(assembler.state(at: t0) == .complete)
        #expect(assembler.items.count == 100_000)
        #expect(assembler.duplicates == 2_000)
        #expect(Set(assembler.items.map(\.deviceID)) == Set(items.map(\.deviceID)))

        let trees = CatalogTrees(items: assembler.items)
        #expect(trees.business.roots == [Self.platform])
        #expect(trees.business.orphans.isEmpty)
        #expect(trees.business.children(of: Self.group).count == 100)
        let camera = items[50_000].deviceID
        #expect(trees.business.path(to: camera).count == 4)
        #expect(trees.region.roots == ["34"])
        #expect(trees.region.orphans.isEmpty)
        #expect(trees.region.children(of: "34020100").count + trees.region.children(of: "340201").count == 100_000 - 106 + 1)
    }
}
