/// One position report. Coordinates are WGS-84 by the standard; 🔧 devices set up for Chinese web maps
/// send GCJ-02, so the coordinate system is a per-device setting outside this type (spec §3.5).
public struct MobilePosition: Sendable, Equatable {
    public var deviceID: String
    public var time: GBDateTime?
    public var longitude: Double?
    public var latitude: Double?
    /// km/h.
    public var speed: Double?
    /// Degrees clockwise from north.
    public var direction: Double?
    /// Metres.
    public var altitude: Double?

    public init(deviceID: String, time: GBDateTime? = nil, longitude: Double? = nil, latitude: Double? = nil,
                speed: Double? = nil, direction: Double? = nil, altitude: Double? = nil) {
        self.deviceID = deviceID
        self.time = time
        self.longitude = longitude
        self.latitude = latitude
        self.speed = speed
        self.direction = direction
        self.altitude = altitude
    }

    /// Reads the 2016 flat fields or a 2022 list item (`CaptureTime`, `Height` [L] ⚠️).
    init(element: MANSCDPElement, deviceID: String) {
        self.init(deviceID: deviceID,
                  time: (element.value("Time") ?? element.value("CaptureTime")).flatMap(GBDateTime.init(parsing:)),
                  longitude: element.double("Longitude"), latitude: element.double("Latitude"),
                  speed: element.double("Speed"), direction: element.double("Direction"),
                  altitude: element.double("Altitude") ?? element.double("Height"))
    }

    func writeFields(to writer: inout MANSCDPWriter, timeElement: String) {
        writer.element(timeElement, time?.description)
        writer.element("Longitude", longitude)
        writer.element("Latitude", latitude)
        writer.element("Speed", speed)
        writer.element("Direction", direction)
        writer.element("Altitude", altitude)
    }
}

/// MobilePosition notify, by MESSAGE or NOTIFY (spec §3.5). Parses the 2016 flat form and the 2022 list form
/// ([L] ⚠️); writes the flat form for a single report of the envelope's device, the list form otherwise.
public struct MobilePositionNotify: MANSCDPCommand {
    public var root: MANSCDPRoot { .notify }
    public var cmdType: MANSCDPCmdType { .mobilePosition }
    public var sn: Int
    public var deviceID: String
    public var positions: [MobilePosition]

    public init(sn: Int, deviceID: String, positions: [MobilePosition]) {
        self.sn = sn
        self.deviceID = deviceID
        self.positions = positions
    }

    init(element: MANSCDPElement) throws(MANSCDPError) {
        let envelope = try MANSCDPEnvelope(element)
        let listed = (element.child("DeviceList")?.children(named: "Item") ?? []).map { item in
            MobilePosition(element: item, deviceID: item.value("DeviceID") ?? envelope.deviceID)
        }
        let positions = listed.isEmpty ? [MobilePosition(element: element, deviceID: envelope.deviceID)] : listed
        self.init(sn: envelope.sn, deviceID: envelope.deviceID, positions: positions)
    }

    public func writeContent(to writer: inout MANSCDPWriter) {
        if positions.count == 1, let only = positions.first, only.deviceID == deviceID {
            only.writeFields(to: &writer, timeElement: "Time")
            return
        }
        writer.element("SumNum", positions.count)
        writer.open("DeviceList", attributes: ["Num": String(positions.count)])
        for position in positions {
            writer.open("Item")
            writer.element("DeviceID", position.deviceID)
            position.writeFields(to: &writer, timeElement: "CaptureTime")
            writer.close("Item")
        }
        writer.close("DeviceList")
    }
}
