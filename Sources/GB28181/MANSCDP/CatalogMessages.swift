/// The list part shared by catalog responses and catalog notifies: `SumNum` + `DeviceList Num` + items
/// (spec §3.6 fragmentation; 2016 Appendix N).
public struct CatalogList: Sendable, Equatable {
    /// Total records for the query, as the peer claims it. nil when absent or not a number: never trusted
    /// blindly (spec §0), the assembler decides what to make of it.
    public var sumNum: Int?
    /// The `Num` attribute of DeviceList as received; nil when absent. Written as `items.count`.
    public var declaredNum: Int?
    public var items: [CatalogItem]
    /// Items dropped because they had no DeviceID.
    public var skippedItems: Int

    public init(sumNum: Int?, items: [CatalogItem], declaredNum: Int? = nil, skippedItems: Int = 0) {
        self.sumNum = sumNum
        self.items = items
        self.declaredNum = declaredNum
        self.skippedItems = skippedItems
    }

    init(element: MANSCDPElement) {
        let list = element.child("DeviceList")
        let rawItems = list?.children(named: "Item") ?? []
        let items = rawItems.compactMap(CatalogItem.init(element:))
        self.init(sumNum: element.int("SumNum"), items: items,
                  declaredNum: list?.attribute("Num").flatMap { Int($0) }, skippedItems: rawItems.count - items.count)
    }

    /// No result is `SumNum` 0 and no list at all (spec §3.6).
    func write(to writer: inout MANSCDPWriter) {
        writer.element("SumNum", sumNum ?? items.count)
        guard !items.isEmpty else { return }
        writer.open("DeviceList", attributes: ["Num": String(items.count)])
        for item in items { item.write(to: &writer) }
        writer.close("DeviceList")
    }
}

/// Catalog response, one fragment of the answer to a catalog query (spec §3.6).
public struct CatalogResponse: MANSCDPCommand {
    public var root: MANSCDPRoot { .response }
    public var cmdType: MANSCDPCmdType { .catalog }
    public var sn: Int
    public var deviceID: String
    public var list: CatalogList

    public init(sn: Int, deviceID: String, sumNum: Int?, items: [CatalogItem]) {
        self.init(sn: sn, deviceID: deviceID, list: CatalogList(sumNum: sumNum, items: items))
    }

    public init(sn: Int, deviceID: String, list: CatalogList) {
        self.sn = sn
        self.deviceID = deviceID
        self.list = list
    }

    init(element: MANSCDPElement) throws(MANSCDPError) {
        let envelope = try MANSCDPEnvelope(element)
        self.init(sn: envelope.sn, deviceID: envelope.deviceID, list: CatalogList(element: element))
    }

    public var sumNum: Int? { list.sumNum }
    public var items: [CatalogItem] { list.items }

    public func writeContent(to writer: inout MANSCDPWriter) { list.write(to: &writer) }
}

/// Catalog notify, the NOTIFY body of a catalog subscription (spec §4): items carry `Event`.
public struct CatalogNotify: MANSCDPCommand {
    public var root: MANSCDPRoot { .notify }
    public var cmdType: MANSCDPCmdType { .catalog }
    public var sn: Int
    public var deviceID: String
    public var list: CatalogList

    public init(sn: Int, deviceID: String, sumNum: Int?, items: [CatalogItem]) {
        self.init(sn: sn, deviceID: deviceID, list: CatalogList(sumNum: sumNum, items: items))
    }

    public init(sn: Int, deviceID: String, list: CatalogList) {
        self.sn = sn
        self.deviceID = deviceID
        self.list = list
    }

    init(element: MANSCDPElement) throws(MANSCDPError) {
        let envelope = try MANSCDPEnvelope(element)
        self.init(sn: envelope.sn, deviceID: envelope.deviceID, list: CatalogList(element: element))
    }

    public var items: [CatalogItem] { list.items }

    public func writeContent(to writer: inout MANSCDPWriter) { list.write(to: &writer) }
}
