import Foundation
import GBCore
import Media
import NIOCore
import Sharing
import Vapor

/// `GET /api/v1/live/ws`: every tile of a console page on one WebSocket (browsers allow about six
/// HTTP connections per host, so a 16-tile grid of HTTP streams would stall). Browsers cannot set
/// an Authorization header on a WebSocket, so the first text message carries the token.
///
/// Client → `{"op":"auth","token":…}`, `{"op":"open","tile":N,"camera":…,"codecs":["avc1","hvc1"],"purpose":…}`,
/// `{"op":"close","tile":N}`. Server → `{"event":"ready","watermark":…}`, `{"event":"progress","tile":N,"step":…}`,
/// `{"event":"init","tile":N,"mime":…,"width":…,"height":…,"transcoded":…}`, then binary messages of one tile
/// byte + fMP4 (initialization segment first), `{"event":"failed","tile":N,"step":…,"code":…,"message":{zh,en}}`,
/// `{"event":"ended","tile":N,"message":{zh,en}}`. Unauthenticated sockets are closed with 4401.
struct LiveSocketRoutes {
    let config: GBShareConfig

    func boot(open: any RoutesBuilder) {
        open.webSocket("live", "ws", maxFrameSize: .init(integerLiteral: 1 << 16)) { req, ws in
            let session = LiveSocketSession(request: req, socket: ws, config: config)
            // Messages are handled one after the other, in order: an `open` sent right behind the
            // `auth` must not overtake it while the token is being checked.
            let (inbox, messages) = AsyncStream<String>.makeStream()
            ws.onText { _, text in messages.yield(text) }
            ws.onClose.whenComplete { _ in
                messages.finish()
                Task { await session.closed() }
            }
            Task {
                for await text in inbox { await session.received(text) }
            }
            Task { await session.expectAuthentication() }
        }
    }
}

actor LiveSocketSession {
    private let request: Request
    private let socket: WebSocket
    private let config: GBShareConfig
    private var authenticated = false
    /// The token the socket authenticated with: checked again before every `open` and every
    /// `sessionCheckInterval`, so a logout, password change, lock or expiry ends the socket's views too
    /// (it was once checked only at `auth`, and a logged-out socket went on opening cameras).
    private var token: String?
    private var sessionWatch: Task<Void, Never>?
    static let sessionCheckInterval: Duration = .seconds(15)
    private var tiles: [Int: Task<Void, Never>] = [:]
    /// The running view of each tile, ended at once on close (a stalled stream would otherwise hold
    /// its task until the stall timeout).
    private var viewers: [Int: LiveViewer] = [:]
    static let maxTiles = 64

    init(request: Request, socket: WebSocket, config: GBShareConfig) {
        self.request = request
        self.socket = socket
        self.config = config
    }

    /// A socket that does not authenticate within 10 s is closed.
    func expectAuthentication() async {
        try? await Task.sleep(for: .seconds(10))
        if !authenticated { try? await socket.close(code: .unknown(4401)) }
    }

    struct Command: Decodable {
        var op: String
        var token: String?
        var tile: Int?
        var camera: String?
        var codecs: [String]?
        var purpose: String?
    }

    func received(_ text: String) async {
        guard let command = try? JSONDecoder().decode(Command.self, from: Data(text.utf8)) else {
            return send(["event": "error", "message": Self.text(LocalizedText(zh: "无法解析的消息", en: "unreadable message"))])
        }
        if !authenticated {
            guard command.op == "auth", let token = command.token else { return await refuse() }
            return await authenticate(token)
        }
        switch command.op {
        case "open":
            guard await sessionStillValid() else { return await endSession() }
            guard let tile = command.tile, (0..<Self.maxTiles).contains(tile), let camera = command.camera else {
                return send(["event": "error", "message": Self.text(LocalizedText(zh: "open 需要 tile（0-63）和 camera", en: "open needs tile (0-63) and camera"))])
            }
            stop(tile)
            let acceptsHEVC = (command.codecs ?? []).contains { $0.hasPrefix("hvc1") || $0.hasPrefix("hev1") }
            tiles[tile] = Task { await self.play(tile: tile, camera: camera, purpose: command.purpose ?? "", acceptsHEVC: acceptsHEVC) }
        case "close":
            if let tile = command.tile { stop(tile) }
        default:
            send(["event": "error", "message": Self.text(LocalizedText(zh: "未知操作 \(command.op)", en: "unknown op \(command.op)"))])
        }
    }

    private func authenticate(_ token: String) async {
        let service = AuthService(database: request.db, config: config)
        guard case .valid(let user) = try? await service.check(token: token) else { return await refuse() }
        request.auth.login(user)
        authenticated = true
        self.token = token
        sessionWatch = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.sessionCheckInterval)
                guard let self, !Task.isCancelled else { return }
                if await !self.sessionStillValid() { return await self.endSession() }
            }
        }
        let department = user.principal.department.label.zh
        send(["event": "ready", "watermark": "\(user.displayName.isEmpty ? user.username : user.displayName) · \(department)"])
    }

    private func refuse() async {
        try? await socket.close(code: .unknown(4401))
    }

    private func sessionStillValid() async -> Bool {
        guard let token else { return false }
        guard case .valid(let user) = try? await AuthService(database: request.db, config: config).check(token: token) else { return false }
        // The login as it is now: a purpose stated since (on another tile, or PUT /auth/session/purpose) counts.
        request.auth.login(user)
        return true
    }

    /// The login behind the socket ended: every view stops and the socket closes as unauthenticated.
    private func endSession() async {
        closed()
        try? await socket.close(code: .unknown(4401))
    }

    /// One tile: decide and start the view, announce the codec, then send its fMP4.
    private func play(tile: Int, camera: String, purpose: String, acceptsHEVC: Bool) async {
        send(["event": "progress", "tile": tile, "step": PlayStep.requested.description])
        let viewer: LiveViewer
        do {
            viewer = try await LiveViewer.open(request, camera: camera, purpose: purpose, sessionToken: token, acceptsHEVC: acceptsHEVC)
        } catch let failure as PlayFailure {
            return send(["event": "failed", "tile": tile, "step": failure.step.description, "code": failure.code, "message": Self.text(failure.message)])
        } catch {
            // The same words the HTTP API would answer: a refusal's reason, or "internal" for our faults only.
            let answer = APIErrorMiddleware.translate(error)
            if answer.status == .internalServerError { request.logger.error("live open failed: \(String(reflecting: error))") }
            return send(["event": "failed", "tile": tile, "step": PlayStep.requested.description, "code": answer.code, "message": Self.text(answer.message)])
        }
        guard !Task.isCancelled else { return await viewer.finish() }
        viewers[tile] = viewer
        defer { if viewers[tile] === viewer { viewers[tile] = nil } }
        var muxer = FragmentedMP4ViewerWriter(mode: .perFrame)
        var announced = false
        var failure: PlayFailure?
        do {
            while !Task.isCancelled, let event = try await viewer.stream.next() {
                let chunks = muxer.write(event)
                if case .parameters(let parameters) = event {
                    send(["event": "init", "tile": tile, "mime": muxer.mimeType ?? "", "width": parameters.video.width,
                          "height": parameters.video.height, "transcoded": viewer.transcoded])
                    announced = true
                }
                guard announced else { continue }
                for chunk in chunks {
                    var framed = ByteBuffer()
                    framed.reserveCapacity(chunk.readableBytes + 1)
                    framed.writeInteger(UInt8(tile))
                    framed.writeImmutableBuffer(chunk)
                    try await socket.send(raw: framed.readableBytesView, opcode: .binary)
                }
            }
        } catch let error as PlayFailure {
            failure = error
        } catch {
            // The socket went away: nothing to tell.
        }
        await viewer.finish()
        guard !Task.isCancelled else { return }
        if let failure {
            send(["event": "failed", "tile": tile, "step": failure.step.description, "code": failure.code, "message": Self.text(failure.message)])
        } else {
            let reason = viewer.cutReason ?? LocalizedText(zh: "码流已结束", en: "the stream ended")
            send(["event": "ended", "tile": tile, "message": Self.text(reason)])
        }
    }

    private func stop(_ tile: Int) {
        tiles.removeValue(forKey: tile)?.cancel()
        if let viewer = viewers.removeValue(forKey: tile) { Task { await viewer.finish() } }
    }

    func closed() {
        sessionWatch?.cancel()
        for tile in Array(tiles.keys) + Array(viewers.keys) { stop(tile) }
    }

    private func send(_ object: [String: Any]) {
        guard let data = try? JSONSerialization.data(withJSONObject: object), let text = String(data: data, encoding: .utf8) else { return }
        socket.send(text)
    }

    private static func text(_ message: LocalizedText) -> [String: String] {
        ["zh": message.zh, "en": message.en]
    }
}
