/// A response that only reports a Result: DeviceControl, DeviceConfig, Alarm acknowledgement, Broadcast,
/// and the body of a 2xx to SUBSCRIBE (spec §3.4, §3.5, §4).
public struct CommandResult: MANSCDPCommand {
    public var root: MANSCDPRoot { .response }
    public var cmdType: MANSCDPCmdType
    public var sn: Int
    public var deviceID: String
    public var result: MANSCDPResult
    /// Reason given with `ERROR` (some devices add it).
    public var reason: String?

    public init(cmdType: MANSCDPCmdType, sn: Int, deviceID: String, result: MANSCDPResult = .ok, reason: String? = nil) {
        self.cmdType = cmdType
        self.sn = sn
        self.deviceID = deviceID
        self.result = result
        self.reason = reason
    }

    init(element: MANSCDPElement, cmdType: MANSCDPCmdType) throws(MANSCDPError) {
        let envelope = try MANSCDPEnvelope(element)
        guard let result = element.value("Result") else { throw .missingElement("Result", in: element.name) }
        self.init(cmdType: cmdType, sn: envelope.sn, deviceID: envelope.deviceID,
                  result: MANSCDPResult(result), reason: element.value("Reason"))
    }

    public func writeContent(to writer: inout MANSCDPWriter) {
        writer.element("Result", result.description)
        writer.element("Reason", reason)
    }
}

/// DeviceInfo response (spec §3.3). A lower platform answers with its own name and product data (spec §7).
public struct DeviceInfoResponse: MANSCDPCommand {
    public var root: MANSCDPRoot { .response }
    public var cmdType: MANSCDPCmdType { .deviceInfo }
    public var sn: Int
    public var deviceID: String
    public var deviceName: String?
    public var result: MANSCDPResult?
    public var manufacturer: String?
    public var model: String?
    public var firmware: String?
    /// Number of channels.
    public var channel: Int?

    public init(sn: Int, deviceID: String, deviceName: String? = nil, result: MANSCDPResult? = .ok,
                manufacturer: String? = nil, model: String? = nil, firmware: String? = nil, channel: Int? = nil) {
        self.sn = sn
        self.deviceID = deviceID
        self.deviceName = deviceName
        self.result = result
        self.manufacturer = manufacturer
        self.model = model
        self.firmware = firmware
        self.channel = channel
    }

    init(element: MANSCDPElement) throws(MANSCDPError) {
        let envelope = try MANSCDPEnvelope(element)
        self.init(sn: envelope.sn, deviceID: envelope.deviceID, deviceName: element.value("DeviceName"),
                  result: element.value("Result").map(MANSCDPResult.init), manufacturer: element.value("Manufacturer"),
                  model: element.value("Model"), firmware: element.value("Firmware"), channel: element.int("Channel"))
    }

    public func writeContent(to writer: inout MANSCDPWriter) {
        writer.element("DeviceName", deviceName)
        writer.element("Result", result?.description)
        writer.element("Manufacturer", manufacturer)
        writer.element("Model", model)
        writer.element("Firmware", firmware)
        writer.element("Channel", channel)
    }
}

/// Duty state of an alarm input in a DeviceStatus response.
public enum DutyStatus: Sendable, Equatable, CustomStringConvertible {
    case onDuty, offDuty, alarm
    case other(String)

    public init(_ raw: String) {
        switch raw.uppercased() {
        case "ONDUTY": self = .onDuty
        case "OFFDUTY": self = .offDuty
        case "ALARM": self = .alarm
        default: self = .other(raw)
        }
    }

    public var description: String {
        switch self {
        case .onDuty: return "ONDUTY"
        case .offDuty: return "OFFDUTY"
        case .alarm: return "ALARM"
        case .other(let raw): return raw
        }
    }
}

/// DeviceStatus response (spec §3.3).
public struct DeviceStatusResponse: MANSCDPCommand {
    public struct AlarmInputStatus: Sendable, Equatable {
        public var deviceID: String
        public var dutyStatus: DutyStatus
        public init(deviceID: String, dutyStatus: DutyStatus) {
            self.deviceID = deviceID
            self.dutyStatus = dutyStatus
        }
    }

    public var root: MANSCDPRoot { .response }
    public var cmdType: MANSCDPCmdType { .deviceStatus }
    public var sn: Int
    public var deviceID: String
    public var result: MANSCDPResult?
    /// `ONLINE`/`OFFLINE`.
    public var online: Bool?
    /// `OK`/`ERROR`, with `reason` when ERROR.
    public var status: MANSCDPResult?
    public var reason: String?
    /// `ON`/`OFF`.
    public var encode: Bool?
    public var record: Bool?
    public var deviceTime: GBDateTime?
    public var alarmStatus: [AlarmInputStatus]

    public init(sn: Int, deviceID: String, result: MANSCDPResult? = .ok, online: Bool? = nil, status: MANSCDPResult? = nil,
                reason: String? = nil, encode: Bool? = nil, record: Bool? = nil, deviceTime: GBDateTime? = nil,
                alarmStatus: [AlarmInputStatus] = []) {
        self.sn = sn
        self.deviceID = deviceID
        self.result = result
        self.online = online
        self.status = status
        self.reason = reason
        self.encode = encode
        self.record = record
        self.deviceTime = deviceTime
        self.alarmStatus = alarmStatus
    }

    init(element: MANSCDPElement) throws(MANSCDPError) {
        let envelope = try MANSCDPEnvelope(element)
        // Spelled `Alarmstatus` (lower-case s) in the standard [L]; the lookup ignores case anyway.
        let alarms = (element.child("Alarmstatus")?.children(named: "Item") ?? []).compactMap { item -> AlarmInputStatus? in
            guard let id = item.value("DeviceID") else { return nil }
            return AlarmInputStatus(deviceID: id, dutyStatus: DutyStatus(item.value("DutyStatus") ?? ""))
        }
        self.init(sn: envelope.sn, deviceID: envelope.deviceID, result: element.value("Result").map(MANSCDPResult.init),
                  online: SwitchValue.parse(element.value("Online")), status: element.value("Status").map(MANSCDPResult.init),
                  reason: element.value("Reason"), encode: SwitchValue.parse(element.value("Encode")),
                  record: SwitchValue.parse(element.value("Record")),
                  deviceTime: element.value("DeviceTime").flatMap(GBDateTime.init(parsing:)), alarmStatus: alarms)
    }

    public func writeContent(to writer: inout MANSCDPWriter) {
        writer.element("Result", result?.description)
        writer.element("Online", online.map { $0 ? "ONLINE" : "OFFLINE" })
        writer.element("Status", status?.description)
        writer.element("Reason", reason)
        writer.element("Encode", encode.map { $0 ? "ON" : "OFF" })
        writer.element("Record", record.map { $0 ? "ON" : "OFF" })
        writer.element("DeviceTime", deviceTime?.description)
        guard !alarmStatus.isEmpty else { return }
        writer.open("Alarmstatus", attributes: ["Num": String(alarmStatus.count)])
        for alarm in alarmStatus {
            writer.open("Item")
            writer.element("DeviceID", alarm.deviceID)
            writer.element("DutyStatus", alarm.dutyStatus.description)
            writer.close("Item")
        }
        writer.close("Alarmstatus")
    }
}
