/// What a simulated device tells its owner (the `simulate` command prints one line per event).
public enum SimulatedDeviceEvent: Sendable, Equatable, CustomStringConvertible {
    case keepaliveFailed(reason: String)
    /// An accepted INVITE that will stream once the ACK arrives.
    case invite(callID: String, plan: SimulatedStreamPlan)
    case streamFailed(callID: String, reason: String)
    case bye(callID: String)
    /// MediaStatus 121 after a Playback/Download sent its whole range (spec §3.5).
    case transferEnded(callID: String)

    public var description: String {
        switch self {
        case .keepaliveFailed(let reason): "keepalive failed: \(reason)"
        case .invite(let callID, let plan): "invite \(plan.sessionType) \(plan.delivery) ssrc=\(plan.ssrc) call-id=\(callID)"
        case .streamFailed(let callID, let reason): "stream failed call-id=\(callID): \(reason)"
        case .bye(let callID): "bye call-id=\(callID)"
        case .transferEnded(let callID): "MediaStatus 121 sent (transfer ended) call-id=\(callID)"
        }
    }
}
