import GBCore
import Sharing
import Vapor

/// The code tables the console needs to show labels and fill selects: divisions and the
/// Appendix 5 dictionaries.
struct ReferenceRoutes {
    func boot(routes: any RoutesBuilder) {
        routes.get("divisions", use: divisions)
        routes.get("dictionaries", use: dictionaries)
    }

    struct DivisionDTO: Content {
        var code: String
        var name: String
        var level: String
        var parent: String?
        var longitude: Double?
        var latitude: Double?
    }

    /// `?parent=441500` lists a division's children; `?code=` one division; neither, the provinces.
    func divisions(req: Request) async throws -> [DivisionDTO] {
        try await req.authorize(.readReference)
        let table = DivisionTable.standard
        let list: [Division]
        if let code = req.query[String.self, at: "code"] {
            list = table.division(code: code).map { [$0] } ?? []
        } else if let name = req.query[String.self, at: "name"] {
            list = Array(table.search(name: name).prefix(50))
        } else if let parent = req.query[String.self, at: "parent"] {
            list = table.children(of: parent)
        } else {
            list = table.search(name: "").filter { $0.level == .province }
        }
        return list.map { DivisionDTO(code: $0.code, name: $0.name, level: $0.level.rawValue, parent: $0.parentCode,
                                      longitude: $0.centre?.longitude, latitude: $0.centre?.latitude) }
    }

    struct Entry: Content {
        var code: String
        var zh: String
        var en: String
    }

    func dictionaries(req: Request) async throws -> [String: [Entry]] {
        try await req.authorize(.readReference)
        func entries<D: DirectoryDictionary>(_: D.Type) -> [Entry] { D.allCases.map { Entry(code: $0.code, zh: $0.label.zh, en: $0.label.en) } }
        return [
            "pointClass": entries(PointClass.self), "department": entries(DepartmentCode.self), "cameraType": entries(CameraType.self),
            "networkStatus": entries(NetworkStatus.self), "placement": entries(InstallPlacement.self), "bearing": entries(Bearing.self),
            "accessNetwork": entries(AccessNetwork.self), "shareAttribute": entries(ShareAttribute.self), "permission": entries(Permission.self),
            "manufacturer": entries(Manufacturer.self), "codec": entries(VideoCodecCode.self), "deviceStatus": entries(DeviceStatus.self),
            "coordinateSystem": entries(CoordinateSystem.self),
        ]
    }
}
