import Foundation
import GBCore

/// Grants that name an upper platform (its pseudo-department `upper:<ID>`): cameras beyond its default
/// share of class-1 unconditional cameras, or PTZ, which its default never includes. They live, expire,
/// are revoked and end running relays like every other grant; only who may issue them differs
/// (`Authorizer.upperPlatformGrant`).
extension SharingService {
    /// Issues one grant to an upper platform for `cameras` with `permissions` until `validUntil`. Every
    /// camera is decided first; one refused camera refuses the whole grant (on record), so a partial
    /// share never goes up by surprise.
    public func grantToUpperPlatform(_ principal: Principal, upperID: String, cameras: [String], permissions: PermissionSet,
                                     validUntil: Date, purpose: String, clientAddress: String = "", now: Date = Date()) async throws -> Grant {
        let codes = Array(NSOrderedSet(array: cameras.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }))
            .compactMap { $0 as? String }
        let reason = purpose.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !codes.isEmpty else { throw ShareRequestError.invalid(LocalizedText(zh: "请至少选择一路摄像机", en: "name at least one camera")) }
        guard codes.count <= Self.maxCamerasPerRequest else { throw ShareRequestError.tooManyCameras(Self.maxCamerasPerRequest) }
        guard !permissions.members.isEmpty else { throw ShareRequestError.invalid(LocalizedText(zh: "请至少选择一项权限", en: "give at least one permission")) }
        guard validUntil > now else { throw ShareRequestError.invalid(LocalizedText(zh: "授权截止时间应晚于现在", en: "the grant must end in the future")) }
        guard !reason.isEmpty else { throw ShareRequestError.invalid(LocalizedText(zh: "请填写授权用途", en: "state what the grant is for")) }
        let context = AccessContext(now: now, purpose: reason, clientAddress: clientAddress)
        let facts = try await CameraFactsLoader(database: database).facts(codes: codes)
        for code in codes {
            guard let camera = facts[code] else {
                try await refuse(principal, .accessDenied, target: "camera:\(code)", reason: .cameraNotShareable,
                                 message: LocalizedText(zh: "资源目录中没有摄像机 \(code)", en: "camera \(code) is not filed"), clientAddress: clientAddress)
            }
            try await require(principal, .grantUpperPlatform, camera: camera, context: context)
        }
        let grant = Grant(requestID: nil, grantee: Principal.upperPlatform(upperID).department,
                          cameras: codes.map { Grant.Camera(code: $0, permissions: permissions) }, purpose: reason,
                          validFrom: now, validUntil: validUntil, createdAt: now, createdBy: principal.username)
        try await issue(grant, by: principal, clientAddress: clientAddress)
        return grant
    }

    /// The grants naming one upper platform, newest first, for whoever may grant to uppers at all.
    public func upperPlatformGrants(_ principal: Principal, upperID: String) async throws -> [Grant] {
        try await require(principal, .grantUpperPlatform)
        return try await GrantStore(database: database).grants(department: Principal.upperPlatform(upperID).department)
    }

    /// Whether the upper sees the camera in our virtual catalog now (its default, or a grant in force).
    public func upperPlatformSees(_ camera: CameraFacts, upperID: String, now: Date = Date()) -> Bool {
        authorizer.upperPlatformSees(camera, upperID: upperID, grants: grantIndex.snapshot, now: now)
    }
}
