/// One recording of a RecordInfo response (spec §3.7).
public struct RecordItem: Sendable, Equatable {
    public var deviceID: String?
    public var name: String?
    public var filePath: String?
    public var address: String?
    public var startTime: GBDateTime?
    public var endTime: GBDateTime?
    public var secrecy: Int?
    public var type: RecordType?
    public var recorderID: String?
    /// Bytes.
    public var fileSize: Int64?
    /// 2022 `RecordLocation`, `StreamNumber` and anything else, kept in arrival order.
    public var extraFields: [MANSCDPElement]

    public init(deviceID: String? = nil, name: String? = nil, filePath: String? = nil, address: String? = nil,
                startTime: GBDateTime? = nil, endTime: GBDateTime? = nil, secrecy: Int? = nil, type: RecordType? = nil,
                recorderID: String? = nil, fileSize: Int64? = nil, extraFields: [MANSCDPElement] = []) {
        self.deviceID = deviceID
        self.name = name
        self.filePath = filePath
        self.address = address
        self.startTime = startTime
        self.endTime = endTime
        self.secrecy = secrecy
        self.type = type
        self.recorderID = recorderID
        self.fileSize = fileSize
        self.extraFields = extraFields
    }

    init(element: MANSCDPElement) {
        self.init()
        for field in element.children {
            let value: String? = field.text.isEmpty ? nil : field.text
            switch field.key {
            case "deviceid": deviceID = value
            case "name": name = value
            case "filepath": filePath = value
            case "address": address = value
            case "starttime": startTime = value.flatMap(GBDateTime.init(parsing:))
            case "endtime": endTime = value.flatMap(GBDateTime.init(parsing:))
            case "secrecy": secrecy = value.flatMap { Int($0) }
            case "type": type = value.map(RecordType.init)
            case "recorderid": recorderID = value
            case "filesize": fileSize = value.flatMap { Int64($0) }
            default: extraFields.append(field)
            }
        }
    }

    func write(to writer: inout MANSCDPWriter) {
        writer.open("Item")
        writer.element("DeviceID", deviceID)
        writer.element("Name", name)
        writer.element("FilePath", filePath)
        writer.element("Address", address)
        writer.element("StartTime", startTime?.description)
        writer.element("EndTime", endTime?.description)
        writer.element("Secrecy", secrecy)
        writer.element("Type", type?.description)
        writer.element("RecorderID", recorderID)
        writer.element("FileSize", fileSize.map { String($0) })
        for field in extraFields { writer.write(field) }
        writer.close("Item")
    }
}

/// RecordInfo response, one fragment (spec §3.7): fragmented exactly like Catalog.
public struct RecordInfoResponse: MANSCDPCommand {
    public var root: MANSCDPRoot { .response }
    public var cmdType: MANSCDPCmdType { .recordInfo }
    public var sn: Int
    public var deviceID: String
    public var name: String?
    public var sumNum: Int?
    public var declaredNum: Int?
    public var items: [RecordItem]

    public init(sn: Int, deviceID: String, name: String? = nil, sumNum: Int?, items: [RecordItem], declaredNum: Int? = nil) {
        self.sn = sn
        self.deviceID = deviceID
        self.name = name
        self.sumNum = sumNum
        self.items = items
        self.declaredNum = declaredNum
    }

    init(element: MANSCDPElement) throws(MANSCDPError) {
        let envelope = try MANSCDPEnvelope(element)
        let list = element.child("RecordList")
        self.init(sn: envelope.sn, deviceID: envelope.deviceID, name: element.value("Name"), sumNum: element.int("SumNum"),
                  items: (list?.children(named: "Item") ?? []).map(RecordItem.init(element:)),
                  declaredNum: list?.attribute("Num").flatMap { Int($0) })
    }

    public func writeContent(to writer: inout MANSCDPWriter) {
        writer.element("Name", name)
        writer.element("SumNum", sumNum ?? items.count)
        guard !items.isEmpty else { return }
        writer.open("RecordList", attributes: ["Num": String(items.count)])
        for item in items { item.write(to: &writer) }
        writer.close("RecordList")
    }
}
