import Foundation
import Synchronization

/// A stream (or any lasting use) running under a permission decision: what media registers when a
/// view starts, so the stream can be cut when the grant it runs under ends.
public struct AccessSession: Sendable, Hashable, Identifiable {
    public var id: UUID
    public var principal: Principal
    public var camera: CameraFacts
    public var action: AccessAction
    public var grantID: UUID?
    public var purpose: String
    public var clientAddress: String
    public var startedAt: Date
    /// The audit entry of the start, so the stop can point at it.
    public var startEntry: Int64

    public init(id: UUID = UUID(), principal: Principal, camera: CameraFacts, action: AccessAction, grantID: UUID?,
                purpose: String, clientAddress: String, startedAt: Date, startEntry: Int64) {
        self.id = id
        self.principal = principal
        self.camera = camera
        self.action = action
        self.grantID = grantID
        self.purpose = purpose
        self.clientAddress = clientAddress
        self.startedAt = startedAt
        self.startEntry = startEntry
    }
}

/// The sessions running now, each with the closure that ends it. Media passes the closure (close
/// the viewer's connection); Sharing calls it when a re-check after a grant ended says no.
public final class AccessSessionRegistry: Sendable {
    public typealias EndHandler = @Sendable (AccessDecision) -> Void

    private struct Running: Sendable {
        var session: AccessSession
        var end: EndHandler
    }

    private let running = Mutex<[UUID: Running]>([:])

    public init() {}

    public func register(_ session: AccessSession, onEnd: @escaping EndHandler) {
        running.withLock { $0[session.id] = Running(session: session, end: onEnd) }
    }

    @discardableResult
    public func unregister(_ id: UUID) -> AccessSession? {
        running.withLock { $0.removeValue(forKey: id)?.session }
    }

    public func session(_ id: UUID) -> AccessSession? {
        running.withLock { $0[id]?.session }
    }

    public var sessions: [AccessSession] { running.withLock { $0.values.map(\.session) } }

    /// Sessions running under a grant.
    public func sessions(grantID: UUID) -> [AccessSession] {
        running.withLock { $0.values.filter { $0.session.grantID == grantID }.map(\.session) }
    }

    /// Moves a session to another grant that still allows it.
    func rebind(_ id: UUID, to grantID: UUID?) {
        running.withLock { $0[id]?.session.grantID = grantID }
    }

    /// Removes the session and hands back its end handler, so the caller runs it outside the lock.
    func take(_ id: UUID) -> (AccessSession, EndHandler)? {
        running.withLock { list in
            guard let item = list.removeValue(forKey: id) else { return nil }
            return (item.session, item.end)
        }
    }
}
