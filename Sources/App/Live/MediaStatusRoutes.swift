import Foundation
import Media
import Vapor

/// `GET /api/v1/media/status`: what the node's media side is doing, for the operators (and the
/// tests that check nothing leaks): streams with their counters, the ingest port's statistics,
/// SSRC leases held by running sessions, transcodes and HLS sessions.
struct MediaStatusRoutes {
    func boot(routes: any RoutesBuilder) {
        routes.get("media", "status", use: status)
    }

    struct StreamDTO: Content {
        var camera: String
        var startedAt: Date
        var framesIn: Int
        var bytesIn: Int
        var keyframes: Int
        var viewers: Int
        var peakViewers: Int
        var codec: String?
        var width: Int?
        var height: Int?
        var lastFrameAt: Date?
        var step: String?
        /// From the first viewer's request to the first keyframe (the "sees it within a second" figure).
        var playingAfterMilliseconds: Int?
    }

    struct StatusDTO: Content {
        var enabled: Bool
        var rtpPort: Int?
        var mediaHost: String?
        var streams: [StreamDTO]
        var transcodedStreams: Int
        var activeTranscodes: Int
        var transcodeLimit: Int
        var sessions: Int
        var hlsSessions: Int
        var registeredIngestStreams: Int
        var unknownPackets: Int
        var malformedPackets: Int
        var portsInUse: Int
    }

    func status(req: Request) async throws -> StatusDTO {
        try await req.authorize(.managePlatforms)
        guard let media = req.application.liveMedia else {
            return StatusDTO(enabled: false, streams: [], transcodedStreams: 0, activeTranscodes: 0, transcodeLimit: 0, sessions: 0, hlsSessions: 0,
                             registeredIngestStreams: 0, unknownPackets: 0, malformedPackets: 0, portsInUse: 0)
        }
        var streams: [StreamDTO] = []
        for counters in await media.hub.allCounters() {
            let timeline = await media.hub.timeline(for: counters.key)
            let step = timeline?.reached?.description
            let playing = timeline?.time(of: .playing).map { Int($0.components.seconds * 1000 + $0.components.attoseconds / 1_000_000_000_000_000) }
            streams.append(StreamDTO(camera: counters.key.camera, startedAt: counters.startedAt, framesIn: counters.framesIn, bytesIn: counters.bytesIn,
                                     keyframes: counters.keyframes, viewers: counters.viewers, peakViewers: counters.peakViewers,
                                     codec: counters.parameters?.video.codec.rawValue, width: counters.parameters?.video.width,
                                     height: counters.parameters?.video.height, lastFrameAt: counters.lastFrameAt, step: step,
                                     playingAfterMilliseconds: playing))
        }
        let ingest = media.ingest.statistics
        return StatusDTO(enabled: true, rtpPort: media.ingest.port, mediaHost: media.mediaHost, streams: streams,
                         transcodedStreams: await media.h264Hub.streamCount, activeTranscodes: media.transcoding.activeTranscodes,
                         transcodeLimit: media.transcoding.limit, sessions: media.source.runningCount, hlsSessions: await media.hls.count,
                         registeredIngestStreams: ingest.registeredStreams, unknownPackets: ingest.unknownPackets,
                         malformedPackets: ingest.malformedPackets, portsInUse: ingest.portsInUse)
    }
}
