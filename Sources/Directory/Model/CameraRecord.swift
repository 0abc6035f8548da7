import GBCore

/// One camera as a department filed it (一机一档). Values are kept exactly as written, even when they
/// break a rule: the directory reports problems as findings and never silently fixes or drops what a
/// department filed. Typed views (`deviceCode`, `location`, ...) read the text when it is valid.
public struct CameraRecord: Hashable, Sendable, Codable {
    public var values: [CameraField: String]

    public init(values: [CameraField: String] = [:]) {
        self.values = values.filter { !$0.value.isEmpty }
    }

    public subscript(field: CameraField) -> String {
        get { values[field] ?? "" }
        set { values[field] = newValue.isEmpty ? nil : newValue }
    }

    public var code: String { self[.code] }
    public var deviceCode: DeviceCode? { try? DeviceCode(parsing: code) }
    public var name: String { self[.name] }
    public var departmentCode: DepartmentCode? { DepartmentCode(code: self[.department]) }
    public var pointClass: PointClass? { PointClass(code: self[.pointClass]) }
    public var shareAttribute: ShareAttribute? { ShareAttribute(code: self[.shareAttribute]) }
    public var deviceStatus: DeviceStatus? { DeviceStatus(code: self[.deviceStatus]) }
    public var networkStatus: NetworkStatus? { NetworkStatus(code: self[.networkStatus]) }
    public var bearing: Bearing? { Bearing(code: self[.bearing]) }
    public var codec: VideoCodecCode? { VideoCodecCode(code: self[.codec]) }
    public var defaultPermissions: PermissionSet { PermissionSet.parse(self[.defaultPermissions]).set }

    public var longitude: Double? { Double(self[.longitude].trimmedWhitespace) }
    public var latitude: Double? { Double(self[.latitude].trimmedWhitespace) }

    public var location: GeoPoint? {
        guard let longitude, let latitude else { return nil }
        return GeoPoint(longitude: longitude, latitude: latitude)
    }

    /// The fields whose values differ, for history entries: field → (old, new).
    public func changes(to newer: CameraRecord) -> [FieldChange] {
        CameraField.allCases.compactMap { field in
            let old = self[field]
            let new = newer[field]
            return old == new ? nil : FieldChange(field: field.rawValue, old: old, new: new)
        }
    }
}

/// One changed field in a history entry.
public struct FieldChange: Hashable, Sendable, Codable {
    public let field: String
    public let old: String
    public let new: String

    public init(field: String, old: String, new: String) {
        self.field = field
        self.old = old
        self.new = new
    }
}

extension CameraRecord {
    /// JSON shape for the API: `{"code": "...", "name": "...", ...}` with the field keys of CameraField.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: DynamicKey.self)
        var values: [CameraField: String] = [:]
        for key in container.allKeys {
            guard let field = CameraField(rawValue: key.stringValue) else { continue }
            if let text = try? container.decode(String.self, forKey: key) {
                values[field] = text
            } else if let number = try? container.decode(Double.self, forKey: key) {
                // Numbers sent as JSON numbers: keep integers without a decimal point.
                values[field] = number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
            }
        }
        self.init(values: values)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: DynamicKey.self)
        for field in CameraField.allCases {
            try container.encode(self[field], forKey: DynamicKey(field.rawValue))
        }
    }
}

struct DynamicKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }

    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

import Foundation
