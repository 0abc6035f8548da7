import Foundation

/// A value behind a mutex, for state the data plane touches synchronously from event-loop threads
/// (the allowed imports leave out NIOConcurrencyHelpers and Synchronization, so this is the small
/// equivalent of `LockedState`).
///
/// `@unchecked Sendable` is sound because: `value` is private and read or written only inside
/// `withLock`, between `lock()` and `unlock()` of the same `NSLock`, so no two threads touch it at
/// once; and `Value: Sendable`, so whatever a closure copies out of it may cross threads.
final class LockedState<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    @inline(__always)
    func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
