import FluentKit
import Foundation
import GBCore
import Logging
import Synchronization

/// Sharing's front door: the permission check, the request/approval/grant workflow, the audit log
/// and the hooks media uses to end streams when grants end. One per running node; services know
/// nothing of HTTP (App turns their errors into responses).
public final class SharingService: Sendable {
    public let database: any Database
    public let policy: SharingPolicy
    public let authorizer: Authorizer
    public let routing: ApprovalRouting
    public let audit: AuditLog
    public let grantIndex: GrantIndexStore
    /// Every grant that ends (revoked, expired); media subscribes.
    public let grantEvents: GrantEventHub
    /// Streams running under decisions; media registers them through `beginView`.
    public let sessions: AccessSessionRegistry
    public let anchors: AuditAnchorFile?
    let logger: Logger
    private let tasks = Mutex<[Task<Void, Never>]>([])
    private let indexLoadedAt = Mutex<Date?>(nil)

    /// Most cameras one request may name.
    public static let maxCamerasPerRequest = 5000
    /// How often a node reloads the grant index, picking up grants other nodes changed.
    public static let indexReloadSeconds: TimeInterval = 30

    public init(database: any Database, policy: SharingPolicy = SharingPolicy(), anchors: AuditAnchorFile? = nil,
                forwarder: (any AuditForwarder)? = nil, anchorEvery: Int = 1000, logger: Logger = Logger(label: "gbshare.sharing")) {
        self.database = database
        self.policy = policy
        self.authorizer = Authorizer(policy: policy)
        self.routing = ApprovalRouting(policy: policy)
        self.audit = AuditLog(database: database, anchors: anchors, forwarder: forwarder, anchorEvery: anchorEvery, logger: logger)
        self.grantIndex = GrantIndexStore()
        self.grantEvents = GrantEventHub()
        self.sessions = AccessSessionRegistry()
        self.anchors = anchors
        self.logger = logger
    }

    // MARK: Lifecycle

    /// Loads the grant index and starts the sweeps: expired grants (every `expirySweepSeconds`),
    /// overdue requests and audit anchors (every minute).
    public func start(anchorSeconds: Double = 60) async throws {
        try await reloadGrantIndex()
        let expiry = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(max(0.05, self?.policy.expirySweepSeconds ?? 1) * 1e9))
                guard let self, !Task.isCancelled else { return }
                do {
                    try await self.sweepExpiredGrants()
                    await self.recheckAllSessions()
                    if let loaded = self.indexLoadedAt.withLock({ $0 }), Date().timeIntervalSince(loaded) > Self.indexReloadSeconds {
                        try await self.reloadGrantIndex()
                    }
                } catch {
                    self.logger.error("grant sweep failed: \(String(reflecting: error))")
                }
            }
        }
        let slow = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(max(1, anchorSeconds) * 1e9))
                guard let self, !Task.isCancelled else { return }
                do { try await self.escalateOverdueRequests() } catch { self.logger.error("escalation failed: \(String(reflecting: error))") }
                await self.audit.anchorHead()
            }
        }
        tasks.withLock { $0 += [expiry, slow] }
    }

    /// True between `start` and `shutdown`: only a running server sweeps (the tests check that an
    /// administrative command does not).
    public var jobsRunning: Bool { tasks.withLock { !$0.isEmpty } }

    /// Stops the sweeps, writes a last anchor and ends the event streams.
    public func shutdown() async {
        let running = tasks.withLock { list -> [Task<Void, Never>] in
            defer { list.removeAll() }
            return list
        }
        for task in running { task.cancel() }
        await audit.anchorHead()
        grantEvents.finish()
    }

    public func reloadGrantIndex(now: Date = Date()) async throws {
        let grants = try await GrantStore(database: database).loadForIndex(now: now)
        grantIndex.replace(GrantIndex(grants))
        indexLoadedAt.withLock { $0 = Date() }
    }

    // MARK: The permission check

    /// The one decision function: may `principal` do `action` (to `camera`)? Synchronous and
    /// memory-only, so it can sit in front of every play, PTZ command and record query.
    public func authorize(_ principal: Principal, _ action: AccessAction, camera: CameraFacts? = nil,
                          context: AccessContext = AccessContext()) -> AccessDecision {
        authorizer.authorize(principal, action, camera: camera, grants: grantIndex.snapshot, context: context)
    }

    /// The camera's facts from the directory; nil when the code is not filed.
    public func camera(code: String) async throws -> CameraFacts? {
        try await CameraFactsLoader(database: database).facts(code: code)
    }

    /// Decides and writes the refusal to the audit log; throws `forbidden` when refused. Use it in
    /// front of anything that is not itself audited on success (directory reads, edits).
    @discardableResult
    public func require(_ principal: Principal, _ action: AccessAction, camera: CameraFacts? = nil,
                        context: AccessContext = AccessContext(), auditAction: AuditAction = .accessDenied) async throws -> AccessDecision {
        let decision = authorize(principal, action, camera: camera, context: context)
        guard decision.allowed else {
            try await audit.append(AuditDraft(principal, auditAction, camera: camera?.code ?? "", target: "action:\(action.rawValue)",
                                              grantID: decision.grantID, purpose: context.purpose, clientAddress: context.clientAddress,
                                              result: .denied, detail: decision.reason.rawValue))
            throw ShareRequestError.forbidden(decision.reason, decision.message)
        }
        return decision
    }

    /// Audits a refusal the service itself decided (not the authorizer) and throws it.
    func refuse(_ principal: Principal, _ action: AuditAction, target: String, reason: DecisionReason, message: LocalizedText? = nil,
                clientAddress: String) async throws -> Never {
        try await audit.append(AuditDraft(principal, action, target: target, clientAddress: clientAddress, result: .denied,
                                          detail: reason.rawValue))
        throw ShareRequestError.forbidden(reason, message ?? reason.text)
    }
}
