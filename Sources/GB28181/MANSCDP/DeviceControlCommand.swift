/// `RecordCmd` values.
public enum RecordCommand: Sendable, Equatable, CustomStringConvertible {
    case record, stopRecord
    case other(String)

    public init(_ raw: String) {
        switch raw.lowercased() {
        case "record": self = .record
        case "stoprecord": self = .stopRecord
        default: self = .other(raw)
        }
    }

    public var description: String {
        switch self {
        case .record: return "Record"
        case .stopRecord: return "StopRecord"
        case .other(let raw): return raw
        }
    }
}

/// `GuardCmd` values: arm / disarm.
public enum GuardCommand: Sendable, Equatable, CustomStringConvertible {
    case setGuard, resetGuard
    case other(String)

    public init(_ raw: String) {
        switch raw.lowercased() {
        case "setguard": self = .setGuard
        case "resetguard": self = .resetGuard
        default: self = .other(raw)
        }
    }

    public var description: String {
        switch self {
        case .setGuard: return "SetGuard"
        case .resetGuard: return "ResetGuard"
        case .other(let raw): return raw
        }
    }
}

/// Which element name carries the forced-I-frame command: `IFameCmd` in 2016, `IFrameCmd` in 2022 [L].
public enum IFrameCommandSpelling: Sendable, Equatable {
    case gb2016
    case gb2022
    /// Both elements in one body, as [L] sends; a peer of either edition understands it.
    case both

    var elementNames: [String] {
        switch self {
        case .gb2016: return ["IFameCmd"]
        case .gb2022: return ["IFrameCmd"]
        case .both: return ["IFameCmd", "IFrameCmd"]
        }
    }
}

/// Drag-to-zoom box (spec §3.4): window size and box centre/size in player pixels.
public struct DragZoom: Sendable, Equatable {
    /// true for `DragZoomIn`, false for `DragZoomOut`.
    public var zoomIn: Bool
    public var length: Int
    public var width: Int
    public var midPointX: Int
    public var midPointY: Int
    public var lengthX: Int
    public var lengthY: Int

    public init(zoomIn: Bool, length: Int, width: Int, midPointX: Int, midPointY: Int, lengthX: Int, lengthY: Int) {
        self.zoomIn = zoomIn
        self.length = length
        self.width = width
        self.midPointX = midPointX
        self.midPointY = midPointY
        self.lengthX = lengthX
        self.lengthY = lengthY
    }

    var elementName: String { zoomIn ? "DragZoomIn" : "DragZoomOut" }
}

/// Home position (看守位) setting: return to a preset after `resetTime` seconds idle.
public struct HomePosition: Sendable, Equatable {
    public var enabled: Bool
    public var resetTime: Int?
    /// 0...255.
    public var presetIndex: Int?

    public init(enabled: Bool, resetTime: Int? = nil, presetIndex: Int? = nil) {
        self.enabled = enabled
        self.resetTime = resetTime
        self.presetIndex = presetIndex
    }
}

/// One DeviceControl sub-command (spec §3.4 table).
public enum DeviceControlCommand: Sendable, Equatable {
    /// Channel; no response. `controlPriority` goes in `<Info><ControlPriority>`.
    case ptz(PTZInstruction, controlPriority: Int?)
    /// Device reboots; no response.
    case teleBoot
    /// Response Result. `streamNumber` is 2022 only.
    case record(RecordCommand, streamNumber: Int?)
    /// Response Result.
    case guardCommand(GuardCommand)
    /// `AlarmCmd ResetAlarm`, optional `<Info><AlarmMethod>/<AlarmType>`; response Result.
    case resetAlarm(alarmMethod: String?, alarmType: String?)
    /// Force an IDR frame; no response.
    case iFrame(IFrameCommandSpelling)
    case dragZoom(DragZoom)
    /// Response Result.
    case homePosition(HomePosition)
    /// A sub-command this model does not type (2022 PTZPreciseCtrl, DeviceUpgrade, ...), kept whole.
    case other(MANSCDPElement)

    /// Whether the device answers with a Response Result MESSAGE (2016/2022 §9.3.1, spec §3.4).
    public var expectsResponse: Bool {
        switch self {
        case .record, .guardCommand, .resetAlarm, .homePosition: return true
        case .ptz, .teleBoot, .iFrame, .dragZoom, .other: return false
        }
    }
}
