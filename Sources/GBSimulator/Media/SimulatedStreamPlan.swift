import GB28181

/// What an INVITE's offer asks the simulated device to send, decided before the 200 OK (the answer needs
/// the port of a passive TCP listener): where, over what, from which second of the clip and how fast.
public struct SimulatedStreamPlan: Sendable, Equatable {
    public typealias Delivery = MediaDelivery

    public var delivery: Delivery
    public var sessionType: GBSessionType
    public var ssrc: UInt32
    /// Playback/Download: the `t=` range's length in seconds; the stream ends after it. Nil for live.
    public var durationSeconds: Int64?
    /// 1 for live and Playback; `a=downloadspeed:` for Download (spec §5.6: the device sends faster).
    public var speed: Double

    /// Nil when the offer has no video section or no address to send to.
    public init?(offer: GBSessionDescription, answeredSSRC: String?) {
        guard let video = offer.video, let delivery = MediaDelivery(offer: offer) else { return nil }
        self.delivery = delivery
        sessionType = offer.sessionType
        // y= is ten decimal digits (spec §5.3); a device without one still sends some SSRC.
        ssrc = UInt32(answeredSSRC ?? offer.ssrc ?? "") ?? 1
        let range = offer.stopTime - offer.startTime
        durationSeconds = offer.sessionType == .play || range <= 0 ? nil : range
        speed = offer.sessionType == .download ? Double(max(1, video.downloadSpeed ?? 1)) : 1
    }
}
