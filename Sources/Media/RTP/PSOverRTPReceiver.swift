import NIOCore

/// One GB/T 28181 media stream: RTP packets of one SSRC → reorder → PS demux → frames (spec §6.1).
/// After a loss it resyncs and drops video until the next keyframe, so viewers never get a frame that
/// references missing data.
public struct PSOverRTPReceiver: Sendable {
    public private(set) var rtp: RTPStreamReceiver
    public private(set) var demuxer: PSDemuxer
    public private(set) var framesDroppedAfterLoss = 0
    private var waitingForKeyframe = false

    public init(ssrc: UInt32, reorderDepth: Int = 16, demuxer: PSDemuxer.Configuration = .init()) {
        rtp = RTPStreamReceiver(ssrc: ssrc, reorderDepth: reorderDepth)
        self.demuxer = PSDemuxer(configuration: demuxer)
    }

    /// `arrival` in 90 kHz units (for jitter).
    public mutating func receive(_ packet: RTPPacket, arrival: Int64) -> [MediaFrame] {
        let ordered = rtp.receive(packet, arrival: arrival)
        return deliver(ordered, lost: rtp.lossSinceLastDelivery)
    }

    public mutating func flush() -> [MediaFrame] {
        let ordered = rtp.flush()
        var frames = deliver(ordered, lost: rtp.lossSinceLastDelivery)
        demuxer.flush { frames.append($0) }
        return filter(frames)
    }

    private mutating func deliver(_ packets: [RTPPacket], lost: Bool) -> [MediaFrame] {
        if lost {
            demuxer.discontinuity()
            waitingForKeyframe = true
        }
        var frames: [MediaFrame] = []
        for packet in packets {
            // The RTP timestamp stands in for the PTS of a bare elementary stream (spec §6.6).
            demuxer.feed(packet.payload, timestamp: Int64(packet.timestamp)) { frames.append($0) }
        }
        return filter(frames)
    }

    private mutating func filter(_ frames: [MediaFrame]) -> [MediaFrame] {
        guard waitingForKeyframe else { return frames }
        var out: [MediaFrame] = []
        for frame in frames {
            if frame.isVideo && waitingForKeyframe {
                guard frame.isKeyframe else {
                    framesDroppedAfterLoss += 1
                    continue
                }
                waitingForKeyframe = false
            }
            out.append(frame)
        }
        return out
    }
}
