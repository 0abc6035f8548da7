import Foundation
import Synchronization

/// Which nonces have been used, so a captured `Authorization` header cannot be sent again.
///
/// A stateless nonce (`DigestNonceIssuer`) proves it is ours and fresh, not that it is new: an attacker
/// who saw one REGISTER could replay it from another socket for the nonce's whole lifetime (moving the
/// device's address, or with `Expires: 0` taking it offline). Here a nonce answered without qop is good
/// for one request; with `qop=auth` a nonce may be reused only with a strictly larger `nc` (RFC 2617
/// 3.2.2 "the server ... can detect replays by checking the nc-value", RFC 7616 3.4.2). Only requests
/// whose digest already matched are recorded, so the table holds legitimate traffic only, and an entry
/// is dropped once its nonce is past the issuer's lifetime (stale then anyway).
public final class DigestNonceLedger: Sendable {
    private struct Use {
        /// The largest nc seen; 0 for a use without qop (which may not be followed by any other).
        var highestCount: UInt32
        var withQop: Bool
        var forgetAfter: Date
    }

    private struct State {
        var uses: [String: Use] = [:]
        var insertsSincePrune = 0
    }

    private let state = Mutex(State())
    /// How long a nonce is remembered: the issuer's lifetime plus its stale window, so that nothing the
    /// issuer still calls valid or stale is forgotten early.
    public let memory: TimeInterval

    public init(memory: TimeInterval) {
        self.memory = memory
    }

    /// Records a use of `nonce`; false when it is a replay. `nonceCount` is the `nc` parameter (hex), nil
    /// without qop.
    public func accept(nonce: String, nonceCount: String?, now: Date = Date()) -> Bool {
        let count = nonceCount.flatMap { UInt32($0, radix: 16) }
        if nonceCount != nil && count == nil { return false }
        return state.withLock { state in
            if let previous = state.uses[nonce], previous.forgetAfter > now {
                // A nonce once used without qop is spent; with qop only a larger nc is new.
                guard previous.withQop, let count, count > previous.highestCount else { return false }
                state.uses[nonce]?.highestCount = count
                return true
            }
            state.uses[nonce] = Use(highestCount: count ?? 0, withQop: count != nil, forgetAfter: now.addingTimeInterval(memory))
            state.insertsSincePrune += 1
            if state.insertsSincePrune >= 4_096 {
                state.insertsSincePrune = 0
                state.uses = state.uses.filter { $0.value.forgetAfter > now }
            }
            return true
        }
    }

    /// Nonces remembered now (tests, status).
    public var count: Int { state.withLock { $0.uses.count } }
}
