import Foundation
import GB28181
import Media
import Sharing
import Vapor

/// Recordings kept on the device (spec §5.1 Playback / Download INVITE) as fragmented MP4:
/// `playback.mp4` plays a time range, `download.mp4` fetches it at the device's speed-up as a file
/// whose metadata (moov/udta comment) names the audit entry that allowed it (002 section 14.7).
/// Both ask Sharing first: the playback or download permission, a purpose where policy requires one,
/// and for a download the destination; each is recorded before any INVITE.
/// `?from=…&to=…` are ISO 8601 times (`2026-11-21T08:00:00+08:00`).
struct RecordingRoutes {
    func boot(routes: any RoutesBuilder) {
        let camera = routes.grouped("cameras", ":code")
        camera.get("playback.mp4", use: playback)
        camera.get("download.mp4", use: download)
    }

    static func range(_ req: Request) throws -> (from: Date, to: Date) {
        let parser = ISO8601DateFormatter()
        guard let from = req.query[String.self, at: "from"].flatMap(parser.date(from:)),
              let to = req.query[String.self, at: "to"].flatMap(parser.date(from:)), to > from else {
            throw APIError.badRequest("需要 from 和 to（ISO 8601，如 2026-11-21T08:00:00+08:00），且 to 晚于 from",
                                      "from and to are required (ISO 8601, e.g. 2026-11-21T08:00:00+08:00), to after from")
        }
        guard to.timeIntervalSince(from) <= 24 * 3600 else {
            throw APIError.badRequest("一次最多 24 小时", "at most 24 hours at a time")
        }
        return (from, to)
    }

    static func context(_ req: Request) -> AccessContext {
        AccessContext(purpose: req.query[String.self, at: "purpose"] ?? "", destination: req.query[String.self, at: "destination"] ?? "",
                      clientAddress: req.clientAddress)
    }

    func playback(req: Request) async throws -> Response {
        try await Self.recording(req, action: .playback)
    }

    func download(req: Request) async throws -> Response {
        try await Self.recording(req, action: .download)
    }

    /// Decides, records and registers the session (Sharing), then streams it; a grant change that ends the
    /// session cuts the stream, and its end is recorded with the duration.
    static func recording(_ req: Request, action: AccessAction) async throws -> Response {
        let code = req.parameters.get("code") ?? ""
        let (from, to) = try Self.range(req)
        let sharing = req.application.sharing
        let cut = CutSignal()
        let ticket: RecordingTicket
        ticket = try await sharing.beginRecording(try req.principal, cameraCode: code, action: action, from: from, to: to,
                                                  context: Self.context(req)) { decision in cut.fire(decision) }
        let start = Int64(from.timeIntervalSince1970), end = Int64(to.timeIntervalSince1970)
        let sessionID = ticket.session.id
        let ended: @Sendable () async -> Void = { await sharing.endView(sessionID) }
        do {
            if action == .download {
                let comment = "GBShare audit entry \(ticket.auditEntry); \(ticket.watermark.user); \(code)"
                return try await Self.stream(req, camera: code, request: .download(start: start, end: end, speed: 4), comment: comment,
                                             length: to.timeIntervalSince(from), filename: "\(code)-\(ticket.auditEntry).mp4",
                                             auditEntry: ticket.auditEntry, cut: cut, ended: ended)
            }
            return try await Self.stream(req, camera: code, request: .playback(start: start, end: end), comment: nil, length: nil,
                                         filename: nil, cut: cut, ended: ended)
        } catch {
            await ended()
            throw error
        }
    }

    /// One recording session of its own (a playback is paced for the viewer who asked), ended when the
    /// device ends it, when `length` seconds of media arrived (a download), or when the client leaves.
    static func stream(_ req: Request, camera: String, request: MediaRequest, comment: String?, length: TimeInterval?,
                       filename: String?, auditEntry: Int64? = nil, cut: CutSignal, ended: @escaping @Sendable () async -> Void) async throws -> Response {
        guard let media = req.application.liveMedia else {
            throw APIError(.serviceUnavailable, "media_off", zh: "本节点未启用视频（信令未运行）", en: "video is off on this node (signalling is not running)")
        }
        let session = UUID().uuidString
        media.source.prepare(request, session: session)
        let stream = ViewerStream(await media.hub.subscribe(StreamKey(camera: camera, kind: .playback(session: session))))
        // A grant change may cut the session from now on (or may have already).
        cut.attach { _ in Task { await stream.subscription.cancel() } }
        do {
            _ = try await stream.parameters()
        } catch let failure as PlayFailure {
            media.source.forget(session: session)
            await stream.subscription.cancel()
            throw failure.apiError
        }
        var headers = LiveRoutes.streamHeaders
        headers.contentType = HTTPMediaType(type: "video", subType: "mp4")
        if let filename { headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(filename)\"") }
        if let auditEntry { headers.replaceOrAdd(name: "X-Audit-Entry", value: String(auditEntry)) }
        return Response(status: .ok, headers: headers, body: .init(asyncStream: { writer in
            var muxer = FragmentedMP4ViewerWriter(mode: .perFrame, comment: comment)
            var firstPTS: Int64?
            do {
                while let event = try await stream.next() {
                    if let length, case let .frame(frame) = event, frame.codec.isVideo {
                        let start = firstPTS ?? frame.pts
                        firstPTS = start
                        if Double(frame.pts - start) / Double(MediaFrame.clockRate) >= length { break }
                    }
                    for chunk in muxer.write(event) { try await writer.write(.buffer(chunk)) }
                }
                if let last = muxer.finish() { try await writer.write(.buffer(last)) }
            } catch {
                req.logger.debug("recording stream ended: \(error)")
            }
            await stream.subscription.cancel()
            media.source.forget(session: session)
            await ended()
            try? await writer.write(.end)
        }))
    }
}
