import Directory
import Foundation
import GBCore

/// The authorizer's answer for each row of a directory import (see `ImportRowGate`): a row is written
/// only if the importer may edit the camera as it is stored *and* as it would be. A department can file
/// and change its own cameras in its own division scope; it cannot move another's camera into its own
/// department, nor file a second record under another department's code.
public struct DirectoryWriteGate: ImportRowGate {
    let authorizer: Authorizer
    let principal: Principal

    public func refusal(stored: CameraRecord?, incoming: CameraRecord) -> ImportRowRefusalReason? {
        for record in [stored, incoming].compactMap({ $0 }) {
            let decision = authorizer.authorize(principal, .editCamera, camera: CameraFacts(record: record), grants: GrantIndex())
            if !decision.allowed {
                return ImportRowRefusalReason(code: decision.reason.rawValue, message: decision.message)
            }
        }
        return nil
    }
}

extension SharingService {
    /// The gate for `principal`'s import.
    public func importGate(for principal: Principal) -> DirectoryWriteGate {
        DirectoryWriteGate(authorizer: authorizer, principal: principal)
    }

    /// One audit entry per refused row of an import (a refused write is an attempted access like any other).
    public func auditImportRefusals(_ refusals: [ImportRefusal], importID: String, principal: Principal, clientAddress: String) async throws {
        for refusal in refusals {
            try await audit.append(AuditDraft(principal, .accessDenied, camera: refusal.code, target: "import:\(importID)",
                                              clientAddress: clientAddress, result: .denied,
                                              detail: "row \(refusal.row): \(refusal.reason.code)"))
        }
    }
}
