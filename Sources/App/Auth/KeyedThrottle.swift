import Foundation
import Synchronization

/// Counts events per key in fixed windows, in memory: failed logins for user names that do not exist
/// (so they lock like real accounts and a lockout does not tell which accounts exist), and login attempts
/// per client address (so one address cannot spend the server's bcrypt time guessing).
///
/// Bounded: at most `maxKeys` keys are kept; when full, windows that have ended are dropped, and if none
/// has, the table is cleared (an attacker filling it with fresh keys resets counts, which costs them the
/// same per-address limit again, rather than growing memory without end).
public final class KeyedThrottle: Sendable {
    private struct Window {
        var started: Date
        var count: Int
    }

    public let window: TimeInterval
    public let maxKeys: Int
    private let windows = Mutex([String: Window]())

    public init(window: TimeInterval, maxKeys: Int = 100_000) {
        self.window = window
        self.maxKeys = maxKeys
    }

    /// Counts one event for `key`; returns the count in the current window, this one included.
    @discardableResult
    public func hit(_ key: String, now: Date = Date()) -> Int {
        windows.withLock { windows in
            if var current = windows[key], now.timeIntervalSince(current.started) < window {
                current.count += 1
                windows[key] = current
                return current.count
            }
            if windows.count >= maxKeys {
                windows = windows.filter { now.timeIntervalSince($0.value.started) < window }
                if windows.count >= maxKeys { windows.removeAll(keepingCapacity: true) }
            }
            windows[key] = Window(started: now, count: 1)
            return 1
        }
    }

    /// The count in the current window, without counting.
    public func count(_ key: String, now: Date = Date()) -> Int {
        windows.withLock { windows in
            guard let current = windows[key], now.timeIntervalSince(current.started) < window else { return 0 }
            return current.count
        }
    }

    /// When the key's current window ends (nil when it has none).
    public func windowEnd(_ key: String, now: Date = Date()) -> Date? {
        windows.withLock { windows in
            guard let current = windows[key], now.timeIntervalSince(current.started) < window else { return nil }
            return current.started.addingTimeInterval(window)
        }
    }

    public func reset(_ key: String) {
        _ = windows.withLock { $0.removeValue(forKey: key) }
    }
}
