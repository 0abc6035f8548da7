/// What a catalog DeviceID denotes, from its length and type digits (spec §1.1).
///
/// A local reading of the 20-digit code, enough for catalog trees; GBCore's `DeviceCode` will be the full
/// model and this should delegate to it once that lands.
public enum CatalogNodeKind: Sendable, Equatable {
    /// 2/4/6/8-digit administrative division (province, city, county, base unit).
    case region
    /// Type 111-130: DVR, NVR, encoder, HVR... registers and owns channels.
    case device
    /// Type 131-199: camera, IPC, alarm input/output, voice, mobile device (channels).
    case channel
    /// Type 200: a platform's SIP signalling server, the "system" node of a catalog.
    case system
    /// Type 215: business group, root of the business tree.
    case businessGroup
    /// Type 216: virtual organisation, nestable under 215/216.
    case virtualOrganization
    /// Any other 20-digit type, or an ID of unusual shape.
    case other

    public init(deviceID: String) {
        let utf8 = deviceID.utf8
        guard utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { self = .other; return }
        switch utf8.count {
        case 2, 4, 6, 8:
            self = .region
        case 20:
            let digits = Array(utf8)
            let type = digits[10...12].reduce(0) { $0 * 10 + Int($1 - 0x30) }
            switch type {
            case 111...130: self = .device
            case 131...199: self = .channel
            case 200: self = .system
            case 215: self = .businessGroup
            case 216: self = .virtualOrganization
            default: self = .other
            }
        default:
            self = .other
        }
    }

    /// Catalog-tree nodes that never carry streams.
    public var isOrganisational: Bool {
        switch self {
        case .region, .system, .businessGroup, .virtualOrganization: return true
        case .device, .channel, .other: return false
        }
    }
}

/// Change reported for a catalog item in a catalog NOTIFY (spec §4). ADD/UPDATE carry the full item,
/// the others only DeviceID + Event ([W]).
public enum CatalogEvent: Sendable, Equatable, CustomStringConvertible {
    case add, delete, update, on, off, videoLost, defect
    case other(String)

    public init(_ raw: String) {
        switch raw.uppercased() {
        case "ADD": self = .add
        case "DEL", "DELETE": self = .delete
        case "UPDATE": self = .update
        case "ON": self = .on
        case "OFF": self = .off
        case "VLOST": self = .videoLost
        case "DEFECT": self = .defect
        default: self = .other(raw)
        }
    }

    public var description: String {
        switch self {
        case .add: return "ADD"
        case .delete: return "DEL"
        case .update: return "UPDATE"
        case .on: return "ON"
        case .off: return "OFF"
        case .videoLost: return "VLOST"
        case .defect: return "DEFECT"
        case .other(let raw): return raw
        }
    }
}
