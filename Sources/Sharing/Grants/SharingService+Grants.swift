import Foundation
import GBCore

/// Issuing, reading, revoking and expiring grants; ending what runs under them.
extension SharingService {
    /// Stores a grant, adds it to the live index and records it. The workflow issues grants
    /// through here; so does the data bureau's coordination for cameras that are not shared.
    public func issue(_ grant: Grant, by actor: Principal, clientAddress: String = "") async throws {
        try await GrantStore(database: database).insert([grant])
        grantIndex.update { $0.insert(grant) }
        try await audit.append(AuditDraft(actor, .grantIssued, target: "department:\(grant.grantee)", grantID: grant.id, purpose: grant.purpose,
                                          clientAddress: clientAddress,
                                          detail: "cameras=\(grant.cameras.count) from=\(Self.iso(grant.validFrom)) until=\(Self.iso(grant.validUntil))"))
    }

    /// Who may see a grant: the grantee department, the owners of its cameras, reviewers and administrators.
    public func grant(_ principal: Principal, id: UUID) async throws -> Grant {
        // A guessed id gets the same refusal whether or not the grant exists (no oracle), on record.
        guard let grant = try await GrantStore(database: database).grant(id: id), try await isInvolved(principal, in: grant) else {
            try await refuse(principal, .accessDenied, target: "grant:\(id)", reason: .otherDepartment, clientAddress: "")
        }
        return grant
    }

    /// Grants held by the principal's department, or (`owned`) grants on its cameras.
    public func grants(_ principal: Principal, owned: Bool = false, activeOnly: Bool = false, now: Date = Date()) async throws -> [Grant] {
        guard principal.role != .auditor else {
            try await refuse(principal, .accessDenied, target: "grants", reason: .roleMayNot, clientAddress: "")
        }
        let store = GrantStore(database: database)
        if [.systemAdmin, .dataBureauReviewer, .policeReviewer].contains(principal.role) && !owned {
            return try await store.grants(activeAt: activeOnly ? now : nil)
        }
        if owned {
            let codes = try await ownedCameraCodes(principal.department)
            let list = try await store.grants(ownedBy: codes)
            return activeOnly ? list.filter { $0.state(at: now) == .active } : list
        }
        return try await store.grants(department: principal.department, activeAt: activeOnly ? now : nil)
    }

    /// Ends a grant at once, or the principal's part of it. The authorizer says how much
    /// (`revocationScope`): all of it for the system administrator, the data bureau over the grantee's
    /// division and the grantee department; for an owner of some of its cameras only those cameras.
    /// Streams running under what ended are cut within the call.
    public func revoke(_ principal: Principal, grantID: UUID, reason: String, clientAddress: String = "", now: Date = Date()) async throws -> Grant {
        let target = "grant:\(grantID)"
        let store = GrantStore(database: database)
        guard let grant = try await store.grant(id: grantID) else { throw ShareRequestError.notFound("grant \(grantID)") }
        let facts = try await CameraFactsLoader(database: database).facts(codes: grant.cameraCodes)
        switch authorizer.revocationScope(principal, of: grant, facts: facts) {
        case .refused(let reason):
            try await refuse(principal, .grantRevoked, target: target, reason: reason, clientAddress: clientAddress)
        case .ownCameras(let codes):
            let taken = codes.isEmpty ? [] : try await store.revoke(cameras: codes, of: grantID, by: principal.username, at: now)
            guard !taken.isEmpty, let changed = try await store.grant(id: grantID) else { return grant }
            grantIndex.update { $0.insert(changed) }
            try await audit.append(AuditDraft(principal, .grantRevoked, target: "department:\(grant.grantee)", grantID: grantID,
                                              clientAddress: clientAddress,
                                              detail: "cameras=\(taken.sorted().joined(separator: ",")) of=\(grant.cameras.count) \(reason)"))
            await grantEnded(GrantEnded(grantID: grantID, grantee: grant.grantee, cameras: taken, cause: .revoked, at: now))
            return changed
        case .whole:
            guard try await store.revoke(id: grantID, by: principal.username, reason: reason, at: now) else { return grant }
            var revoked = grant
            revoked.revokedAt = now
            revoked.revokedBy = principal.username
            revoked.revokeReason = reason
            grantIndex.update { $0.insert(revoked) }
            try await audit.append(AuditDraft(principal, .grantRevoked, target: "department:\(grant.grantee)", grantID: grantID,
                                              clientAddress: clientAddress, detail: reason))
            await grantEnded(GrantEnded(grantID: grantID, grantee: grant.grantee, cameras: grant.cameraCodes, cause: .revoked, at: now))
            return revoked
        }
    }

    /// Finds grants that ran out, records each once, and ends what runs under them.
    @discardableResult
    public func sweepExpiredGrants(now: Date = Date()) async throws -> [Grant] {
        let expired = try await GrantStore(database: database).takeExpired(now: now)
        if !expired.isEmpty { grantIndex.markChanged() }
        for grant in expired {
            try await audit.append(AuditDraft(.platform, .grantExpired, target: "department:\(grant.grantee)", grantID: grant.id,
                                              detail: "until=\(Self.iso(grant.validUntil))"))
            await grantEnded(GrantEnded(grantID: grant.id, grantee: grant.grantee, cameras: grant.cameraCodes, cause: .expired, at: now))
        }
        return expired
    }

    /// Re-checks every session running under the grant: one still allowed (another grant covers
    /// it) moves to that grant, the others are ended and recorded. Then tells the subscribers.
    func grantEnded(_ event: GrantEnded) async {
        await recheck(sessions.sessions(grantID: event.grantID), now: max(Date(), event.at), cause: event.cause.rawValue)
        grantEvents.publish(event)
    }

    /// Re-checks every running session against the current index: the second line behind the
    /// grant-ended events (a grant revoked on another node arrives with the next index reload).
    /// The camera facts are read again first: a camera whose record changed while it was watched (no longer
    /// shared, no longer class 1 for an upper platform, an error finding, removed) is decided as it is now.
    public func recheckAllSessions(now: Date = Date()) async {
        let running = sessions.sessions
        guard !running.isEmpty else { return }
        let codes = Array(Set(running.map(\.camera.code)))
        guard let fresh = try? await CameraFactsLoader(database: database).facts(codes: codes) else {
            // The database did not answer: decide on what we knew rather than cut everyone.
            return await recheck(running, now: now, cause: "recheck")
        }
        let current = running.map { session -> AccessSession in
            var session = session
            if let facts = fresh[session.camera.code] { session.camera = facts } else { session.camera.shareable = false }
            return session
        }
        await recheck(current, now: now, cause: "recheck")
    }

    func recheck(_ list: [AccessSession], now: Date, cause: String) async {
        for session in list {
            let decision = authorize(session.principal, session.action, camera: session.camera,
                                     context: AccessContext(now: now, purpose: session.purpose, clientAddress: session.clientAddress))
            if decision.allowed {
                if decision.grantID != session.grantID { sessions.rebind(session.id, to: decision.grantID) }
                continue
            }
            guard let (taken, end) = sessions.take(session.id) else { continue }
            end(decision)
            let seconds = max(0, now.timeIntervalSince(taken.startedAt))
            // The cut happened (stopping is always allowed); if its record cannot be written that is an
            // error an operator must see, not something to drop silently.
            do {
                try await audit.append(AuditDraft(taken.principal, .streamCut, camera: taken.camera.code, grantID: taken.grantID,
                                                  purpose: taken.purpose, clientAddress: taken.clientAddress, result: .denied,
                                                  detail: "cause=\(cause) reason=\(decision.reason.rawValue) duration=\(String(format: "%.1f", seconds))s start=\(taken.startEntry)"))
            } catch {
                logger.error("audit entry of a stream cut could not be written", metadata: [
                    "camera": "\(taken.camera.code)", "user": "\(taken.principal.username)", "error": "\(error)"])
            }
        }
    }

    func isInvolved(_ principal: Principal, in grant: Grant) async throws -> Bool {
        if principal.role == .auditor { return false }
        if [.systemAdmin, .dataBureauReviewer, .policeReviewer].contains(principal.role) { return true }
        if principal.department == grant.grantee { return true }
        return try await ownsAny(principal.department, of: grant)
    }

    func ownsAny(_ department: DepartmentRef, of grant: Grant) async throws -> Bool {
        guard !department.isEmpty else { return false }
        let facts = try await CameraFactsLoader(database: database).facts(codes: grant.cameraCodes)
        return facts.values.contains { $0.department == department.code && department.covers(division: $0.division) }
    }

    func ownedCameraCodes(_ department: DepartmentRef) async throws -> [String] {
        guard !department.isEmpty else { return [] }
        var query = SelectionQuery(department: department.code)
        if !department.division.isEmpty { query.divisionPrefix = department.division }
        return try await CameraFactsLoader(database: database).resolve(query, cap: 200_000)
    }

    static func iso(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
}
