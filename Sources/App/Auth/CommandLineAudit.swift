import Foundation
import Sharing
import Vapor

extension Application {
    /// Records an administrative change made on the command line. Whoever holds the data folder can run
    /// `gbshare`, so these entries name the operating-system account and say "cli": the first
    /// administrator's creation and a directory import were once the only changes with no audit entry.
    public func auditCommandLine(_ action: AuditAction, target: String, detail: String) async throws {
        try await sharing.audit.append(AuditDraft(actor: "cli:\(NSUserName())", actorRole: "command_line", action: action,
                                                  target: target, clientAddress: "local", detail: detail))
    }
}
