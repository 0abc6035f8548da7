import Fluent
import Foundation
import Sharing
import Vapor

/// What an administrator may change on an account after it was made (a leaver keeps access otherwise,
/// and an administrator who locked the only admin account once had to wait out the lockout).
public struct AccountChange: Content, Sendable {
    public var displayName: String?
    public var role: Role?
    public var departmentCode: String?
    public var divisionScope: String?
    public var active: Bool?
    /// The unit's terminals (CIDR ranges, comma-separated) the account may log in from; empty: anywhere.
    public var allowedNetworks: String?

    public init(displayName: String? = nil, role: Role? = nil, departmentCode: String? = nil, divisionScope: String? = nil, active: Bool? = nil,
                allowedNetworks: String? = nil) {
        self.displayName = displayName
        self.role = role
        self.departmentCode = departmentCode
        self.divisionScope = divisionScope
        self.active = active
        self.allowedNetworks = allowedNetworks
    }
}

extension AuthService {
    /// Applies `change`; returns the account and a line for the audit log naming what changed. A change of
    /// role, department, division or a disable ends the account's sessions (they carried the old rights).
    public func updateAccount(username: String, change: AccountChange) async throws -> (user: AuthenticatedUser, summary: String) {
        if let role = change.role, !Role.accountRoles.contains(role) { throw Failure.roleNotForAccounts(role) }
        let user = try await account(username)
        var changed: [String] = []
        func note(_ field: String, _ old: String, _ new: String) { if old != new { changed.append("\(field)=\(old)→\(new)") } }
        if let name = change.displayName { note("displayName", user.displayName, name); user.displayName = name }
        if let role = change.role { note("role", user.role, role.rawValue); user.role = role.rawValue }
        if let department = change.departmentCode { note("department", user.departmentCode, department); user.departmentCode = department }
        if let division = change.divisionScope { note("division", user.divisionScope, division); user.divisionScope = division }
        if let active = change.active { note("active", String(user.isActive), String(active)); user.isActive = active }
        if let networks = change.allowedNetworks {
            let ranges: [NetworkRange]
            switch NetworkRange.list(networks) {
            case .success(let parsed): ranges = parsed
            case .failure(let bad): throw Failure.invalidNetworks(bad.text)
            }
            let normalised = ranges.map(\.description).joined(separator: ",")
            note("terminals", user.allowedNetworks ?? "", normalised)
            user.allowedNetworks = normalised
        }
        if user.role != Role.systemAdmin.rawValue || !user.isActive {
            try await requireAnotherAdministrator(than: user)
        }
        try await user.save(on: database)
        if changed.contains(where: { !$0.hasPrefix("displayName") }) { try await endSessions(of: user) }
        return (try AuthenticatedUser(user), changed.isEmpty ? "no change" : changed.joined(separator: " "))
    }

    /// Lifts a lockout at once.
    public func unlock(username: String) async throws {
        let user = try await account(username)
        user.failedLogins = 0
        user.lockedUntil = nil
        try await user.save(on: database)
    }

    /// Sets a new password for someone who lost theirs; their sessions end.
    public func resetPassword(username: String, to password: String) async throws {
        let user = try await account(username)
        if let problem = PasswordPolicy.problem(password: password, username: username) { throw Failure.weakPassword(problem) }
        user.passwordHash = try Bcrypt.hash(password, cost: config.bcryptCost)
        user.passwordChangedAt = Date()
        user.failedLogins = 0
        user.lockedUntil = nil
        try await user.save(on: database)
        try await endSessions(of: user)
    }

    private func account(_ username: String) async throws -> UserModel {
        guard let user = try await UserModel.query(on: database).filter(\.$username == username).first() else {
            throw Failure.noSuchUser(username)
        }
        return user
    }

    private func requireAnotherAdministrator(than user: UserModel) async throws {
        let others = try await UserModel.query(on: database).filter(\.$role == Role.systemAdmin.rawValue).filter(\.$isActive == true)
            .filter(\.$id != user.requireID()).count()
        if others == 0 { throw Failure.lastAdministrator }
    }

    private func endSessions(of user: UserModel) async throws {
        try await UserTokenModel.query(on: database).filter(\.$user.$id == user.requireID()).delete()
    }
}
