import Foundation
import Media
import NIOCore
import Vapor

/// Live video over HTTP (spec §6 out): fragmented MP4 (`live.mp4`, chunked, for MSE and ffplay),
/// HTTP-FLV (`live.flv`, H.265 as enhanced-FLV `hvc1`), HLS with fMP4 segments (`live.m3u8`) and a
/// JPEG snapshot. Every one is a view: decided and recorded by Sharing, cut when its grant ends.
/// `?purpose=` carries the purpose where policy asks for one; `?codec=h264` asks for H.264 (H.265
/// cameras are then transcoded).
struct LiveRoutes {
    func boot(protected: any RoutesBuilder, open: any RoutesBuilder) {
        let camera = protected.grouped("cameras", ":code")
        camera.get("live.mp4", use: mp4)
        camera.get("live.flv", use: flv)
        camera.get("live.m3u8", use: hlsStart)
        camera.get("snapshot.jpg", use: snapshot)
        // The HLS session id is the capability (players send no Authorization header).
        open.get("hls", ":session", ":file", use: hlsFile)
    }

    static func open(_ req: Request) async throws -> LiveViewer {
        let code = req.parameters.get("code") ?? ""
        let purpose = req.query[String.self, at: "purpose"] ?? ""
        let acceptsHEVC = req.query[String.self, at: "codec"]?.lowercased() != "h264"
        do {
            let viewer = try await LiveViewer.open(req, camera: code, purpose: purpose, sessionToken: req.loginToken, acceptsHEVC: acceptsHEVC)
            LoginBoundView.watch(req, viewer)
            return viewer
        } catch let failure as PlayFailure {
            throw failure.apiError
        }
    }

    static let streamHeaders: HTTPHeaders = ["Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"]

    func mp4(req: Request) async throws -> Response {
        let viewer = try await Self.open(req)
        var headers = Self.streamHeaders
        headers.contentType = HTTPMediaType(type: "video", subType: "mp4")
        headers.replaceOrAdd(name: "X-Codec", value: FragmentedMP4Muxer(video: viewer.parameters.video, audio: viewer.parameters.audio).mimeType)
        return Response(status: .ok, headers: headers, body: .init(asyncStream: { writer in
            var muxer = FragmentedMP4ViewerWriter(mode: .perFrame)
            do {
                while let event = try await viewer.stream.next() {
                    for chunk in muxer.write(event) { try await writer.write(.buffer(chunk)) }
                }
                if let last = muxer.finish() { try await writer.write(.buffer(last)) }
            } catch {
                req.logger.debug("live.mp4 ended: \(error)")
            }
            await viewer.finish()
            try? await writer.write(.end)
        }))
    }

    func flv(req: Request) async throws -> Response {
        let viewer = try await Self.open(req)
        var headers = Self.streamHeaders
        headers.contentType = HTTPMediaType(type: "video", subType: "x-flv")
        return Response(status: .ok, headers: headers, body: .init(asyncStream: { writer in
            var muxer: FLVMuxer?
            do {
                while let event = try await viewer.stream.next() {
                    switch event {
                    case let .parameters(parameters):
                        // FLV cannot restart mid-file: a codec change ends it (the player reconnects).
                        if let current = muxer, current.video.codec != parameters.video.codec { throw PlayFailure.codecNotSupported(codec: "change to \(parameters.video.codec)") }
                        if muxer == nil {
                            let fresh = FLVMuxer(video: parameters.video, audio: parameters.audio)
                            muxer = fresh
                            try await writer.write(.buffer(fresh.header()))
                        }
                    case let .frame(frame):
                        if let tag = muxer?.append(frame) { try await writer.write(.buffer(tag)) }
                    }
                }
            } catch {
                req.logger.debug("live.flv ended: \(error)")
            }
            await viewer.finish()
            try? await writer.write(.end)
        }))
    }

    func hlsStart(req: Request) async throws -> Response {
        let viewer = try await Self.open(req)  // throws when media is off
        guard let media = req.application.liveMedia else { throw APIError.notFound("media") }
        let id = await media.hls.open(viewer)
        return req.redirect(to: "/api/v1/hls/\(id)/live.m3u8", redirectType: .normal)
    }

    func hlsFile(req: Request) async throws -> Response {
        let session = req.parameters.get("session") ?? ""
        let file = req.parameters.get("file") ?? ""
        guard let media = req.application.liveMedia, let stream = await media.hls.stream(session) else {
            throw APIError(.notFound, "hls_session_ended", zh: "HLS 会话不存在或已结束，请重新打开", en: "the HLS session does not exist or ended; open the stream again")
        }
        var headers = Self.streamHeaders
        if file == "live.m3u8" {
            headers.contentType = HTTPMediaType(type: "application", subType: "vnd.apple.mpegurl")
            return Response(status: .ok, headers: headers, body: .init(string: stream.playlist()))
        }
        let segment = HLSConfiguration.segmentNumber(in: file).flatMap { stream.segment($0) }
        let initialization = HLSConfiguration.initializationSegmentVersion(in: file).flatMap { stream.initializationSegment(version: $0) }
        guard let bytes = segment ?? initialization else { throw APIError.notFound("HLS segment \(file)") }
        headers.contentType = HTTPMediaType(type: "video", subType: "mp4")
        return Response(status: .ok, headers: headers, body: .init(buffer: bytes))
    }

    func snapshot(req: Request) async throws -> Response {
        let viewer = try await Self.open(req)
        defer { Task { await viewer.finish() } }
        guard let media = req.application.liveMedia else { throw APIError.notFound("media") }
        let jpeg: [UInt8]
        do {
            jpeg = try await Self.firstKeyframeJPEG(viewer, renderer: media.snapshots)
        } catch let error as SnapshotError {
            throw APIError(.badGateway, "snapshot_failed", error.message)
        } catch let failure as PlayFailure {
            throw failure.apiError
        }
        var headers = HTTPHeaders()
        headers.contentType = .jpeg
        headers.replaceOrAdd(name: "Cache-Control", value: "private, max-age=5")
        return Response(status: .ok, headers: headers, body: .init(data: Data(jpeg)))
    }

    /// The GOP cache gives a running stream's last keyframe at once; a new stream's first one.
    static func firstKeyframeJPEG(_ viewer: LiveViewer, renderer: SnapshotRenderer) async throws -> [UInt8] {
        while let event = try await viewer.stream.next() {
            if case let .frame(frame) = event, frame.codec.isVideo, frame.isKeyframe {
                return try await renderer.snapshot(camera: viewer.camera, keyframe: frame)
            }
        }
        throw PlayFailure.sourceFailed(reason: "the stream ended before its first keyframe")
    }
}
