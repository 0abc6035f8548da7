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

    public init(code: String, department: String, division: String, shareAttribute: ShareAttribute?,
                defaultPermissions: PermissionSet, shareable: Bool) {
        self.code = code
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
                  shareAttribute: record.shareAttribute, defaultPermissions: record.defaultPermissions, shareable: shareable)
    }

    public var owner: DepartmentRef { DepartmentRef(code: department, division: division) }
}
