import Sharing
import Synchronization

/// The grant-change callback may fire before the stream exists (between `beginView`/`beginRecording` and
/// the subscription): it is remembered and delivered when the stream attaches. Live views, playbacks and
/// downloads use it alike.
final class CutSignal: Sendable {
    private let state = Mutex<(fired: AccessDecision?, handler: (@Sendable (AccessDecision) -> Void)?)>((nil, nil))

    func fire(_ decision: AccessDecision) {
        let handler = state.withLock { s -> (@Sendable (AccessDecision) -> Void)? in
            s.fired = decision
            return s.handler
        }
        handler?(decision)
    }

    func attach(_ handler: @escaping @Sendable (AccessDecision) -> Void) {
        let fired = state.withLock { s -> AccessDecision? in
            s.handler = handler
            return s.fired
        }
        if let fired { handler(fired) }
    }
}
