/// One item of a catalog response or notify: every field of 2016 A.2.1 (spec §3.6), plus whatever else the
/// peer sent, kept in `extraFields` so a cascade can forward 2022 fields it does not interpret.
public struct CatalogItem: Sendable, Equatable {
    /// 20 digits for devices, channels, systems, groups; 2/4/6/8 digits for regions.
    public var deviceID: String
    /// Only in catalog NOTIFY bodies.
    public var event: CatalogEvent?
    public var name: String?
    public var manufacturer: String?
    public var model: String?
    public var owner: String?
    /// As received. 🔧 Often the 10-digit SIP domain; see `regionCode` for the usable division code.
    public var civilCode: String?
    public var block: String?
    public var address: String?
    /// 1 = has children.
    public var parental: Int?
    /// Raw ParentID; 2022 allows several joined by `/` (see `parentIDs`).
    public var parentID: String?
    /// Owning 215 group. Read at item level (216 items) or inside `Info` (channels, [W]); both places.
    public var businessGroupID: String?
    public var safetyWay: Int?
    public var registerWay: Int?
    public var certNum: String?
    public var certifiable: Int?
    public var errCode: Int?
    /// Certificate end time (2016 only), kept verbatim.
    public var endTime: String?
    public var secrecy: Int?
    public var ipAddress: String?
    public var port: Int?
    public var password: String?
    public var status: ChannelStatus?
    public var longitude: Double?
    public var latitude: Double?
    public var info: CatalogItemInfo?
    /// Item-level elements this model does not name, in arrival order.
    public var extraFields: [MANSCDPElement]

    public init(deviceID: String, event: CatalogEvent? = nil, name: String? = nil, manufacturer: String? = nil,
                model: String? = nil, owner: String? = nil, civilCode: String? = nil, block: String? = nil,
                address: String? = nil, parental: Int? = nil, parentID: String? = nil, businessGroupID: String? = nil,
                safetyWay: Int? = nil, registerWay: Int? = nil, certNum: String? = nil, certifiable: Int? = nil,
                errCode: Int? = nil, endTime: String? = nil, secrecy: Int? = nil, ipAddress: String? = nil,
                port: Int? = nil, password: String? = nil, status: ChannelStatus? = nil, longitude: Double? = nil,
                latitude: Double? = nil, info: CatalogItemInfo? = nil, extraFields: [MANSCDPElement] = []) {
        self.deviceID = deviceID
        self.event = event
        self.name = name
        self.manufacturer = manufacturer
        self.model = model
        self.owner = owner
        self.civilCode = civilCode
        self.block = block
        self.address = address
        self.parental = parental
        self.parentID = parentID
        self.businessGroupID = businessGroupID
        self.safetyWay = safetyWay
        self.registerWay = registerWay
        self.certNum = certNum
        self.certifiable = certifiable
        self.errCode = errCode
        self.endTime = endTime
        self.secrecy = secrecy
        self.ipAddress = ipAddress
        self.port = port
        self.password = password
        self.status = status
        self.longitude = longitude
        self.latitude = latitude
        self.info = info
        self.extraFields = extraFields
    }

    public var kind: CatalogNodeKind { CatalogNodeKind(deviceID: deviceID) }

    /// ParentID split on `/` (2022 multi-parent, [L]), empty parts dropped.
    public var parentIDs: [String] {
        (parentID ?? "").split(separator: "/").map { String($0).trimmed }.filter { !$0.isEmpty }
    }

    /// The division code to hang this item under: CivilCode if it is 2/4/6/8 digits; the first 8 digits when
    /// it is longer and all digits (🔧 devices send the 10-digit domain, whose first 8 digits are the centre's
    /// division; [W] drops such values instead); nil otherwise.
    public var regionCode: String? {
        guard let code = civilCode?.trimmed, !code.isEmpty, code.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            return nil
        }
        switch code.utf8.count {
        case 2, 4, 6, 8: return code
        case 9...: return String(code.prefix(8))
        default: return nil
        }
    }
}

/// The `Info` sub-element of a catalog item (spec §3.6; 2022 additions kept in `extraFields`).
public struct CatalogItemInfo: Sendable, Equatable {
    /// 1 dome, 2 half-dome, 3 fixed bullet, 4 PTZ bullet (2022: 5-7). 🔧 Some devices send it at item level.
    public var ptzType: Int?
    public var positionType: Int?
    public var roomType: Int?
    public var useType: Int?
    public var supplyLightType: Int?
    public var directionType: Int?
    /// Resolution codes joined by `/`.
    public var resolution: String?
    public var downloadSpeed: String?
    public var svcSpaceSupportMode: Int?
    public var svcTimeSupportMode: Int?
    public var extraFields: [MANSCDPElement]

    public init(ptzType: Int? = nil, positionType: Int? = nil, roomType: Int? = nil, useType: Int? = nil,
                supplyLightType: Int? = nil, directionType: Int? = nil, resolution: String? = nil,
                downloadSpeed: String? = nil, svcSpaceSupportMode: Int? = nil, svcTimeSupportMode: Int? = nil,
                extraFields: [MANSCDPElement] = []) {
        self.ptzType = ptzType
        self.positionType = positionType
        self.roomType = roomType
        self.useType = useType
        self.supplyLightType = supplyLightType
        self.directionType = directionType
        self.resolution = resolution
        self.downloadSpeed = downloadSpeed
        self.svcSpaceSupportMode = svcSpaceSupportMode
        self.svcTimeSupportMode = svcTimeSupportMode
        self.extraFields = extraFields
    }

    var isEmpty: Bool { self == CatalogItemInfo() }
}

extension String {
    var trimmed: String {
        var view = Substring(self)
        while let first = view.first, first.isWhitespace { view = view.dropFirst() }
        while let last = view.last, last.isWhitespace { view = view.dropLast() }
        return String(view)
    }
}
