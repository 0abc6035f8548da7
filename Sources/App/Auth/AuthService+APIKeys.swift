import Crypto
import Fluent
import Foundation
import Sharing
import Vapor

/// API keys for system accounts: random, shown once, stored as SHA-256, revocable.
extension AuthService {
    public static let apiKeyPrefix = "gbk_"

    public struct IssuedKey: Content, Sendable {
        public var id: UUID
        /// The key itself: shown this once, never stored.
        public var key: String
        public var prefix: String
        public var username: String
        public var label: String
    }

    public enum APIKeyFailure: Error, Sendable {
        case noSuchUser(String)
        case notASystemAccount(String)
        case noSuchKey
    }

    public func issueAPIKey(username: String, label: String) async throws -> IssuedKey {
        guard let user = try await UserModel.query(on: database).filter(\.$username == username).first() else {
            throw APIKeyFailure.noSuchUser(username)
        }
        guard user.role == Role.systemAccount.rawValue else { throw APIKeyFailure.notASystemAccount(username) }
        let key = Self.apiKeyPrefix + Self.newToken()
        let prefix = String(key.prefix(Self.apiKeyPrefix.count + 6))
        let model = APIKeyModel(userID: try user.requireID(), keyHash: Self.hash(key), prefix: prefix, label: label)
        try await model.save(on: database)
        return IssuedKey(id: try model.requireID(), key: key, prefix: prefix, username: username, label: label)
    }

    public func revokeAPIKey(id: UUID) async throws -> String {
        guard let key = try await APIKeyModel.query(on: database).filter(\.$id == id).with(\.$user).first() else { throw APIKeyFailure.noSuchKey }
        if key.revokedAt == nil {
            key.revokedAt = Date()
            try await key.save(on: database)
        }
        return key.user.username
    }

    public func check(apiKey: String, now: Date = Date()) async throws -> TokenCheck {
        guard let stored = try await APIKeyModel.query(on: database).filter(\.$keyHash == Self.hash(apiKey)).with(\.$user).first() else {
            return .unknown
        }
        let user = stored.user
        if stored.revokedAt != nil || !user.isActive { return .disabled(username: user.username) }
        if let until = user.lockedUntil, until > now { return .locked(username: user.username) }
        guard user.role == Role.systemAccount.rawValue else { return .disabled(username: user.username) }
        return .valid(try AuthenticatedUser(user))
    }
}
