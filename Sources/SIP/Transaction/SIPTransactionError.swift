public enum SIPTransactionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No final response before Timer B (INVITE) or F (non-INVITE): 64 × T1 (RFC 3261 17.1.1.2, 17.1.2.2).
    case timeout(method: String, after: Duration)
    /// The transport could not send (RFC 3261 8.1.3.1 treats this like a 503).
    case transportFailure(String)
    case invalidRequest(SIPParseError)
    /// A client transaction with the same branch and method is already running.
    case duplicateBranch(String)
    case stopped

    public var description: String {
        switch self {
        case .timeout(let method, let after): return "\(method) got no final response within \(after)"
        case .transportFailure(let reason): return "transport failure: \(reason)"
        case .invalidRequest(let error): return "request cannot start a transaction: \(error)"
        case .duplicateBranch(let branch): return "a transaction with branch \(branch) is already running"
        case .stopped: return "the transaction layer was stopped"
        }
    }
}
