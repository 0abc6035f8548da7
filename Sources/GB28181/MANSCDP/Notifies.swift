/// Keepalive (状态信息报送, spec §2.4).
public struct Keepalive: MANSCDPCommand {
    public var root: MANSCDPRoot { .notify }
    public var cmdType: MANSCDPCmdType { .keepalive }
    public var sn: Int
    public var deviceID: String
    public var status: MANSCDPResult?
    /// ⚠️ `<Info><DeviceID>..</DeviceID>...</Info>`: sub-devices reported faulty.
    public var faultyDeviceIDs: [String]

    public init(sn: Int, deviceID: String, status: MANSCDPResult? = .ok, faultyDeviceIDs: [String] = []) {
        self.sn = sn
        self.deviceID = deviceID
        self.status = status
        self.faultyDeviceIDs = faultyDeviceIDs
    }

    init(element: MANSCDPElement) throws(MANSCDPError) {
        let envelope = try MANSCDPEnvelope(element)
        let faulty = (element.child("Info")?.children(named: "DeviceID") ?? []).map(\.text).filter { !$0.isEmpty }
        self.init(sn: envelope.sn, deviceID: envelope.deviceID, status: element.value("Status").map(MANSCDPResult.init),
                  faultyDeviceIDs: faulty)
    }

    public func writeContent(to writer: inout MANSCDPWriter) {
        writer.element("Status", status?.description)
        guard !faultyDeviceIDs.isEmpty else { return }
        writer.open("Info")
        for id in faultyDeviceIDs { writer.element("DeviceID", id) }
        writer.close("Info")
    }
}

/// Alarm notification, device → platform (spec §3.5). Answer with `CommandResult(cmdType: .alarm, ...)`.
public struct AlarmNotify: MANSCDPCommand {
    public var root: MANSCDPRoot { .notify }
    public var cmdType: MANSCDPCmdType { .alarm }
    public var sn: Int
    /// The alarm source (a 134 alarm input or the camera channel).
    public var deviceID: String
    /// 1..4, level 1 most urgent.
    public var alarmPriority: Int?
    /// 1 telephone, 2 device, 3 SMS, 4 GPS, 5 video, 6 device fault, 7 other; combinations like `12` appear.
    public var alarmMethod: String?
    public var alarmTime: GBDateTime?
    public var alarmDescription: String?
    public var longitude: Double?
    public var latitude: Double?
    /// `Info/AlarmType`, meaning depends on the method (spec §3.5).
    public var alarmType: String?
    /// ⚠️ `Info/AlarmTypeParam/EventType` for intrusion: 1 enter, 2 leave.
    public var eventType: Int?

    public init(sn: Int, deviceID: String, alarmPriority: Int? = nil, alarmMethod: String? = nil,
                alarmTime: GBDateTime? = nil, alarmDescription: String? = nil, longitude: Double? = nil,
                latitude: Double? = nil, alarmType: String? = nil, eventType: Int? = nil) {
        self.sn = sn
        self.deviceID = deviceID
        self.alarmPriority = alarmPriority
        self.alarmMethod = alarmMethod
        self.alarmTime = alarmTime
        self.alarmDescription = alarmDescription
        self.longitude = longitude
        self.latitude = latitude
        self.alarmType = alarmType
        self.eventType = eventType
    }

    init(element: MANSCDPElement) throws(MANSCDPError) {
        let envelope = try MANSCDPEnvelope(element)
        // 🔧 [W] writes `<info>` in forwarded alarms: the lookup ignores case.
        let info = element.child("Info")
        self.init(sn: envelope.sn, deviceID: envelope.deviceID, alarmPriority: element.int("AlarmPriority"),
                  alarmMethod: element.value("AlarmMethod"),
                  alarmTime: element.value("AlarmTime").flatMap(GBDateTime.init(parsing:)),
                  alarmDescription: element.value("AlarmDescription"), longitude: element.double("Longitude"),
                  latitude: element.double("Latitude"), alarmType: info?.value("AlarmType") ?? element.value("AlarmType"),
                  eventType: info?.child("AlarmTypeParam")?.int("EventType"))
    }

    public func writeContent(to writer: inout MANSCDPWriter) {
        writer.element("AlarmPriority", alarmPriority)
        writer.element("AlarmMethod", alarmMethod)
        writer.element("AlarmTime", alarmTime?.description)
        writer.element("AlarmDescription", alarmDescription)
        writer.element("Longitude", longitude)
        writer.element("Latitude", latitude)
        guard alarmType != nil || eventType != nil else { return }
        writer.open("Info")
        writer.element("AlarmType", alarmType)
        if let eventType {
            writer.open("AlarmTypeParam")
            writer.element("EventType", eventType)
            writer.close("AlarmTypeParam")
        }
        writer.close("Info")
    }
}

/// MediaStatus (spec §3.5): `121` = historical media file transfer ended. Match the session by Call-ID first
/// (🔧 Hikvision puts another ID in From).
public struct MediaStatusNotify: MANSCDPCommand {
    public static let fileTransferEnded = "121"

    public var root: MANSCDPRoot { .notify }
    public var cmdType: MANSCDPCmdType { .mediaStatus }
    public var sn: Int
    public var deviceID: String
    public var notifyType: String?

    public init(sn: Int, deviceID: String, notifyType: String? = MediaStatusNotify.fileTransferEnded) {
        self.sn = sn
        self.deviceID = deviceID
        self.notifyType = notifyType
    }

    init(element: MANSCDPElement) throws(MANSCDPError) {
        let envelope = try MANSCDPEnvelope(element)
        self.init(sn: envelope.sn, deviceID: envelope.deviceID, notifyType: element.value("NotifyType"))
    }

    public var isFileTransferEnded: Bool { notifyType == Self.fileTransferEnded }

    public func writeContent(to writer: inout MANSCDPWriter) {
        writer.element("NotifyType", notifyType)
    }
}
