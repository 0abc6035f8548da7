import Foundation
import GBCore
import Synchronization

/// One camera of one grant, as the permission check reads it.
public struct GrantedCamera: Sendable, Hashable {
    public var grantID: UUID
    public var grantee: DepartmentRef
    public var permissions: PermissionSet
    public var validFrom: Date
    public var validUntil: Date
    public var revokedAt: Date?

    public init(grantID: UUID, grantee: DepartmentRef, permissions: PermissionSet, validFrom: Date, validUntil: Date, revokedAt: Date?) {
        self.grantID = grantID
        self.grantee = grantee
        self.permissions = permissions
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.revokedAt = revokedAt
    }
}

/// Every grant's cameras keyed by (grantee department code, camera code), so a decision is one
/// dictionary lookup however many grants exist. Immutable: changes build a new index.
public struct GrantIndex: Sendable {
    struct Key: Hashable, Sendable {
        var departmentCode: String
        var cameraCode: String
    }

    private var entries: [Key: [GrantedCamera]] = [:]
    public private(set) var grantCount = 0

    public init() {}

    public init(_ grants: [Grant]) {
        for grant in grants { insert(grant) }
    }

    public mutating func insert(_ grant: Grant) {
        remove(grantID: grant.id)
        grantCount += 1
        for camera in grant.cameras {
            let granted = GrantedCamera(grantID: grant.id, grantee: grant.grantee, permissions: camera.permissions,
                                        validFrom: grant.validFrom, validUntil: grant.validUntil, revokedAt: grant.revokedAt(camera: camera))
            entries[Key(departmentCode: grant.grantee.code, cameraCode: camera.code), default: []].append(granted)
        }
    }

    /// Grants are few per key (a department rarely holds more than a couple for one camera), so
    /// removal scans; it runs only when a grant changes.
    public mutating func remove(grantID: UUID) {
        var found = false
        for (key, list) in entries where list.contains(where: { $0.grantID == grantID }) {
            found = true
            let rest = list.filter { $0.grantID != grantID }
            entries[key] = rest.isEmpty ? nil : rest
        }
        if found { grantCount -= 1 }
    }

    /// Grants of this department code for the camera, whatever their division or state: the
    /// decision tells "expired", "revoked" and "another division's grant" apart from "none".
    public func grants(departmentCode: String, camera: String) -> [GrantedCamera] {
        entries[Key(departmentCode: departmentCode, cameraCode: camera)] ?? []
    }
}

/// The live grant index shared by every request. Reads take a lock for one dictionary copy-on-write
/// reference, so a decision never waits on the database.
public final class GrantIndexStore: Sendable {
    private let state = Mutex<(index: GrantIndex, generation: Int)>((GrantIndex(), 0))

    public init(_ index: GrantIndex = GrantIndex()) {
        state.withLock { $0.index = index }
    }

    public var snapshot: GrantIndex { state.withLock { $0.index } }

    /// Rises with every change to the grants (issued, revoked, reloaded, expired), so that whoever derives
    /// something from them (an upper's virtual catalog) knows when to derive it again.
    public var generation: Int { state.withLock { $0.generation } }

    public func replace(_ index: GrantIndex) { state.withLock { $0 = (index, $0.generation + 1) } }

    public func update(_ body: (inout GrantIndex) -> Void) {
        state.withLock {
            body(&$0.index)
            $0.generation += 1
        }
    }

    /// Grants ran out (their entries stay, decided by date): what derives from them is stale.
    public func markChanged() { state.withLock { $0.generation += 1 } }
}
