/// What kind of failure an error is, in words every front end maps to its own terms (the HTTP API to
/// a status, the command line to an exit code). Protocol and domain libraries know no HTTP; they say
/// whether the caller asked for something invalid, forbidden, missing or conflicting.
public enum FailureKind: String, Sendable, Hashable, CaseIterable {
    /// The request itself is wrong (a value, a shape); asking again unchanged fails again.
    case invalid
    /// Not logged in, or the credentials are wrong.
    case unauthenticated
    /// Understood and refused: the caller may not do this.
    case forbidden
    case notFound
    /// Clashes with the current state (taken name, a request already answered, a code that never changes).
    case conflict
    /// A file or body that was read but cannot be used as it is.
    case unprocessable
    case tooManyRequests
    /// A peer or service this depends on is not there now; asking later may work.
    case unavailable
    /// Our fault: logged, and the person is told to tell the administrator.
    case `internal`
}

/// An error meant to be shown: its kind, a stable code for programs and a message in Chinese and
/// English. Each error type says this about itself, next to its cases, so a new case cannot reach the
/// user as a bare "internal error" because some translation table elsewhere forgot it.
public protocol PublicError: Error {
    var kind: FailureKind { get }
    /// snake_case, stable: clients and tests match on it.
    var code: String { get }
    var message: LocalizedText { get }
}
