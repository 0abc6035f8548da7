/// Queries (spec §3.2, §3.3).
public enum MANSCDPQuery: Sendable, Equatable {
    case catalog(CatalogQuery)
    case deviceInfo(DeviceQuery)
    case deviceStatus(DeviceQuery)
    case recordInfo(RecordInfoQuery)
    case configDownload(ConfigDownloadQuery)
    case presetQuery(DeviceQuery)
    case mobilePosition(MobilePositionQuery)
    case alarm(AlarmQuery)
    case unknown(UnknownCommand)
}

/// Controls (spec §3.4). DeviceConfig is not typed yet and arrives as `.unknown`.
public enum MANSCDPControl: Sendable, Equatable {
    case deviceControl(DeviceControl)
    case unknown(UnknownCommand)
}

/// Notifications (spec §3.5, §4).
public enum MANSCDPNotify: Sendable, Equatable {
    case keepalive(Keepalive)
    case alarm(AlarmNotify)
    case mobilePosition(MobilePositionNotify)
    case mediaStatus(MediaStatusNotify)
    case catalog(CatalogNotify)
    case unknown(UnknownCommand)
}

/// Responses (spec §3.3-§3.7).
public enum MANSCDPResponse: Sendable, Equatable {
    case catalog(CatalogResponse)
    case deviceInfo(DeviceInfoResponse)
    case deviceStatus(DeviceStatusResponse)
    case recordInfo(RecordInfoResponse)
    case configDownload(ConfigDownloadResponse)
    case presetQuery(PresetQueryResponse)
    /// Result-only answers: DeviceControl, DeviceConfig, Alarm, Broadcast, the SUBSCRIBE 2xx body.
    case result(CommandResult)
    case unknown(UnknownCommand)
}

/// A parsed MANSCDP body. Unknown CmdTypes are values (`.unknown`), never errors.
public enum MANSCDPMessage: Sendable, Equatable {
    case query(MANSCDPQuery)
    case control(MANSCDPControl)
    case notify(MANSCDPNotify)
    case response(MANSCDPResponse)

    /// Types a parsed tree. Throws only when the root is not a MANSCDP root or a known command lacks what it
    /// cannot do without (SN, DeviceID, a valid PTZCmd...).
    public init(element: MANSCDPElement) throws(MANSCDPError) {
        guard let root = MANSCDPRoot(elementName: element.name) else { throw .unknownRoot(element.name) }
        guard let cmdTypeText = element.value("CmdType") else { throw .missingElement("CmdType", in: element.name) }
        let cmdType = MANSCDPCmdType(cmdTypeText)
        let unknown = UnknownCommand(root: root, element: element)
        switch root {
        case .query:
            switch cmdType {
            case .catalog: self = .query(.catalog(try CatalogQuery(element: element)))
            case .deviceInfo: self = .query(.deviceInfo(try DeviceQuery(element: element, cmdType: cmdType)))
            case .deviceStatus: self = .query(.deviceStatus(try DeviceQuery(element: element, cmdType: cmdType)))
            case .presetQuery: self = .query(.presetQuery(try DeviceQuery(element: element, cmdType: cmdType)))
            case .recordInfo: self = .query(.recordInfo(try RecordInfoQuery(element: element)))
            case .configDownload: self = .query(.configDownload(try ConfigDownloadQuery(element: element)))
            case .mobilePosition: self = .query(.mobilePosition(try MobilePositionQuery(element: element)))
            case .alarm: self = .query(.alarm(try AlarmQuery(element: element)))
            default: self = .query(.unknown(unknown))
            }
        case .control:
            switch cmdType {
            case .deviceControl: self = .control(.deviceControl(try DeviceControl(element: element)))
            default: self = .control(.unknown(unknown))
            }
        case .notify:
            switch cmdType {
            case .keepalive: self = .notify(.keepalive(try Keepalive(element: element)))
            case .alarm: self = .notify(.alarm(try AlarmNotify(element: element)))
            case .mobilePosition: self = .notify(.mobilePosition(try MobilePositionNotify(element: element)))
            case .mediaStatus: self = .notify(.mediaStatus(try MediaStatusNotify(element: element)))
            case .catalog: self = .notify(.catalog(try CatalogNotify(element: element)))
            default: self = .notify(.unknown(unknown))
            }
        case .response:
            self = .response(try Self.response(element, cmdType: cmdType, unknown: unknown))
        }
    }

    private static func response(_ element: MANSCDPElement, cmdType: MANSCDPCmdType,
                                 unknown: UnknownCommand) throws(MANSCDPError) -> MANSCDPResponse {
        let hasList = element.child("SumNum") != nil || element.child("DeviceList") != nil
            || element.child("RecordList") != nil
        switch cmdType {
        // The 2xx to a catalog SUBSCRIBE carries a Catalog Response with only Result (spec §4).
        case .catalog where !hasList && element.child("Result") != nil:
            return .result(try CommandResult(element: element, cmdType: cmdType))
        case .catalog: return .catalog(try CatalogResponse(element: element))
        case .deviceInfo: return .deviceInfo(try DeviceInfoResponse(element: element))
        case .deviceStatus: return .deviceStatus(try DeviceStatusResponse(element: element))
        case .recordInfo: return .recordInfo(try RecordInfoResponse(element: element))
        case .configDownload: return .configDownload(try ConfigDownloadResponse(element: element))
        case .presetQuery: return .presetQuery(try PresetQueryResponse(element: element))
        default:
            guard element.child("Result") != nil else { return .unknown(unknown) }
            return .result(try CommandResult(element: element, cmdType: cmdType))
        }
    }

    /// The typed command inside, for building and for generic access to the envelope.
    public var command: (any MANSCDPCommand)? {
        switch self {
        case .query(let query):
            switch query {
            case .catalog(let value): return value
            case .deviceInfo(let value), .deviceStatus(let value), .presetQuery(let value): return value
            case .recordInfo(let value): return value
            case .configDownload(let value): return value
            case .mobilePosition(let value): return value
            case .alarm(let value): return value
            case .unknown: return nil
            }
        case .control(let control):
            if case .deviceControl(let value) = control { return value }
            return nil
        case .notify(let notify):
            switch notify {
            case .keepalive(let value): return value
            case .alarm(let value): return value
            case .mobilePosition(let value): return value
            case .mediaStatus(let value): return value
            case .catalog(let value): return value
            case .unknown: return nil
            }
        case .response(let response):
            switch response {
            case .catalog(let value): return value
            case .deviceInfo(let value): return value
            case .deviceStatus(let value): return value
            case .recordInfo(let value): return value
            case .configDownload(let value): return value
            case .presetQuery(let value): return value
            case .result(let value): return value
            case .unknown: return nil
            }
        }
    }

    /// The unknown command inside, if this message was not typed.
    public var unknownCommand: UnknownCommand? {
        switch self {
        case .query(.unknown(let value)), .control(.unknown(let value)), .notify(.unknown(let value)),
             .response(.unknown(let value)):
            return value
        default:
            return nil
        }
    }

    public var cmdType: MANSCDPCmdType { command?.cmdType ?? unknownCommand?.cmdType ?? .other("") }
    public var sn: Int? { command?.sn ?? unknownCommand?.sn }
    public var deviceID: String? { command?.deviceID ?? unknownCommand?.deviceID }
}
