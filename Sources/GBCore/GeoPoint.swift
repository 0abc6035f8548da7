import Foundation

/// A longitude/latitude pair in degrees (WGS84 or CGCS2000: the two differ by centimetres, far below
/// what any directory check here looks at).
public struct GeoPoint: Hashable, Sendable, Codable {
    public var longitude: Double
    public var latitude: Double

    public init(longitude: Double, latitude: Double) {
        self.longitude = longitude
        self.latitude = latitude
    }

    private static let earthRadiusMetres = 6_371_008.8

    /// Great-circle distance (haversine), good to well under a metre at city scale.
    public func distance(to other: GeoPoint) -> Double {
        let lat1 = latitude * .pi / 180
        let lat2 = other.latitude * .pi / 180
        let dLat = lat2 - lat1
        let dLon = (other.longitude - longitude) * .pi / 180
        let a = sin(dLat / 2) * sin(dLat / 2) + cos(lat1) * cos(lat2) * sin(dLon / 2) * sin(dLon / 2)
        return 2 * Self.earthRadiusMetres * atan2(a.squareRoot(), (1 - a).squareRoot())
    }

    /// Mainland China's bounding box with a margin: a coordinate outside it is certainly wrong;
    /// inside it is only plausible (the division-distance check does the rest).
    public var isInsideChina: Bool {
        (73.3...135.2).contains(longitude) && (3.8...53.6).contains(latitude)
    }
}
