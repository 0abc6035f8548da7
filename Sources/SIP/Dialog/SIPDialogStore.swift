/// The dialogs a UA has open, found by the IDs of messages that arrive (RFC 3261 12.2.2:
/// Call-ID, our tag in To, the peer's tag in From for requests; the reverse for responses).
public actor SIPDialogStore {
    private var dialogs: [SIPDialog.ID: SIPDialog] = [:]

    public init() {}

    public func insert(_ dialog: SIPDialog) { dialogs[dialog.id] = dialog }

    @discardableResult
    public func remove(_ id: SIPDialog.ID) -> SIPDialog? { dialogs.removeValue(forKey: id) }

    public func dialog(_ id: SIPDialog.ID) -> SIPDialog? { dialogs[id] }

    /// The dialog an incoming request belongs to.
    public func dialog(forIncoming request: SIPRequest) -> SIPDialog? {
        guard let id = Self.id(forIncoming: request.headers) else { return nil }
        return dialogs[id]
    }

    /// The dialog a response to one of our requests belongs to.
    public func dialog(forResponse response: SIPResponse) -> SIPDialog? {
        guard let callID = response.headers.callID,
              let local = try? response.headers.from().tag, let remote = try? response.headers.to().tag
        else { return nil }
        return dialogs[SIPDialog.ID(callID: callID, localTag: local, remoteTag: remote)]
    }

    /// Applies `change` to a stored dialog (next CSeq, refreshed target) and returns the result.
    public func update<T: Sendable>(_ id: SIPDialog.ID, _ change: (inout SIPDialog) throws -> T) rethrows -> T? {
        guard var dialog = dialogs[id] else { return nil }
        let result = try change(&dialog)
        dialogs[id] = dialog
        return result
    }

    public var count: Int { dialogs.count }

    public var all: [SIPDialog] { Array(dialogs.values) }

    static func id(forIncoming headers: SIPHeaders) -> SIPDialog.ID? {
        guard let callID = headers.callID, let local = try? headers.to().tag, let remote = try? headers.from().tag else { return nil }
        return SIPDialog.ID(callID: callID, localTag: local, remoteTag: remote)
    }
}
