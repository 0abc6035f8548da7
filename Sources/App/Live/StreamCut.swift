import Synchronization

/// A one-shot switch between Sharing's "this session must end now" (called from any thread, possibly
/// before the stream exists) and the stream that must stop: whichever comes second runs the action.
final class StreamCut: Sendable {
    private struct State {
        var isCut = false
        var action: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())

    /// Ends the session: runs the action now if the stream is there, else as soon as it registers.
    func cut() {
        let action = state.withLock { state -> (@Sendable () -> Void)? in
            guard !state.isCut else { return nil }
            state.isCut = true
            return state.action
        }
        action?()
    }

    /// What stopping the stream means; runs at once if the session was already cut.
    func onCut(_ action: @escaping @Sendable () -> Void) {
        let runNow = state.withLock { state -> Bool in
            state.action = action
            return state.isCut
        }
        if runNow { action() }
    }

    var isCut: Bool { state.withLock { $0.isCut } }
}
