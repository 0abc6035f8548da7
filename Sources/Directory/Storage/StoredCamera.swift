import Foundation
import GBCore

/// A camera as the directory holds it: the record as filed, its findings, and bookkeeping.
public struct StoredCamera: Sendable, Codable {
    public var id: Int
    public var record: CameraRecord
    public var findings: [Finding]
    public var errorCount: Int
    public var warningCount: Int
    public var createdAt: Date
    public var updatedAt: Date

    /// A camera with an error-level finding stays out of sharing until it is fixed (directory.md 4).
    public var isShareable: Bool { errorCount == 0 && record.deviceStatus != .removed }
}

/// One entry of a camera's history: who changed what, when, from where.
public struct HistoryEntry: Sendable, Codable, Hashable {
    public enum Action: String, Sendable, Codable {
        case created
        case updated
        case statusChanged = "status_changed"
    }

    public var at: Date
    public var actor: String
    public var action: Action
    /// `api`, `import:<id>`, `cli`, `catalog:<device>`.
    public var source: String
    public var changes: [FieldChange]
}

/// Who is making a change and through what, for history and audit.
public struct ChangeContext: Sendable {
    public var actor: String
    public var source: String

    public init(actor: String, source: String) {
        self.actor = actor
        self.source = source
    }
}

public enum DirectoryStoreError: PublicError, Sendable, CustomStringConvertible {
    case notSQL
    case notFound(String)
    case codeExists(String)
    case invalidStatusChange(from: DeviceStatus?, to: DeviceStatus)
    case corruptRow(Int)
    case invalidCursor

    public var message: LocalizedText {
        switch self {
        case .notSQL:
            LocalizedText(zh: "数据库不支持SQL", en: "the database does not speak SQL")
        case .notFound(let key):
            LocalizedText(zh: "资源目录中没有\(key)", en: "\(key) is not in the directory")
        case .codeExists(let code):
            LocalizedText(zh: "设备编码\(code)已登记，请修改已有记录", en: "device code \(code) is already filed; update that record instead")
        case .invalidStatusChange(let from, let to):
            LocalizedText(zh: "设备状态不能从“\(from?.label.zh ?? "未填")”改为“\(to.label.zh)”（已拆除的设备不能恢复）",
                          en: "device status cannot go from '\(from?.label.en ?? "none")' to '\(to.label.en)' (a removed camera stays removed)")
        case .corruptRow(let id):
            LocalizedText(zh: "摄像机记录\(id)已损坏", en: "camera row \(id) is corrupt")
        case .invalidCursor:
            LocalizedText(zh: "分页游标无效，请从第一页重新查询", en: "the page cursor is invalid; start again from the first page")
        }
    }

    public var kind: FailureKind {
        switch self {
        case .notFound: .notFound
        case .codeExists, .invalidStatusChange: .conflict
        case .invalidCursor: .invalid
        case .notSQL, .corruptRow: .internal
        }
    }

    public var code: String {
        switch self {
        case .notFound: "not_found"
        case .codeExists: "code_exists"
        case .invalidStatusChange: "invalid_status_change"
        case .invalidCursor: "invalid_cursor"
        case .notSQL, .corruptRow: "internal"
        }
    }

    public var description: String { message.en }
}

/// The status lifecycle: in use ⇄ under repair → removed; removed is final, because a camera is
/// never deleted and a removed one that comes back is a new installation with its own record.
public enum StatusLifecycle {
    public static func allows(from: DeviceStatus?, to: DeviceStatus) -> Bool {
        switch (from, to) {
        case (.removed, _): to == .removed
        default: true
        }
    }
}
