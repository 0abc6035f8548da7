import Testing
@testable import GB28181

/// Spec §3.6 "Building the trees" and §7 paging.
struct CatalogTreeTests {
    let platform = "34020000002000000002"
    let group = "34020000002150000001"
    let districtA = "34020000002160000001"
    let station1 = "34020000002160000002"
    let gate = "34020000001310000001"

    /// The lower-platform fragment of spec §3.6.
    var specFragment: [CatalogItem] {
        [
            CatalogItem(deviceID: platform, name: "Lower platform", civilCode: "34020000"),
            CatalogItem(deviceID: "3402", name: "City"),
            CatalogItem(deviceID: group, name: "Public security", civilCode: "34020000", parentID: platform),
            CatalogItem(deviceID: districtA, name: "District A", parentID: group, businessGroupID: group),
            CatalogItem(deviceID: station1, name: "Station 1", parentID: districtA, businessGroupID: group),
            CatalogItem(deviceID: gate, name: "Gate", civilCode: "34020000", parental: 0, parentID: station1,
                        businessGroupID: group, status: .on, info: CatalogItemInfo(ptzType: 3)),
        ]
    }

    @Test func businessTreeOfTheSpecFragment() {
        let trees = CatalogTrees(items: specFragment)
        #expect(trees.business.roots == [platform])
        #expect(trees.business.path(to: gate) == [platform, group, districtA, station1, gate])
        #expect(trees.business.children(of: group) == [districtA])
        #expect(trees.business.orphans.isEmpty)
        #expect(trees.business.parent(of: "3402") == nil)
    }

    @Test func regionTreeOfTheSpecFragment() {
        let trees = CatalogTrees(items: specFragment)
        #expect(trees.region.roots == ["3402"])
        #expect(trees.region.children(of: "3402") == [gate])
        #expect(trees.region.parent(of: platform) == nil)
        #expect(trees.region.orphans.isEmpty)
    }

    @Test("2/4/6/8-digit regions nest by prefix, skipping a missing level")
    func regionPrefixes() {
        let items = [
            CatalogItem(deviceID: "34"), CatalogItem(deviceID: "340201"), CatalogItem(deviceID: "34020101"),
            CatalogItem(deviceID: "44"),
            CatalogItem(deviceID: gate, civilCode: "3402010100"),
            CatalogItem(deviceID: "34020000001310000002", civilCode: "440100"),
            CatalogItem(deviceID: "34020000001310000003", civilCode: "51"),
            CatalogItem(deviceID: "34020000001310000004"),
        ]
        let tree = CatalogTrees(items: items).region
        #expect(tree.roots == ["34", "44", "34020000001310000003", "34020000001310000004"])
        #expect(tree.path(to: gate) == ["34", "340201", "34020101", gate])
        #expect(tree.parent(of: "34020000001310000002") == "44")
        #expect(tree.orphans == [.init(itemID: "34020000001310000003", missingParentID: "51"),
                                 .init(itemID: "34020000001310000004", missingParentID: "")])
    }

    @Test("an NVR's channels point at the NVR, which is not in its own list: roots, not orphans")
    func topIDsAreNotMissingParents() {
        let nvr = "34020000001180000001"
        let items = (1...3).map { CatalogItem(deviceID: "3402000000131000000\($0)", parentID: nvr) }
        let withTop = CatalogTrees(items: items, topIDs: [nvr]).business
        #expect(withTop.roots.count == 3)
        #expect(withTop.orphans.isEmpty)
        let withoutTop = CatalogTrees(items: items).business
        #expect(withoutTop.orphans.map(\.missingParentID) == [nvr, nvr, nvr])
    }

    @Test("216 directly under 215 with no ParentID (2022) or with ParentID = 215 (2016)")
    func virtualOrganisationBothConventions() {
        let items = [
            CatalogItem(deviceID: group),
            CatalogItem(deviceID: districtA, businessGroupID: group),
            CatalogItem(deviceID: station1, parentID: group, businessGroupID: group),
        ]
        let tree = CatalogTrees(items: items).business
        #expect(tree.children(of: group) == [districtA, station1])
    }

    @Test("missing parents are reported and the item kept as a root; a channel falls back to its BusinessGroupID")
    func missingParents() {
        let items = [
            CatalogItem(deviceID: group),
            CatalogItem(deviceID: gate, parentID: "34020000002160000099", businessGroupID: group),
            CatalogItem(deviceID: "34020000001310000002", parentID: "34020000002160000099"),
        ]
        let tree = CatalogTrees(items: items).business
        #expect(tree.parent(of: gate) == group)
        #expect(tree.roots == [group, "34020000001310000002"])
        #expect(tree.orphans == [.init(itemID: "34020000001310000002", missingParentID: "34020000002160000099")])
    }

    @Test("2022 multi-parent: the first present parent is used")
    func multiParent() {
        let items = [CatalogItem(deviceID: station1), CatalogItem(deviceID: gate, parentID: "34020000002160000099/\(station1)")]
        #expect(CatalogTrees(items: items).business.parent(of: gate) == station1)
    }

    @Test("a 215 never sits under a 216; a ParentID loop is cut and reported")
    func invalidShapes() {
        let items = [
            CatalogItem(deviceID: districtA, parentID: station1),
            CatalogItem(deviceID: station1, parentID: districtA),
            CatalogItem(deviceID: group, parentID: districtA),
            CatalogItem(deviceID: gate, parentID: gate),
        ]
        let tree = CatalogTrees(items: items).business
        #expect(tree.parent(of: group) == nil)
        #expect(tree.cycleBreaks.count == 1)
        #expect(tree.roots.contains(gate))
        #expect(tree.path(to: districtA).count <= 2)
    }

    @Test("§7 cascade: N items per message, SumNum consistent, SN copied, empty share is SumNum 0")
    func pager() throws {
        let items = (0..<10).map { CatalogItem(deviceID: "340200000013100000" + String(10 + $0)) }
        let pages = CatalogPager.responses(sn: 99, deviceID: platform, items: items, itemsPerMessage: 4)
        #expect(pages.map(\.items.count) == [4, 4, 2])
        #expect(pages.allSatisfy { $0.sumNum == 10 && $0.sn == 99 && $0.deviceID == platform })
        #expect(pages.flatMap(\.items) == items)
        let xml = pages[2].xml()
        #expect(xml.contains("<SumNum>10</SumNum>\r\n<DeviceList Num=\"2\">"))

        let empty = CatalogPager.responses(sn: 99, deviceID: platform, items: [], itemsPerMessage: 8)
        #expect(empty.count == 1)
        #expect(empty[0].xml().hasSuffix("<SumNum>0</SumNum>\r\n</Response>\r\n"))
        #expect(CatalogPager.responses(sn: 1, deviceID: platform, items: items, itemsPerMessage: 0).count == 10)
        #expect(CatalogPager.notifies(sn: 1, deviceID: platform, items: items, itemsPerMessage: 8).map(\.items.count) == [8, 2])
        let records = CatalogPager.recordResponses(sn: 2, deviceID: gate, name: "Gate", items: [RecordItem(filePath: "a")],
                                                   itemsPerMessage: 8)
        #expect(records.first?.sumNum == 1)
    }

    @Test("paged responses go through the wire and the assembler back to the same catalog and trees")
    func pagerToAssemblerRoundTrip() throws {
        let t0 = ContinuousClock.now
        var assembler = CatalogAssembler(deviceID: platform, sn: 5, startedAt: t0)
        for page in CatalogPager.responses(sn: 5, deviceID: platform, items: specFragment, itemsPerMessage: 2) {
            let wire = try page.encoded(charset: .gb2312)
            guard case .response(.catalog(let parsed)) = try MANSCDPDecoder.decode(wire).message else {
                Issue.record("not a catalog")
                return
            }
            assembler.add(parsed, at: t0)
        }
        #expect(assembler.state(at: t0) == .complete)
        #expect(assembler.items == specFragment)
        #expect(CatalogTrees(items: assembler.items) == CatalogTrees(items: specFragment))
    }
}
