/// `Result` of a response: `OK` or `ERROR` (spec §3.3); anything else is kept.
public enum MANSCDPResult: Sendable, Equatable, CustomStringConvertible {
    case ok
    case error
    case other(String)

    public init(_ raw: String) {
        switch raw.uppercased() {
        case "OK": self = .ok
        case "ERROR": self = .error
        default: self = .other(raw)
        }
    }

    public var description: String {
        switch self {
        case .ok: return "OK"
        case .error: return "ERROR"
        case .other(let raw): return raw
        }
    }
}

/// Online state of a catalog item (`Status`, spec §3.6). 🔧 Besides `ON`/`OFF`, devices send `OK`, `ONLINE`,
/// `OFFLINE` (spec §10.1 item 6); [G] treats `OK`/`ON` as online.
public enum ChannelStatus: Sendable, Equatable, CustomStringConvertible {
    case on
    case off
    case other(String)

    public init(_ raw: String) {
        switch raw.uppercased() {
        case "ON", "OK", "ONLINE", "1", "TRUE": self = .on
        case "OFF", "OFFLINE", "0", "FALSE": self = .off
        default: self = .other(raw)
        }
    }

    /// Always written `ON`/`OFF`, the 2016 values.
    public var description: String {
        switch self {
        case .on: return "ON"
        case .off: return "OFF"
        case .other(let raw): return raw
        }
    }

    public var isOnline: Bool { self == .on }
}

/// Values that are `ON`/`OFF` in the standard (`Encode`, `Record`) or `ONLINE`/`OFFLINE` (`Online`); parsed
/// leniently into a Bool.
enum SwitchValue {
    static func parse(_ raw: String?) -> Bool? {
        guard let raw else { return nil }
        switch ChannelStatus(raw) {
        case .on: return true
        case .off: return false
        case .other: return nil
        }
    }
}
