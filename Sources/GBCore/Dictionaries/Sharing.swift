/// 共享属性 (Appendix 5): whether other departments may see a camera, and on what terms.
public enum ShareAttribute: String, DirectoryDictionary {
    case conditional = "0"
    case unconditional = "1"
    case notShared = "2"

    public static let dictionaryName = LocalizedText(zh: "共享属性", en: "share attribute")

    public var label: LocalizedText {
        switch self {
        case .conditional: LocalizedText(zh: "有条件共享", en: "conditional")
        case .unconditional: LocalizedText(zh: "无条件共享", en: "unconditional")
        case .notShared: LocalizedText(zh: "不予共享", en: "not shared")
        }
    }
}

/// 默认权限: what a sharing grant can allow on a camera.
public enum Permission: String, DirectoryDictionary, Comparable {
    case live = "1"
    case playback = "2"
    case download = "3"
    case ptz = "4"
    case clipRecording = "5"

    public static let dictionaryName = LocalizedText(zh: "默认权限", en: "default permissions")

    public var label: LocalizedText {
        switch self {
        case .live: LocalizedText(zh: "实时视频点播", en: "live view")
        case .playback: LocalizedText(zh: "历史视频回放", en: "playback")
        case .download: LocalizedText(zh: "历史视频文件下载", en: "download")
        case .ptz: LocalizedText(zh: "云台控制", en: "PTZ control")
        case .clipRecording: LocalizedText(zh: "视频片段录制共享", en: "clip recording")
        }
    }

    public static func < (lhs: Permission, rhs: Permission) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A set of permissions written as the directory writes it: "1,2,4".
public struct PermissionSet: Hashable, Sendable, Codable, CustomStringConvertible {
    public var members: Set<Permission>

    public init(_ members: some Sequence<Permission>) { self.members = Set(members) }

    /// Splits on ASCII and full-width commas, 、 and spaces; returns the parts that are not codes.
    public static func parse(_ text: String) -> (set: PermissionSet, invalid: [String]) {
        let parts = text.split(whereSeparator: { ",，、; ".contains($0) }).map(String.init)
        var members: Set<Permission> = []
        var invalid: [String] = []
        for part in parts {
            if let permission = Permission(code: part) { members.insert(permission) } else { invalid.append(part) }
        }
        return (PermissionSet(members), invalid)
    }

    public func contains(_ permission: Permission) -> Bool { members.contains(permission) }

    public var description: String { members.sorted().map(\.rawValue).joined(separator: ",") }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        self = Self.parse(text).set
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

import Foundation
