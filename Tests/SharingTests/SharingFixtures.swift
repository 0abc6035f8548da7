import Directory
import Foundation
import GBCore
import Sharing

/// Cameras and people for the sharing tests. Cameras are valid records (no error findings), so
/// they are shareable unless a test breaks them on purpose.
enum Fixtures {
    static let context = ChangeContext(actor: "tester", source: "test")

    /// A valid record in `division` for `department`, its code built from the sample's pattern.
    static func record(serial: Int, department: String, division: String = "441523", share: ShareAttribute = .conditional,
                       permissions: String = "1,2", pointClass: String = "1") -> CameraRecord {
        let code = division + "0958132" + "0" + String(format: "%06d", serial)
        let centre = DivisionTable.standard.division(code: division)?.centre
        func coordinate(_ value: Double?, fallback: String) -> String {
            guard let value else { return fallback }
            var text = String(format: "%.6f", value)
            if text.hasSuffix("0") { text.removeLast(); text += "1" }
            return text
        }
        var record = CameraRecord()
        let values: [CameraField: String] = [
            .code: code, .name: "测试摄像机\(serial)", .division: division, .builder: "汕尾市政务服务数据管理局",
            .manager: "汕尾市政务服务数据管理局", .managerPhone: "0660-3454710", .contractor: "中国移动", .maintainer: "中国电信",
            .pointClass: pointClass, .platformCode: "44152300582000000001", .department: department, .cameraType: "2", .networkStatus: "1",
            .address: "广东省汕尾市测试路\(serial)号", .positionTypes: "A0101,B0101", .coordinateSystem: "WGS84",
            .longitude: coordinate(centre?.longitude, fallback: "115.668755"), .latitude: coordinate(centre?.latitude, fallback: "23.274754"),
            .ipv4: "10.16.211.145", .mac: "3f:72:1f:cb:19:71", .placement: "1", .bearing: "9", .poleNumber: division + "092182",
            .accessNetwork: "2", .retentionDays: "90", .shareAttribute: share.rawValue, .defaultPermissions: permissions,
            .manufacturer: "9", .codec: "2", .deviceStatus: "1",
        ]
        for (field, value) in values { record[field] = value }
        return record
    }

    @discardableResult
    static func file(_ record: CameraRecord, in store: CameraStore) async throws -> StoredCamera {
        try await store.create(record, context: context)
    }

    static func principal(_ name: String, _ role: Role, department: String, division: String = "4415") -> Principal {
        Principal(id: UUID(), username: name, role: role, departmentCode: department, divisionScope: division)
    }

    static let hour: TimeInterval = 3600
    static let day: TimeInterval = 86_400
}
