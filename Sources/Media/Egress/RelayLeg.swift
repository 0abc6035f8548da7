/// One downstream leg of a relay: a hub subscription (the one upstream shared with local viewers) pumped
/// into a `PSRTPEgress` towards another platform. It ends when the stream ends or fails, when the receiver
/// closes its TCP connection, or when `stop` is called; `onEnd` hears the first three, not a `stop`.
public final class RelayLeg: Sendable {
    public enum End: Sendable, Equatable {
        /// The upstream ended (the device sent BYE, the hub stopped the stream).
        case upstreamEnded
        /// The upstream failed (no RTP, no keyframe, the device went offline...).
        case upstreamFailed(PlayFailure)
        /// The receiver closed its RTP connection.
        case receiverClosed
    }

    public let egress: PSRTPEgress
    private let subscription: StreamSubscription
    private let pump: Task<Void, Never>

    private init(egress: PSRTPEgress, subscription: StreamSubscription, pump: Task<Void, Never>) {
        self.egress = egress
        self.subscription = subscription
        self.pump = pump
    }

    /// Starts pumping at once (the hub begins with its cached GOP, so the receiver starts on a keyframe).
    public static func start(subscription: StreamSubscription, egress: PSRTPEgress,
                             onEnd: @escaping @Sendable (End) -> Void) -> RelayLeg {
        let pump = Task {
            var end = End.upstreamEnded
            do {
                for try await event in subscription {
                    guard case .frame(let frame) = event else { continue }
                    if egress.receiverClosed {
                        end = .receiverClosed
                        break
                    }
                    egress.send(frame)
                }
            } catch let failure as PlayFailure {
                end = .upstreamFailed(failure)
            } catch {
                end = .upstreamFailed(.sourceFailed(reason: "\(error)"))
            }
            guard !Task.isCancelled else { return }
            await subscription.cancel()
            await egress.close()
            onEnd(end)
        }
        return RelayLeg(egress: egress, subscription: subscription, pump: pump)
    }

    /// Ends the leg: leaves the stream (the upstream stops after the hub's grace period when nobody else
    /// watches) and closes the egress. `onEnd` is not called.
    public func stop() async {
        pump.cancel()
        await subscription.cancel()
        await egress.close()
    }

    public var statistics: PSRTPEgress.Statistics { egress.statistics }
}
