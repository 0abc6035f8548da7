import Foundation
import GBCore
import Media
import Sharing
import Synchronization
import Vapor

/// One person watching one camera, whatever carries the bytes (HTTP fMP4/FLV, WebSocket, snapshot):
/// Sharing decides and records the start (`beginView`), the stream comes from the hub, or from the
/// H.264 hub when the camera sends H.265 and the client cannot decode it, and `finish` records the
/// stop with its duration. A grant revoked or expired while watching cuts the stream within the
/// sweep interval: the subscription is cancelled and `cutReason` says why.
final class LiveViewer: Sendable {
    let camera: String
    let ticket: ViewTicket
    let stream: ViewerStream
    /// The camera's codec parameters as delivered (after transcoding when `transcoded`).
    let parameters: StreamParameters
    let transcoded: Bool
    private let sharing: SharingService
    private let state: Mutex<(cut: AccessDecision?, finished: Bool)>

    private init(camera: String, ticket: ViewTicket, stream: ViewerStream, parameters: StreamParameters, transcoded: Bool,
                 sharing: SharingService) {
        self.camera = camera
        self.ticket = ticket
        self.stream = stream
        self.parameters = parameters
        self.transcoded = transcoded
        self.sharing = sharing
        self.state = Mutex((nil, false))
    }

    /// Why the view was cut by a grant change, if it was.
    var cutReason: LocalizedText? { state.withLock { $0.cut?.message } }

    /// Decides, audits and starts watching; returns once the first parameters arrived, so a play that
    /// fails throws its `PlayFailure` here (before any byte of a response is sent). Refusals throw
    /// the API's 403 with Sharing's reason code.
    /// `purpose` is the one stated with this view, if any; `sessionToken` the login it is remembered for.
    static func open(_ req: Request, camera: String, purpose: String, sessionToken: String?, acceptsHEVC: Bool) async throws -> LiveViewer {
        guard let media = req.application.liveMedia else {
            throw APIError(.serviceUnavailable, "media_off", zh: "本节点未启用视频（信令未运行）", en: "live video is off on this node (signalling is not running)")
        }
        let principal = try req.principal
        let sharing = req.application.sharing
        let cut = CutSignal()
        let purpose = try await ViewPurpose.resolve(stated: purpose, on: req, token: sessionToken)
        let ticket = try await sharing.beginView(principal, cameraCode: camera, context: AccessContext(purpose: purpose, clientAddress: req.clientAddress)) { decision in
            cut.fire(decision)
        }
        do {
            var stream = ViewerStream(await media.hub.subscribe(StreamKey(camera: camera)))
            var parameters = try await stream.parameters()
            var transcoded = false
            if parameters.video.codec == .h265 && !acceptsHEVC {
                let h264 = ViewerStream(await media.h264Hub.subscribe(StreamKey(camera: camera)))
                await stream.subscription.cancel()
                stream = h264
                parameters = try await stream.parameters()
                transcoded = true
            }
            let viewer = LiveViewer(camera: camera, ticket: ticket, stream: stream, parameters: parameters, transcoded: transcoded,
                                    sharing: sharing)
            cut.attach { decision in
                viewer.state.withLock { $0.cut = decision }
                Task { await viewer.stream.subscription.cancel() }
            }
            return viewer
        } catch {
            await sharing.endView(ticket.session.id)
            throw error
        }
    }

    var isFinished: Bool { state.withLock { $0.finished } }

    /// Ends the subscription and records the stop (once).
    func finish() async {
        let first = state.withLock { s in
            defer { s.finished = true }
            return !s.finished
        }
        guard first else { return }
        await stream.subscription.cancel()
        await sharing.endView(ticket.session.id)
    }
}

/// A hub subscription read by one task at a time: the route peeks at the first event (the codec
/// parameters) before it answers, then hands the same stream to the writer that sends the body.
/// `@unchecked Sendable`: the iterator is only touched by whichever single task holds the viewer at
/// that moment (route, then writer), never by two at once.
final class ViewerStream: @unchecked Sendable {
    let subscription: StreamSubscription
    private var iterator: StreamSubscription.Iterator
    private var pending: ViewerEvent?

    init(_ subscription: StreamSubscription) {
        self.subscription = subscription
        self.iterator = subscription.makeAsyncIterator()
    }

    func next() async throws -> ViewerEvent? {
        if let event = pending {
            pending = nil
            return event
        }
        return try await iterator.next()
    }

    /// Waits for the first parameters event and keeps it for `next()`. The hub sends parameters
    /// first; a stream that ends before them failed to start.
    func parameters() async throws -> StreamParameters {
        while true {
            guard let event = try await iterator.next() else {
                throw PlayFailure.sourceFailed(reason: "the stream ended before it started")
            }
            if case let .parameters(parameters) = event {
                pending = event
                return parameters
            }
        }
    }
}
