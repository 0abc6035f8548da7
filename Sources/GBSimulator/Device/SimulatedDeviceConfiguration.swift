import GB28181
import Media
import NIOCore
import SIP

/// How a simulated device or lower platform behaves (tests and benchmarks; loopback only).
public struct SimulatedDeviceConfiguration: Sendable {
    public var deviceID: String
    public var password: String
    public var platformID: String
    public var domain: String
    public var platformAddress: SocketAddress
    public var transport: SIPTransportKind
    public var expires: Int
    /// What a Catalog query is answered with, split into pages of `catalogItemsPerMessage` (spec §3.6).
    public var catalog: [CatalogItem]
    public var catalogItemsPerMessage: Int
    /// Written as SumNum in every page instead of the true total (🔧 a lying device).
    public var catalogSumNumOverride: Int?
    /// Bodies sent instead of catalog page N (0-based), made from the page: XML bombs, mislabelled charsets.
    public var catalogPageOverrides: [Int: @Sendable (CatalogResponse) -> [UInt8]]
    public var records: [RecordItem]
    public var recordsPerMessage: Int
    public var deviceInfo: DeviceInfoResponse
    public var charset: OutgoingCharset
    /// What the REGISTER's To names: the device itself (the spec's form) or the platform it registers to
    /// (a quirk of some devices and lower platforms in the field).
    public var registerToNamesPlatform = false
    /// Address the SIP socket and the media listeners bind, written in Via, Contact and SDP.
    public var bindHost: String
    /// RecordInfo answers made up for the asked range when set (`records` is used otherwise).
    public var recordList: SimulatedRecordList?
    /// The clip an accepted INVITE streams as PS over RTP; nil answers the SDP and sends nothing.
    public var clip: PSReplayProgram?
    /// Told about keepalive failures and media sessions (the fleet prints them).
    public var events: (@Sendable (SimulatedDeviceEvent) -> Void)?

    public init(deviceID: String, password: String = "12345678", platformID: String, domain: String? = nil,
                platformAddress: SocketAddress, transport: SIPTransportKind = .udp, expires: Int = 3600,
                catalog: [CatalogItem] = [], catalogItemsPerMessage: Int = 20, catalogSumNumOverride: Int? = nil,
                catalogPageOverrides: [Int: @Sendable (CatalogResponse) -> [UInt8]] = [:], records: [RecordItem] = [], recordsPerMessage: Int = 10,
                deviceInfo: DeviceInfoResponse? = nil, charset: OutgoingCharset = .gb2312, bindHost: String = "127.0.0.1",
                recordList: SimulatedRecordList? = nil, clip: PSReplayProgram? = nil,
                events: (@Sendable (SimulatedDeviceEvent) -> Void)? = nil) {
        self.deviceID = deviceID
        self.password = password
        self.platformID = platformID
        self.domain = domain ?? String(platformID.prefix(10))
        self.platformAddress = platformAddress
        self.transport = transport
        self.expires = expires
        self.catalog = catalog
        self.catalogItemsPerMessage = catalogItemsPerMessage
        self.catalogSumNumOverride = catalogSumNumOverride
        self.catalogPageOverrides = catalogPageOverrides
        self.records = records
        self.recordsPerMessage = recordsPerMessage
        self.deviceInfo = deviceInfo ?? DeviceInfoResponse(sn: 0, deviceID: deviceID, deviceName: "Simulated IPC",
                                                           manufacturer: "GBShare", model: "SIM-1", firmware: "1.0", channel: 1)
        self.charset = charset
        self.bindHost = bindHost
        self.recordList = recordList
        self.clip = clip
        self.events = events
    }
}
