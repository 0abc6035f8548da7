import Directory
import GBCore

/// What a permission decision needs to know about a camera, taken from its directory record.
public struct CameraFacts: Sendable, Hashable, Codable {
    public var code: String
    public var department: String
    public var division: String
    /// nil when the record's value is missing or not a code: treated as "not shared", the safe side.
    public var shareAttribute: ShareAttribute?
    public var defaultPermissions: PermissionSet
    /// False while the record has error-level findings or the camera is removed.
    public var shareable: Bool
    /// 点位类别 "1"/"2"/"3" as filed (trimmed; empty when missing): class 1 is what goes up to the province.
    public var pointClass: String

    public init(code: String, department: String, division: String, shareAttribute: ShareAttribute?,
                defaultPermissions: PermissionSet, shareable: Bool, pointClass: String = "") {
        self.code = code
        self.pointClass = pointClass.trimmingCharacters(in: .whitespaces)
        self.department = DepartmentRef.normaliseCode(department)
        self.division = division
        self.shareAttribute = shareAttribute
        self.defaultPermissions = defaultPermissions
        self.shareable = shareable
    }

    public init(_ camera: StoredCamera) {
        self.init(record: camera.record, shareable: camera.isShareable)
    }

    public init(record: CameraRecord, shareable: Bool = true) {
        self.init(code: record.code, department: record[.department], division: record[.division],
                  shareAttribute: record.shareAttribute, defaultPermissions: record.defaultPermissions, shareable: shareable,
                  pointClass: record[.pointClass])
    }

    public var owner: DepartmentRef { DepartmentRef(code: department, division: division) }
}
