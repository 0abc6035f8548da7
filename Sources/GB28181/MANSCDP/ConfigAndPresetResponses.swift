/// `BasicParam` of ConfigDownload responses and DeviceConfig controls (spec §3.3, §3.4).
public struct BasicParam: Sendable, Equatable {
    public var name: String?
    /// Registration expiry, seconds.
    public var expiration: Int?
    public var heartBeatInterval: Int?
    public var heartBeatCount: Int?
    /// ⚠️ [W]: 0 none, 1 GPS, 2 BeiDou.
    public var positionCapability: Int?
    public var longitude: Double?
    public var latitude: Double?

    public init(name: String? = nil, expiration: Int? = nil, heartBeatInterval: Int? = nil, heartBeatCount: Int? = nil,
                positionCapability: Int? = nil, longitude: Double? = nil, latitude: Double? = nil) {
        self.name = name
        self.expiration = expiration
        self.heartBeatInterval = heartBeatInterval
        self.heartBeatCount = heartBeatCount
        self.positionCapability = positionCapability
        self.longitude = longitude
        self.latitude = latitude
    }

    init(element: MANSCDPElement) {
        self.init(name: element.value("Name"), expiration: element.int("Expiration"),
                  heartBeatInterval: element.int("HeartBeatInterval"), heartBeatCount: element.int("HeartBeatCount"),
                  positionCapability: element.int("PositionCapability"), longitude: element.double("Longitude"),
                  latitude: element.double("Latitude"))
    }

    func write(to writer: inout MANSCDPWriter) {
        writer.open("BasicParam")
        writer.element("Name", name)
        writer.element("Expiration", expiration)
        writer.element("HeartBeatInterval", heartBeatInterval)
        writer.element("HeartBeatCount", heartBeatCount)
        writer.element("PositionCapability", positionCapability)
        writer.element("Longitude", longitude)
        writer.element("Latitude", latitude)
        writer.close("BasicParam")
    }
}

/// ConfigDownload response (spec §3.3). Config blocks other than BasicParam are kept as elements:
/// 🔧 some Uniview devices name the block differently, and 2022 adds many config types (spec §8.1).
public struct ConfigDownloadResponse: MANSCDPCommand {
    public var root: MANSCDPRoot { .response }
    public var cmdType: MANSCDPCmdType { .configDownload }
    public var sn: Int
    public var deviceID: String
    public var result: MANSCDPResult?
    public var basicParam: BasicParam?
    public var otherConfigs: [MANSCDPElement]

    public init(sn: Int, deviceID: String, result: MANSCDPResult? = .ok, basicParam: BasicParam? = nil,
                otherConfigs: [MANSCDPElement] = []) {
        self.sn = sn
        self.deviceID = deviceID
        self.result = result
        self.basicParam = basicParam
        self.otherConfigs = otherConfigs
    }

    init(element: MANSCDPElement) throws(MANSCDPError) {
        let envelope = try MANSCDPEnvelope(element)
        let envelopeKeys: Set<String> = ["cmdtype", "sn", "deviceid", "result", "basicparam"]
        self.init(sn: envelope.sn, deviceID: envelope.deviceID, result: element.value("Result").map(MANSCDPResult.init),
                  basicParam: element.child("BasicParam").map(BasicParam.init(element:)),
                  otherConfigs: element.children.filter { !envelopeKeys.contains($0.key) })
    }

    public func writeContent(to writer: inout MANSCDPWriter) {
        writer.element("Result", result?.description)
        basicParam?.write(to: &writer)
        for config in otherConfigs { writer.write(config) }
    }
}

/// One preset of a PresetQuery response.
public struct Preset: Sendable, Equatable {
    /// 1..255.
    public var id: Int
    public var name: String?
    public init(id: Int, name: String? = nil) {
        self.id = id
        self.name = name
    }
}

/// PresetQuery response (spec §3.3). 2022 peers may add SumNum for multi-message lists [L] ⚠️.
public struct PresetQueryResponse: MANSCDPCommand {
    public var root: MANSCDPRoot { .response }
    public var cmdType: MANSCDPCmdType { .presetQuery }
    public var sn: Int
    public var deviceID: String
    public var sumNum: Int?
    public var presets: [Preset]

    public init(sn: Int, deviceID: String, sumNum: Int? = nil, presets: [Preset]) {
        self.sn = sn
        self.deviceID = deviceID
        self.sumNum = sumNum
        self.presets = presets
    }

    init(element: MANSCDPElement) throws(MANSCDPError) {
        let envelope = try MANSCDPEnvelope(element)
        let items = element.child("PresetList")?.children(named: "Item") ?? []
        // Items without a numeric PresetID cannot be called; they are skipped rather than failing the list.
        let presets = items.compactMap { item in item.int("PresetID").map { Preset(id: $0, name: item.value("PresetName")) } }
        self.init(sn: envelope.sn, deviceID: envelope.deviceID, sumNum: element.int("SumNum"), presets: presets)
    }

    public func writeContent(to writer: inout MANSCDPWriter) {
        writer.element("SumNum", sumNum)
        writer.open("PresetList", attributes: ["Num": String(presets.count)])
        for preset in presets {
            writer.open("Item")
            writer.element("PresetID", preset.id)
            writer.element("PresetName", preset.name)
            writer.close("Item")
        }
        writer.close("PresetList")
    }
}
