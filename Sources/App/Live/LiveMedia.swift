import Foundation
import GB28181
import Logging
import Media
import Vapor

/// The node's live video: the RTP ingest port, the hub (one upstream per camera for any number of
/// viewers), the H.264 hub that transcodes H.265 cameras for browsers without HEVC, and snapshots.
/// Started after signalling (it INVITEs through it), stopped before it.
final class LiveMedia: Sendable {
    let hub: StreamHub
    let h264Hub: StreamHub
    let source: InviteStreamSource
    let transcoding: TranscodingStreamSource
    let ingest: RTPIngestServer
    let snapshots: SnapshotRenderer
    let hls: HLSSessions
    let mediaHost: String

    private init(hub: StreamHub, h264Hub: StreamHub, source: InviteStreamSource, transcoding: TranscodingStreamSource,
                 ingest: RTPIngestServer, snapshots: SnapshotRenderer, hls: HLSSessions, mediaHost: String) {
        self.hub = hub
        self.h264Hub = h264Hub
        self.source = source
        self.transcoding = transcoding
        self.ingest = ingest
        self.snapshots = snapshots
        self.hls = hls
        self.mediaHost = mediaHost
    }

    static func start(app: Application, config: GBShareConfig, signalling: Signalling) async throws -> LiveMedia {
        let logger = Logger(label: "gbshare.media")
        let mediaHost = config.mediaHost ?? (config.sipHost == "0.0.0.0" ? {
            logger.warning("no --media-host: devices are told to send RTP to 127.0.0.1; set the address they can reach")
            return "127.0.0.1"
        }() : config.sipHost)
        let (mode, transport) = try receiveMode(config)
        let allocator = try SharedSSRCAllocator(domainID: config.sipDomain ?? String(config.sipID.prefix(10)))
        let source = InviteStreamSource(signalling: signalling, database: app.db, allocator: allocator,
                                        settings: .init(mediaHost: mediaHost, mode: mode, transport: transport), logger: logger)
        var hubConfiguration = StreamHubConfiguration()
        hubConfiguration.gracePeriod = .seconds(config.viewerGraceSeconds)
        let hub = StreamHub(source: source, configuration: hubConfiguration, logger: logger)
        var ingestConfiguration = RTPIngestConfiguration(host: config.sipHost, port: config.rtpPort)
        if let range = config.rtpPortRange {
            guard let parsed = RTPIngestConfiguration.parsePortRange(range) else {
                throw StartupError.invalidSetting("--rtp-port-range \(range): expected two ports like 30002-30500")
            }
            ingestConfiguration.ownPortRange = parsed
        }
        let ingest = try await RTPIngestServer.start(configuration: ingestConfiguration, group: app.eventLoopGroup, sink: hub, logger: logger)
        source.attach(ingest)
        var transcode = TranscodeConfiguration()
        transcode.maxConcurrentTranscodes = config.transcodeLimit
        let (h264Hub, transcoding) = TranscodingStreamSource.makeHub(
            upstream: hub, configuration: transcode, hubConfiguration: TranscodingStreamSource.hubConfiguration(for: hubConfiguration), logger: logger)
        logger.info("media: RTP on \(config.sipHost):\(ingest.port) (\(transport)), SDP address \(mediaHost)")
        return LiveMedia(hub: hub, h264Hub: h264Hub, source: source, transcoding: transcoding, ingest: ingest,
                         snapshots: SnapshotRenderer(), hls: HLSSessions(), mediaHost: mediaHost)
    }

    private static func receiveMode(_ config: GBShareConfig) throws -> (MediaReceiveMode, IngestTransport) {
        let own = config.rtpPortRange != nil
        switch config.rtpTransport.lowercased() {
        case "udp": return (.udp, own ? .udpOwnPort : .udp)
        case "tcp-passive", "tcp": return (.tcpPassive, own ? .tcpPassiveOwnPort : .tcpPassive)
        case "tcp-active": return (.tcpActive, .tcpActive)
        default: throw StartupError.invalidSetting("--rtp-transport \(config.rtpTransport): expected udp, tcp-passive or tcp-active")
        }
    }

    func shutdown() async {
        await hls.shutdown()
        await h264Hub.shutdown()
        await hub.shutdown()
        await ingest.shutdown()
    }
}

extension Application {
    private struct LiveMediaKey: StorageKey { typealias Value = LiveMedia }

    /// nil when signalling is off (`--no-signalling`, the API-only tests): media routes then say so.
    var liveMedia: LiveMedia? {
        get { storage[LiveMediaKey.self] }
        set { storage[LiveMediaKey.self] = newValue }
    }
}
