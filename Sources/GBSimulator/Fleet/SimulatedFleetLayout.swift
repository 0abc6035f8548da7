import GB28181
import GBCore

/// The device IDs and catalogs of a fleet (spec §1.2 code layout: centre 8 = division 6 + base unit 2,
/// industry 2, type 3, network 1, serial 6). Pure, so the directory rows and the devices agree.
public struct SimulatedFleetLayout: Sendable, Equatable {
    /// One registering device and the channels its catalog lists.
    public struct Member: Sendable, Equatable {
        public var deviceID: String
        public var name: String
        public var channels: [Channel]
    }

    public struct Channel: Sendable, Equatable {
        public var id: String
        public var name: String
    }

    public let members: [Member]

    public init(_ configuration: SimulatedFleetConfiguration) throws(SimulatedFleetError) {
        let division = configuration.division, department = configuration.department
        guard division.count == 6, division.allSatisfy({ ("0"..."9").contains($0) }) else { throw .badDivision(division) }
        guard department.count == 2, department.allSatisfy({ ("0"..."9").contains($0) }) else { throw .badDepartment(department) }
        func id(type: String, _ offset: Int) throws(SimulatedFleetError) -> String {
            let serial = configuration.serial + offset
            guard (0..<1_000_000).contains(serial) else { throw .serialOverflow(serial) }
            let digits = String(serial)
            return division + "00" + Self.industry(forDepartment: department) + type + "0"
                + String(repeating: "0", count: 6 - digits.count) + digits
        }
        switch configuration.shape {
        case .cameras(let count):
            guard count > 0 else { throw .noDevices }
            // An IPC lists itself as its one channel (what most cameras answer to Catalog).
            var members: [Member] = []
            for index in 0..<count {
                let code = try id(type: "132", index)
                members.append(Member(deviceID: code, name: "Simulated camera \(index + 1)",
                                      channels: [Channel(id: code, name: "Simulated camera \(index + 1)")]))
            }
            self.members = members
        case .nvr(let count), .platform(let count):
            guard count > 0 else { throw .noDevices }
            let isNVR = if case .nvr = configuration.shape { true } else { false }
            let owner = try id(type: isNVR ? "118" : "200", 0)
            var channels: [Channel] = []
            for index in 1...count {
                // NVR inputs are 131 (camera on an encoder), a lower platform files full cameras (132).
                channels.append(Channel(id: try id(type: isNVR ? "131" : "132", index), name: "Simulated channel \(index)"))
            }
            members = [Member(deviceID: owner, name: isNVR ? "Simulated NVR" : "Simulated lower platform", channels: channels)]
        }
    }

    public var channels: [Channel] { members.flatMap(\.channels) }

    /// Digits 9-10 (Appendix D table D.2) must name the owning department's industry: the directory
    /// checks them against the department field. Departments without their own row get GB/T 4754
    /// section I (48, information services), which fits the data bureaus that run demos.
    public static func industry(forDepartment department: String) -> String {
        switch DepartmentCode(code: department) {
        case .publicSecurity?: "00"
        case .transport?: "04"
        case .education?: "11"
        case .health?, .ecologyEnvironment?: "09"
        default: "48"
        }
    }

    /// Catalog rows of `member` (spec §3.6): channels with their parent, civil code and status ON.
    public func catalog(of member: Member, division: String) -> [CatalogItem] {
        member.channels.map { channel in
            CatalogItem(deviceID: channel.id, name: channel.name, manufacturer: "GBShare", model: "SIM-1", owner: "Owner",
                        civilCode: division, address: "Simulated", parental: 0,
                        parentID: channel.id == member.deviceID ? nil : member.deviceID,
                        safetyWay: 0, registerWay: 1, secrecy: 0, status: .on)
        }
    }
}

/// Why a fleet cannot be made; each says which option to change.
public enum SimulatedFleetError: Error, Sendable, Equatable, CustomStringConvertible {
    case badDivision(String)
    case badDepartment(String)
    case serialOverflow(Int)
    case noDevices

    public var description: String {
        switch self {
        case .badDivision(let value): "--division \(value): give a six-digit division code such as 441502"
        case .badDepartment(let value): "--department \(value): give a two-digit industry code such as 29"
        case .serialOverflow(let value): "device serial \(value) does not fit six digits: lower --serial or the device count"
        case .noDevices: "nothing to simulate: give a positive --devices, --nvr or --platform-channels"
        }
    }
}
