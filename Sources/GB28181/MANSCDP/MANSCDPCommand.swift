/// The four MANSCDP root elements (spec §3.1).
public enum MANSCDPRoot: String, Sendable, Equatable, CaseIterable {
    case query = "Query"
    case control = "Control"
    case notify = "Notify"
    case response = "Response"

    /// Case-insensitive: `<response>` is accepted.
    public init?(elementName: String) {
        let key = elementName.lowercased()
        guard let root = Self.allCases.first(where: { $0.rawValue.lowercased() == key }) else { return nil }
        self = root
    }
}

/// A CmdType value. Unknown values are kept, not rejected: a 2022 peer may send commands a 2016 model
/// does not know (spec §8.2), and the platform must answer them sensibly rather than drop them.
public enum MANSCDPCmdType: Sendable, Hashable, CustomStringConvertible {
    case catalog, deviceInfo, deviceStatus, recordInfo, alarm, configDownload, presetQuery, mobilePosition
    case deviceControl, deviceConfig, keepalive, mediaStatus, broadcast
    case other(String)

    private static let known: [MANSCDPCmdType] = [
        .catalog, .deviceInfo, .deviceStatus, .recordInfo, .alarm, .configDownload, .presetQuery,
        .mobilePosition, .deviceControl, .deviceConfig, .keepalive, .mediaStatus, .broadcast,
    ]

    public init(_ raw: String) {
        let key = raw.lowercased()
        self = Self.known.first { $0.name.lowercased() == key } ?? .other(raw)
    }

    /// The conventional casing, as written on the wire.
    public var name: String {
        switch self {
        case .catalog: return "Catalog"
        case .deviceInfo: return "DeviceInfo"
        case .deviceStatus: return "DeviceStatus"
        case .recordInfo: return "RecordInfo"
        case .alarm: return "Alarm"
        case .configDownload: return "ConfigDownload"
        case .presetQuery: return "PresetQuery"
        case .mobilePosition: return "MobilePosition"
        case .deviceControl: return "DeviceControl"
        case .deviceConfig: return "DeviceConfig"
        case .keepalive: return "Keepalive"
        case .mediaStatus: return "MediaStatus"
        case .broadcast: return "Broadcast"
        case .other(let raw): return raw
        }
    }

    public var description: String { name }
}

/// A typed MANSCDP body: it knows its envelope and writes its own elements.
public protocol MANSCDPCommand: Sendable, Equatable {
    var root: MANSCDPRoot { get }
    var cmdType: MANSCDPCmdType { get }
    /// Chosen by the requester; every Response carries the query's SN (spec §3.1).
    var sn: Int { get }
    /// Target of a request, subject of a response or notify.
    var deviceID: String { get }
    /// Writes the elements that follow CmdType/SN/DeviceID.
    func writeContent(to writer: inout MANSCDPWriter)
}

extension MANSCDPCommand {
    /// The body text with the declaration of `charset`, CRLF line endings.
    public func xml(charset: OutgoingCharset = .gb2312) -> String {
        var writer = MANSCDPWriter(root: root, cmdType: cmdType, sn: sn, deviceID: deviceID)
        writeContent(to: &writer)
        return writer.text(charset: charset)
    }

    /// The body bytes for a peer whose charset setting is `charset` (spec §1.5 send strategy).
    public func encoded(charset: OutgoingCharset = .gb2312) throws(MANSCDPError) -> [UInt8] {
        try charset.encode(xml(charset: charset))
    }
}

/// The envelope every typed parser starts from.
struct MANSCDPEnvelope {
    var sn: Int
    var deviceID: String

    /// Reads SN and DeviceID; both are required for typed messages (correlation by peer, CmdType and SN).
    init(_ element: MANSCDPElement) throws(MANSCDPError) {
        guard let snText = element.value("SN") else { throw .missingElement("SN", in: element.name) }
        guard let sn = Int(snText), sn >= 0 else {
            throw .invalidValue(element: "SN", value: snText, expected: "a non-negative integer")
        }
        guard let deviceID = element.value("DeviceID") else { throw .missingElement("DeviceID", in: element.name) }
        self.sn = sn
        self.deviceID = deviceID
    }
}

/// A body whose root or CmdType this model does not type. Kept whole so the platform can answer it
/// (for example with 415 or a generic Result) or forward it.
public struct UnknownCommand: Sendable, Equatable {
    public var root: MANSCDPRoot
    public var cmdType: MANSCDPCmdType
    public var sn: Int?
    public var deviceID: String?
    public var element: MANSCDPElement

    public init(root: MANSCDPRoot, element: MANSCDPElement) {
        self.root = root
        self.cmdType = MANSCDPCmdType(element.value("CmdType") ?? "")
        self.sn = element.int("SN")
        self.deviceID = element.value("DeviceID")
        self.element = element
    }
}
