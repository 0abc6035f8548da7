import FluentKit
import Foundation
import GBCore
import SQLKit

/// Duplicate construction over the stored directory: cameras in use with usable coordinates.
extension CameraStore {
    public func duplicateGroups(radiusMetres: Double = 30, divisionPrefix: String? = nil) async throws -> [DuplicateGroup] {
        struct Row: Decodable {
            let id: Int, code: String, name: String, department: String, bearing: String, point_class: String
            let longitude: Double?, latitude: Double?, error_count: Int
        }
        var select = try database.sql().select()
            .columns("id", "code", "name", "department", "bearing", "point_class", "longitude", "latitude", "error_count")
            .from("cameras").where("device_status", .notEqual, DeviceStatus.removed.rawValue)
            .where("longitude", .isNot, SQLLiteral.null).where("latitude", .isNot, SQLLiteral.null)
        if let prefix = divisionPrefix, !prefix.isEmpty {
            select = select.where("division", .like, SQLBind(DivisionPrefix.normalise(prefix) + "%"))
        }
        let candidates = try await select.all(decoding: Row.self).compactMap { row -> DuplicateCandidate? in
            guard let lon = row.longitude, let lat = row.latitude else { return nil }
            let point = GeoPoint(longitude: lon, latitude: lat)
            guard point.isInsideChina else { return nil }
            return DuplicateCandidate(id: row.id, code: row.code, name: row.name, department: row.department,
                                      bearing: Bearing(code: row.bearing), point: point, errorCount: row.error_count,
                                      pointClass: PointClass(code: row.point_class))
        }
        return DuplicateFinder(radiusMetres: radiusMetres).groups(candidates)
    }
}
