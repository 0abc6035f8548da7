import Foundation
import GBCore

/// A department's right to use some cameras, for a period, with some permissions, coming from a
/// request (or from the data bureau's coordination). It ends by itself at `validUntil` and can be
/// revoked at once.
public struct Grant: Sendable, Codable, Hashable, Identifiable {
    public struct Camera: Sendable, Codable, Hashable {
        public var code: String
        public var permissions: PermissionSet
        /// Set when this camera alone was taken out of the grant (its owner revoked its own camera of a
        /// grant that also holds other departments' cameras); the rest of the grant stays.
        public var revokedAt: Date?
        public var revokedBy: String?

        public init(code: String, permissions: PermissionSet, revokedAt: Date? = nil, revokedBy: String? = nil) {
            self.code = code
            self.permissions = permissions
            self.revokedAt = revokedAt
            self.revokedBy = revokedBy
        }
    }

    public enum State: String, Sendable, Codable {
        case active, expired, revoked, pending
    }

    public var id: UUID
    public var requestID: UUID?
    public var grantee: DepartmentRef
    public var cameras: [Camera]
    public var purpose: String
    public var validFrom: Date
    public var validUntil: Date
    public var createdAt: Date
    public var createdBy: String
    public var revokedAt: Date?
    public var revokedBy: String?
    public var revokeReason: String?

    public init(id: UUID = UUID(), requestID: UUID?, grantee: DepartmentRef, cameras: [Camera], purpose: String,
                validFrom: Date, validUntil: Date, createdAt: Date = Date(), createdBy: String,
                revokedAt: Date? = nil, revokedBy: String? = nil, revokeReason: String? = nil) {
        self.id = id
        self.requestID = requestID
        self.grantee = grantee
        self.cameras = cameras
        self.purpose = purpose
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.revokedAt = revokedAt
        self.revokedBy = revokedBy
        self.revokeReason = revokeReason
    }

    public func state(at now: Date) -> State {
        if revokedAt != nil { return .revoked }
        if now >= validUntil { return .expired }
        if now < validFrom { return .pending }
        return .active
    }

    public var cameraCodes: [String] { cameras.map(\.code) }

    /// When this camera stopped being usable under the grant: the grant's own revocation, or the camera's.
    public func revokedAt(camera: Camera) -> Date? {
        switch (revokedAt, camera.revokedAt) {
        case let (grant?, own?): min(grant, own)
        case let (grant, own): grant ?? own
        }
    }
}

/// Why a grant stopped: what media needs to cut the streams running under it.
public struct GrantEnded: Sendable, Hashable {
    public enum Cause: String, Sendable, Hashable {
        case revoked, expired
    }

    public var grantID: UUID
    public var grantee: DepartmentRef
    public var cameras: [String]
    public var cause: Cause
    public var at: Date

    public init(grantID: UUID, grantee: DepartmentRef, cameras: [String], cause: Cause, at: Date) {
        self.grantID = grantID
        self.grantee = grantee
        self.cameras = cameras
        self.cause = cause
        self.at = at
    }
}
