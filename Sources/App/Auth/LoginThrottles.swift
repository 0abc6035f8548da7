import Foundation
import Vapor

/// The login route's in-memory counters (see `KeyedThrottle`), one set per application.
struct LoginThrottles: Sendable {
    /// Login attempts per client address per minute before 429. Each attempt costs a bcrypt check
    /// (about 0.25 s of a core at cost 12): sixty a minute from one address keeps a guesser from taking
    /// the server's CPU, and is far above what people at one desk type.
    static let attemptsPerAddressPerMinute = 60

    let perAddress = KeyedThrottle(window: 60)
    /// Unknown bearer tokens per client address per minute: only the first is written to the audit log.
    let junkTokens = KeyedThrottle(window: 60)
    /// Failed logins per user name that does not exist, for as long as a real account stays locked.
    let unknownNames: KeyedThrottle

    init(lockoutSeconds: Int) {
        unknownNames = KeyedThrottle(window: TimeInterval(max(lockoutSeconds, 60)))
    }
}

extension Application {
    private struct LoginThrottlesKey: StorageKey { typealias Value = LoginThrottles }

    /// Set once in `configure` (storage is not safe to fill lazily from concurrent requests).
    var loginThrottles: LoginThrottles {
        get {
            guard let throttles = storage[LoginThrottlesKey.self] else { fatalError("login throttles not configured: call configure(_:config:)") }
            return throttles
        }
        set { storage[LoginThrottlesKey.self] = newValue }
    }
}
