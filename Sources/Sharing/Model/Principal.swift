import Foundation
import Crypto
import GBCore

/// A department as sharing sees it: an Appendix 5 department code and the division it serves
/// (the city "4415" or a county "441502"). Grants and requests belong to one of these.
public struct DepartmentRef: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Normalised Appendix 5 code ("06", never "6"); empty for users without a department.
    public var code: String
    /// Normalised division prefix (trailing "00" pairs removed); empty means the whole platform.
    public var division: String

    public init(code: String, division: String) {
        self.code = DepartmentRef.normaliseCode(code)
        self.division = DepartmentRef.normaliseDivision(division)
    }

    public var isEmpty: Bool { code.isEmpty }

    public var label: LocalizedText {
        let name = DepartmentCode(code: code)?.label ?? LocalizedText(zh: code, en: code)
        let place = division.isEmpty ? "" : "(\(division))"
        return LocalizedText(zh: name.zh + place, en: name.en + place)
    }

    public var description: String { division.isEmpty ? code : "\(code)@\(division)" }

    /// Excel drops leading zeros ("6" for "06"): compare departments by their dictionary code.
    public static func normaliseCode(_ code: String) -> String {
        let trimmed = code.trimmingCharacters(in: .whitespaces)
        return DepartmentCode(code: trimmed)?.rawValue ?? trimmed
    }

    /// "441500" and "4415" both mean the city of Shanwei.
    public static func normaliseDivision(_ code: String) -> String {
        var text = code.filter { ("0"..."9").contains($0) }
        while text.count >= 2 && text.hasSuffix("00") { text.removeLast(2) }
        return text
    }

    /// Whether a camera's six-digit division lies inside this department's division.
    public func covers(division cameraDivision: String) -> Bool {
        division.isEmpty || cameraDivision.hasPrefix(division)
    }
}

/// Who is asking: a logged-in person or a department application's system account. Every
/// permission decision takes one of these.
public struct Principal: Hashable, Sendable, Codable {
    public var id: UUID
    public var username: String
    public var role: Role
    public var department: DepartmentRef

    public init(id: UUID, username: String, role: Role, departmentCode: String, divisionScope: String) {
        self.id = id
        self.username = username
        self.role = role
        self.department = DepartmentRef(code: departmentCode, division: divisionScope)
    }

    /// Marks entries written by the platform itself (expiry sweeps, escalations).
    public static let platform = Principal(id: UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
                                           username: "platform", role: .systemAdmin, departmentCode: "", divisionScope: "")
}

extension Principal {
    /// The principal of everything an upper platform asks through the cascade (catalog reads, live,
    /// playback, PTZ): its own pseudo-department `upper:<SIP ID>` so that grants can name it, and a
    /// stable id derived from the SIP ID so its audit entries and sessions keep one identity across restarts.
    public static func upperPlatform(_ sipID: String) -> Principal {
        let digest = Array(SHA256.hash(data: Data("upper-platform:\(sipID)".utf8)))
        let id = UUID(uuid: (digest[0], digest[1], digest[2], digest[3], digest[4], digest[5], digest[6], digest[7],
                             digest[8], digest[9], digest[10], digest[11], digest[12], digest[13], digest[14], digest[15]))
        return Principal(id: id, username: "upper:\(sipID)", role: .upperPlatform, departmentCode: "upper:\(sipID)", divisionScope: "")
    }

    public var isUpperPlatform: Bool { role == .upperPlatform }
}
