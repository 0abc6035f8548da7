import Foundation
import GBCore

/// What the player overlay draws (the console issue draws it): who is looking, for which
/// department, when.
public struct Watermark: Sendable, Codable, Hashable {
    public var user: String
    public var displayName: String
    public var department: String
    public var departmentLabel: LocalizedText
    public var time: Date

    public init(principal: Principal, displayName: String = "", time: Date) {
        self.user = principal.username
        self.displayName = displayName.isEmpty ? principal.username : displayName
        self.department = principal.department.description
        self.departmentLabel = principal.department.label
        self.time = time
    }
}

/// A view that started: the session media keeps and stops, the decision and the overlay.
public struct ViewTicket: Sendable {
    public var session: AccessSession
    public var decision: AccessDecision
    public var watermark: Watermark
}

/// A playback or download that may proceed, running as `session`; a download's file must carry
/// `auditEntry` in its metadata.
public struct RecordingTicket: Sendable {
    public var session: AccessSession
    public var auditEntry: Int64
    public var decision: AccessDecision
    public var watermark: Watermark
}

/// Errors of the media hooks.
public enum AccessRefused: PublicError, Sendable {
    case unknownCamera(String)
    case refused(AccessDecision)

    public var kind: FailureKind {
        switch self {
        case .unknownCamera: .notFound
        case .refused: .forbidden
        }
    }

    public var code: String {
        switch self {
        case .unknownCamera: "not_found"
        case .refused(let decision): decision.reason.rawValue
        }
    }

    public var message: LocalizedText {
        switch self {
        case .unknownCamera(let code): LocalizedText(zh: "找不到\(code)", en: "\(code) was not found")
        case .refused(let decision): decision.message
        }
    }
}

/// The hooks media calls (not wired yet: media streaming lands separately). Each one decides
/// through `authorize`, writes the audit entry the issue asks for, and keeps running views in
/// `sessions` so that a revoked or expired grant ends them (`grantEnded`).
extension SharingService {
    /// Decides, records the refusal or the start, and registers the running view. `onEnd` is called
    /// (at most once) if a later grant change ends the view; media closes the stream there.
    public func beginView(_ principal: Principal, cameraCode: String, action: AccessAction = .live, context: AccessContext,
                          onEnd: @escaping AccessSessionRegistry.EndHandler) async throws -> ViewTicket {
        let (camera, decision) = try await decide(principal, cameraCode: cameraCode, action: action, context: context, auditAction: .viewStart)
        let entry = try await audit.append(AuditDraft(principal, .viewStart, camera: camera.code, grantID: decision.grantID, purpose: context.purpose,
                                                      clientAddress: context.clientAddress, detail: "action=\(action.rawValue) reason=\(decision.reason.rawValue)"))
        let session = AccessSession(principal: principal, camera: camera, action: action, grantID: decision.grantID, purpose: context.purpose,
                                    clientAddress: context.clientAddress, startedAt: context.now, startEntry: entry.seq)
        sessions.register(session, onEnd: onEnd)
        return ViewTicket(session: session, decision: decision, watermark: Watermark(principal: principal, time: context.now))
    }

    /// Records the end of a view with its duration (a view already cut by a grant change is
    /// recorded by the cut and not again).
    /// The view is over either way; a stop that cannot be recorded is logged as an error for the operator
    /// (the start is on record, so the audit shows a view without its end rather than nothing).
    public func endView(_ sessionID: UUID, now: Date = Date()) async {
        guard let session = sessions.unregister(sessionID) else { return }
        let seconds = max(0, now.timeIntervalSince(session.startedAt))
        do {
            try await audit.append(AuditDraft(session.principal, .viewStop, camera: session.camera.code, grantID: session.grantID,
                                              purpose: session.purpose, clientAddress: session.clientAddress,
                                              detail: "duration=\(String(format: "%.1f", seconds))s start=\(session.startEntry)"))
        } catch {
            logger.error("audit entry of a view's end could not be written", metadata: [
                "camera": "\(session.camera.code)", "user": "\(session.principal.username)", "error": "\(error)"])
        }
    }

    /// Decides a playback or download of `from`-`to`, records it (a download with who, when, why and where
    /// to, 002 section 14.7; the file must carry the returned audit entry), and registers it as a running
    /// session like a live view: a revoked or expired grant cuts it (`onEnd`) and `endView` records the stop
    /// and duration. (Playbacks and downloads once ran on after a revoke with no cut recorded.)
    public func beginRecording(_ principal: Principal, cameraCode: String, action: AccessAction, from: Date, to: Date,
                               context: AccessContext, onEnd: @escaping AccessSessionRegistry.EndHandler) async throws -> RecordingTicket {
        precondition(action == .playback || action == .download, "a recording session is a playback or a download")
        let auditAction: AuditAction = action == .download ? .download : .playback
        var context = context
        context.recordingFrom = from
        let (camera, decision) = try await decide(principal, cameraCode: cameraCode, action: action, context: context, auditAction: auditAction)
        let destination = action == .download ? " destination=\(context.destination)" : ""
        let entry = try await audit.append(AuditDraft(principal, auditAction, camera: camera.code, grantID: decision.grantID, purpose: context.purpose,
                                                      clientAddress: context.clientAddress,
                                                      detail: "range=\(Self.iso(from))/\(Self.iso(to))" + destination))
        let session = AccessSession(principal: principal, camera: camera, action: action, grantID: decision.grantID, purpose: context.purpose,
                                    clientAddress: context.clientAddress, startedAt: context.now, startEntry: entry.seq)
        sessions.register(session, onEnd: onEnd)
        return RecordingTicket(session: session, auditEntry: entry.seq, decision: decision,
                               watermark: Watermark(principal: principal, time: context.now))
    }

    /// Decides a PTZ command and records it.
    public func recordPTZ(_ principal: Principal, cameraCode: String, command: String, context: AccessContext) async throws -> AccessDecision {
        let (camera, decision) = try await decide(principal, cameraCode: cameraCode, action: .ptz, context: context, auditAction: .ptz)
        try await audit.append(AuditDraft(principal, .ptz, camera: camera.code, grantID: decision.grantID, clientAddress: context.clientAddress,
                                          detail: command))
        return decision
    }

    /// A record query (which recordings exist) needs the playback permission; it is decided and
    /// refusals are recorded, successes are not (the playback that follows is).
    public func authorizeRecordQuery(_ principal: Principal, cameraCode: String, context: AccessContext) async throws -> AccessDecision {
        var relaxed = context
        // Listing recordings states no purpose yet; the playback itself asks for one.
        if relaxed.purpose.isEmpty { relaxed.purpose = "record query" }
        return try await decide(principal, cameraCode: cameraCode, action: .playback, context: relaxed, auditAction: .recordQuery).decision
    }

    /// Re-checks a running session now (media may call this on a timer as a second line).
    public func recheck(_ sessionID: UUID, now: Date = Date()) -> AccessDecision? {
        guard let session = sessions.session(sessionID) else { return nil }
        return authorize(session.principal, session.action, camera: session.camera,
                         context: AccessContext(now: now, purpose: session.purpose, clientAddress: session.clientAddress))
    }

    func decide(_ principal: Principal, cameraCode: String, action: AccessAction, context: AccessContext,
                auditAction: AuditAction) async throws -> (camera: CameraFacts, decision: AccessDecision) {
        guard let camera = try await camera(code: cameraCode) else {
            try await audit.append(AuditDraft(principal, auditAction, camera: cameraCode, purpose: context.purpose, clientAddress: context.clientAddress,
                                              result: .denied, detail: "unknown camera"))
            throw AccessRefused.unknownCamera(cameraCode)
        }
        let decision = authorize(principal, action, camera: camera, context: context)
        guard decision.allowed else {
            try await audit.append(AuditDraft(principal, auditAction, camera: camera.code, grantID: decision.grantID, purpose: context.purpose,
                                              clientAddress: context.clientAddress, result: .denied, detail: decision.reason.rawValue))
            throw AccessRefused.refused(decision)
        }
        return (camera, decision)
    }
}
