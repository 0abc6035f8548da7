import Foundation

/// A query with nothing but the envelope: DeviceInfo, DeviceStatus, PresetQuery (spec §3.3).
public struct DeviceQuery: MANSCDPCommand {
    public var root: MANSCDPRoot { .query }
    public var cmdType: MANSCDPCmdType
    public var sn: Int
    public var deviceID: String

    public init(cmdType: MANSCDPCmdType, sn: Int, deviceID: String) {
        self.cmdType = cmdType
        self.sn = sn
        self.deviceID = deviceID
    }

    init(element: MANSCDPElement, cmdType: MANSCDPCmdType) throws(MANSCDPError) {
        let envelope = try MANSCDPEnvelope(element)
        self.init(cmdType: cmdType, sn: envelope.sn, deviceID: envelope.deviceID)
    }

    public func writeContent(to writer: inout MANSCDPWriter) {}
}

/// Catalog query (spec §3.3); also the body of a catalog SUBSCRIBE (spec §4).
/// ⚠️ The optional StartTime/EndTime are parsed and written but nobody is known to need them.
public struct CatalogQuery: MANSCDPCommand {
    public var root: MANSCDPRoot { .query }
    public var cmdType: MANSCDPCmdType { .catalog }
    public var sn: Int
    public var deviceID: String
    public var startTime: GBDateTime?
    public var endTime: GBDateTime?

    public init(sn: Int, deviceID: String, startTime: GBDateTime? = nil, endTime: GBDateTime? = nil) {
        self.sn = sn
        self.deviceID = deviceID
        self.startTime = startTime
        self.endTime = endTime
    }

    init(element: MANSCDPElement) throws(MANSCDPError) {
        let envelope = try MANSCDPEnvelope(element)
        self.init(sn: envelope.sn, deviceID: envelope.deviceID,
                  startTime: element.value("StartTime").flatMap(GBDateTime.init(parsing:)),
                  endTime: element.value("EndTime").flatMap(GBDateTime.init(parsing:)))
    }

    public func writeContent(to writer: inout MANSCDPWriter) {
        writer.element("StartTime", startTime?.description)
        writer.element("EndTime", endTime?.description)
    }
}

/// Record type of RecordInfo queries and items (spec §3.7).
public enum RecordType: Sendable, Equatable, CustomStringConvertible {
    case time, alarm, manual, all
    case other(String)

    public init(_ raw: String) {
        switch raw.lowercased() {
        case "time": self = .time
        case "alarm": self = .alarm
        case "manual": self = .manual
        case "all": self = .all
        default: self = .other(raw)
        }
    }

    public var description: String {
        switch self {
        case .time: return "time"
        case .alarm: return "alarm"
        case .manual: return "manual"
        case .all: return "all"
        case .other(let raw): return raw
        }
    }
}

/// RecordInfo query (spec §3.7). DeviceID is the channel.
public struct RecordInfoQuery: MANSCDPCommand {
    public var root: MANSCDPRoot { .query }
    public var cmdType: MANSCDPCmdType { .recordInfo }
    public var sn: Int
    public var deviceID: String
    public var startTime: GBDateTime
    public var endTime: GBDateTime
    public var filePath: String?
    public var address: String?
    public var secrecy: Int?
    /// 🔧 Dahua NVRs require `<Type>all</Type>` to be present ([W]), hence the default.
    public var type: RecordType?
    public var recorderID: String?
    /// 0 exact, 1 fuzzy.
    public var indistinctQuery: Int?

    public init(sn: Int, deviceID: String, startTime: GBDateTime, endTime: GBDateTime, filePath: String? = nil,
                address: String? = nil, secrecy: Int? = 0, type: RecordType? = .all, recorderID: String? = nil,
                indistinctQuery: Int? = nil) {
        self.sn = sn
        self.deviceID = deviceID
        self.startTime = startTime
        self.endTime = endTime
        self.filePath = filePath
        self.address = address
        self.secrecy = secrecy
        self.type = type
        self.recorderID = recorderID
        self.indistinctQuery = indistinctQuery
    }

    init(element: MANSCDPElement) throws(MANSCDPError) {
        let envelope = try MANSCDPEnvelope(element)
        self.init(sn: envelope.sn, deviceID: envelope.deviceID,
                  startTime: try Self.time("StartTime", in: element), endTime: try Self.time("EndTime", in: element),
                  filePath: element.value("FilePath"), address: element.value("Address"),
                  secrecy: element.int("Secrecy"), type: element.value("Type").map(RecordType.init),
                  recorderID: element.value("RecorderID"), indistinctQuery: element.int("IndistinctQuery"))
    }

    static func time(_ name: String, in element: MANSCDPElement) throws(MANSCDPError) -> GBDateTime {
        guard let raw = element.value(name) else { throw .missingElement(name, in: element.name) }
        guard let time = GBDateTime(parsing: raw) else {
            throw .invalidValue(element: name, value: raw, expected: "yyyy-MM-ddTHH:mm:ss")
        }
        return time
    }

    public func writeContent(to writer: inout MANSCDPWriter) {
        writer.element("StartTime", startTime.description)
        writer.element("EndTime", endTime.description)
        writer.element("FilePath", filePath)
        writer.element("Address", address)
        writer.element("Secrecy", secrecy)
        writer.element("Type", type?.description)
        writer.element("RecorderID", recorderID)
        writer.element("IndistinctQuery", indistinctQuery)
    }
}

/// ConfigDownload query (spec §3.3). Several types may be joined with `/` ⚠️.
public struct ConfigDownloadQuery: MANSCDPCommand {
    public var root: MANSCDPRoot { .query }
    public var cmdType: MANSCDPCmdType { .configDownload }
    public var sn: Int
    public var deviceID: String
    /// `BasicParam`, `VideoParamOpt`, `SVACEncodeConfig`, `SVACDecodeConfig`, ...
    public var configTypes: [String]

    public init(sn: Int, deviceID: String, configTypes: [String] = ["BasicParam"]) {
        self.sn = sn
        self.deviceID = deviceID
        self.configTypes = configTypes
    }

    init(element: MANSCDPElement) throws(MANSCDPError) {
        let envelope = try MANSCDPEnvelope(element)
        let types = (element.value("ConfigType") ?? "").split(separator: "/")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        self.init(sn: envelope.sn, deviceID: envelope.deviceID, configTypes: types)
    }

    public func writeContent(to writer: inout MANSCDPWriter) {
        writer.element("ConfigType", configTypes.isEmpty ? nil : configTypes.joined(separator: "/"))
    }
}

/// MobilePosition query, also the body of a MobilePosition SUBSCRIBE (spec §3.3, §4).
public struct MobilePositionQuery: MANSCDPCommand {
    public var root: MANSCDPRoot { .query }
    public var cmdType: MANSCDPCmdType { .mobilePosition }
    public var sn: Int
    public var deviceID: String
    /// Report period in seconds.
    public var interval: Int?

    public init(sn: Int, deviceID: String, interval: Int? = nil) {
        self.sn = sn
        self.deviceID = deviceID
        self.interval = interval
    }

    init(element: MANSCDPElement) throws(MANSCDPError) {
        let envelope = try MANSCDPEnvelope(element)
        self.init(sn: envelope.sn, deviceID: envelope.deviceID, interval: element.int("Interval"))
    }

    public func writeContent(to writer: inout MANSCDPWriter) {
        writer.element("Interval", interval)
    }
}

/// Alarm query, also the body of an alarm SUBSCRIBE (spec §3.3). Priorities 0 = all, 1..4 = level.
public struct AlarmQuery: MANSCDPCommand {
    public var root: MANSCDPRoot { .query }
    public var cmdType: MANSCDPCmdType { .alarm }
    public var sn: Int
    public var deviceID: String
    public var startAlarmPriority: Int?
    public var endAlarmPriority: Int?
    public var alarmMethod: String?
    public var alarmType: String?
    public var startAlarmTime: GBDateTime?
    public var endAlarmTime: GBDateTime?

    public init(sn: Int, deviceID: String, startAlarmPriority: Int? = nil, endAlarmPriority: Int? = nil,
                alarmMethod: String? = nil, alarmType: String? = nil, startAlarmTime: GBDateTime? = nil,
                endAlarmTime: GBDateTime? = nil) {
        self.sn = sn
        self.deviceID = deviceID
        self.startAlarmPriority = startAlarmPriority
        self.endAlarmPriority = endAlarmPriority
        self.alarmMethod = alarmMethod
        self.alarmType = alarmType
        self.startAlarmTime = startAlarmTime
        self.endAlarmTime = endAlarmTime
    }

    init(element: MANSCDPElement) throws(MANSCDPError) {
        let envelope = try MANSCDPEnvelope(element)
        self.init(sn: envelope.sn, deviceID: envelope.deviceID,
                  startAlarmPriority: element.int("StartAlarmPriority"), endAlarmPriority: element.int("EndAlarmPriority"),
                  alarmMethod: element.value("AlarmMethod"), alarmType: element.value("AlarmType"),
                  startAlarmTime: element.value("StartAlarmTime").flatMap(GBDateTime.init(parsing:)),
                  endAlarmTime: element.value("EndAlarmTime").flatMap(GBDateTime.init(parsing:)))
    }

    public func writeContent(to writer: inout MANSCDPWriter) {
        writer.element("StartAlarmPriority", startAlarmPriority)
        writer.element("EndAlarmPriority", endAlarmPriority)
        writer.element("AlarmMethod", alarmMethod)
        writer.element("AlarmType", alarmType)
        writer.element("StartAlarmTime", startAlarmTime?.description)
        writer.element("EndAlarmTime", endAlarmTime?.description)
    }
}
