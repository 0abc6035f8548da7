import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Media
import Testing
import Vapor

/// Live video through the real `gbshare serve`: a sipp camera (../shared/peers/sipp
/// gb_device_ooc_media.xml) answers the INVITE and replays PS/RTP of 1080p25 H.264 to our RTP port
/// with its own SSRC (not our y=, like many devices); ffprobe reads what we serve as live.mp4,
/// live.flv and HLS; views, PTZ and refusals land in the audit log; an offline camera's play fails
/// at the step "device offline", in words.
@Suite(.serialized) struct LiveVideoEndToEndTests {
    typealias E2E = SignallingEndToEndTests
    static let pcap = E2E.sippFolder.appendingPathComponent("pcap/ps_h264_1080p25_ssrc100000001.pcap").path
    static let pcapH265 = E2E.sippFolder.appendingPathComponent("pcap/ps_h265_1080p25_ssrc100000001.pcap").path

    /// A server with media on a random RTP port, and a camera streaming from sipp.
    /// The camera's own department (29, division 340200) watches; an auditor reads the log.
    /// `pcap` nil: the device answers the INVITE but sends nothing itself (the test sends the media).
    static func withCamera(pcap: String? = pcap, serverArguments: [String] = [],
                           _ body: (E2E.Server, _ viewer: String, _ auditor: String) async throws -> Void) async throws {
        let rtp = try ConsoleBrowserTests.freePort()
        let server = try E2E.Server(keepaliveSeconds: 2, extraArguments: ["--rtp-port", String(rtp), "--media-host", "127.0.0.1",
                                                                          "--viewer-grace", "0"] + serverArguments)
        defer { server.stop() }
        try await server.start()
        let device = try E2E.sipp(server: server, transport: "u1", devices: "\(E2E.filedDevice);12345678", keepalives: 200,
                                  outOfCall: pcap == nil ? "gb_device_ooc.xml" : "gb_device_ooc_media.xml",
                                  extraArguments: pcap.map { ["-key", "pcap", $0] } ?? [])
        defer { device.terminate() }
        try await server.waitFor("the camera online", seconds: 30) { try await E2E.device(server, E2E.filedDevice)["online"] as? Bool == true }
        let viewer = try await server.viewer("duty", role: "department_operator", department: "29", division: "340200")
        let auditor = try await server.user("auditor", role: "auditor")
        try await body(server, viewer, auditor)
    }

    /// ffprobe's view of a URL: the first video stream's codec, width and height, and with `countSeconds`
    /// the number of frames it decoded in that many seconds of the stream.
    static func probe(_ url: String, token: String?, countSeconds: Int? = nil) throws -> (codec: String, width: Int, height: Int, format: String, frames: Int) {
        var arguments = ["-v", "error", "-rw_timeout", "20000000", "-show_entries", "stream=codec_name,width,height,nb_read_frames:format=format_name",
                         "-select_streams", "v:0", "-of", "json"]
        if let countSeconds { arguments += ["-count_frames", "-read_intervals", "%+\(countSeconds)"] }
        if let token { arguments += ["-headers", "Authorization: Bearer \(token)\r\n"] }
        let output = try Tool.run("/usr/bin/ffprobe", arguments + [url], timeout: 40)
        let json = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any] ?? [:]
        let stream = (json["streams"] as? [[String: Any]])?.first ?? [:]
        let format = (json["format"] as? [String: Any])?["format_name"] as? String ?? ""
        return (stream["codec_name"] as? String ?? "?(\(output.stderr))", stream["width"] as? Int ?? 0, stream["height"] as? Int ?? 0, format,
                Int(stream["nb_read_frames"] as? String ?? "") ?? 0)
    }

    @Test func liveMP4FLVAndHLSAreReadableByFFprobe() async throws {
        try await Self.withCamera { server, viewer, auditor in
            let base = "http://127.0.0.1:\(server.http)/api/v1/cameras/\(E2E.filedDevice)"
            // HLS: the authenticated request opens a session and redirects to its playlist, which fills
            // with fMP4 segments of about two seconds.
            var request = URLRequest(url: URL(string: "\(base)/live.m3u8")!)
            request.setValue("Bearer \(viewer)", forHTTPHeaderField: "Authorization")
            let (_, response) = try await URLSession.shared.data(for: request)
            let playlistURL = try #require(response.url)
            #expect(playlistURL.path.hasPrefix("/api/v1/hls/"))
            var playlist = ""
            for _ in 0..<60 where !playlist.contains("#EXTINF") {
                try await Task.sleep(for: .milliseconds(250))
                playlist = String(decoding: try await URLSession.shared.data(from: playlistURL).0, as: UTF8.self)
            }
            #expect(playlist.contains("#EXT-X-MAP"), "\(playlist)")
            let hls = try Self.probe(playlistURL.absoluteString, token: nil)
            #expect(hls.codec == "h264" && hls.width == 1920, "\(hls)")
            // Four seconds of 25 fps video: about 100 frames decoded (the GOP cache may add the frames
            // since the last keyframe at the start).
            let mp4 = try Self.probe("\(base)/live.mp4", token: viewer, countSeconds: 4)
            #expect(mp4.codec == "h264")
            #expect(mp4.width == 1920 && mp4.height == 1080)
            #expect(mp4.format.contains("mp4"))
            #expect(mp4.frames >= 90 && mp4.frames <= 160, "\(mp4)")
            let flv = try Self.probe("\(base)/live.flv", token: viewer)
            #expect(flv.codec == "h264" && flv.format == "flv", "\(flv)")
            // A snapshot of the latest keyframe.
            var snapshot = URLRequest(url: URL(string: "\(base)/snapshot.jpg")!)
            snapshot.setValue("Bearer \(viewer)", forHTTPHeaderField: "Authorization")
            let jpeg = try await URLSession.shared.data(for: snapshot).0
            #expect(jpeg.prefix(2) == Data([0xFF, 0xD8]))
            // Every view is on record with its camera.
            let audit = try await server.request("GET", "/api/v1/audit?action=media.view_start&limit=50", token: auditor)
            let entries = audit["entries"] as? [[String: Any]] ?? []
            #expect(entries.filter { ($0["draft"] as? [String: Any])?["camera"] as? String == E2E.filedDevice }.count >= 3, "\(audit)")
        }
    }

    /// The purpose of use (002 第十四条七) is asked for live once per login: a login that stated none is
    /// refused with purpose_required; a purpose stated with one view is remembered, and every later
    /// view of that login is audited with it; a new login asks again.
    @Test func livePurposeIsAskedOncePerLogin() async throws {
        try await Self.withCamera { server, _, auditor in
            let base = "http://127.0.0.1:\(server.http)/api/v1/cameras/\(E2E.filedDevice)"
            let patrol = try await server.user("patrol", role: "department_operator", department: "29", division: "340200")
            let refused = try await server.request("GET", "/api/v1/cameras/\(E2E.filedDevice)/live.mp4", token: patrol)
            #expect((refused["error"] as? [String: Any])?["code"] as? String == "purpose_required", "\(refused)")
            let blank = try await server.request("PUT", "/api/v1/auth/session/purpose", body: #"{"purpose":" \n "}"#, token: patrol)
            #expect((blank["error"] as? [String: Any])?["code"] as? String == "purpose_required", "\(blank)")

            let stated = try Self.probe("\(base)/live.mp4?purpose=%E4%BA%A4%E9%80%9A%E4%BA%8B%E6%95%85%0A%E6%A0%B8%E6%9F%A5", token: patrol, countSeconds: 1)
            #expect(stated.codec == "h264", "\(stated)")
            let remembered = try Self.probe("\(base)/live.mp4", token: patrol, countSeconds: 1)
            #expect(remembered.codec == "h264", "\(remembered)")
            let me = try await server.request("GET", "/api/v1/auth/me", token: patrol)
            #expect(me["viewPurpose"] as? String == "交通事故 核查", "a line break is flattened: \(me)")
            #expect((me["purposeRequiredFor"] as? [String] ?? []).contains("live"), "\(me)")

            let audit = try await server.request("GET", "/api/v1/audit?action=media.view_start&actor=patrol&limit=50", token: auditor)
            let drafts = (audit["entries"] as? [[String: Any]] ?? []).compactMap { $0["draft"] as? [String: Any] }.filter { $0["actor"] as? String == "patrol" && $0["result"] as? String == "ok" }
            #expect(drafts.count >= 2, "\(audit)")
            #expect(drafts.allSatisfy { $0["purpose"] as? String == "交通事故 核查" }, "\(drafts)")

            let again = try await server.request("POST", "/api/v1/auth/login", body: #"{"username":"patrol","password":"E2e#Passw0rd"}"#, token: "")
            let secondLogin = try #require(again["token"] as? String)
            let refusedAgain = try await server.request("GET", "/api/v1/cameras/\(E2E.filedDevice)/live.mp4", token: secondLogin)
            #expect((refusedAgain["error"] as? [String: Any])?["code"] as? String == "purpose_required", "a new login states its own purpose: \(refusedAgain)")
        }
    }

    /// An H.265 camera: delivered as H.265 to a client that decodes it, and transcoded to H.264 with
    /// ffmpeg for one that asks for H.264 (Chromium here has no HEVC).
    @Test func h265IsServedAsIsAndTranscodedOnDemand() async throws {
        try await Self.withCamera(pcap: Self.pcapH265) { server, viewer, _ in
            let base = "http://127.0.0.1:\(server.http)/api/v1/cameras/\(E2E.filedDevice)"
            let native = try Self.probe("\(base)/live.mp4", token: viewer, countSeconds: 3)
            #expect(native.codec == "hevc" && native.width == 1920 && native.height == 1080, "\(native)")
            #expect(native.frames >= 60, "\(native)")
            let transcoded = try Self.probe("\(base)/live.mp4?codec=h264", token: viewer, countSeconds: 2)
            #expect(transcoded.codec == "h264" && transcoded.width == 1920, "\(transcoded)")
            #expect(transcoded.frames >= 30, "\(transcoded)")
        }
    }

    /// TCP passive (spec §5.5): the offer says `a=setup:passive` and the device connects to our RTP
    /// port, RFC 4571 framing. sipp cannot send media over TCP, so the test plays the device's media
    /// side with Media's RTP sender over TCP, as a camera would after the 200 OK.
    @Test func tcpPassiveMedia() async throws {
        try await Self.withCamera(pcap: nil, serverArguments: ["--rtp-transport", "tcp-passive"]) { server, viewer, _ in
            let rtpPort = try #require(Int(server.arguments[server.arguments.firstIndex(of: "--rtp-port")! + 1]))
            let program = PSReplayProgram(psFile: Array(try Data(contentsOf: URL(fileURLWithPath: "\(E2E.sippFolder.deletingLastPathComponent().path)/ps/gb_ps_h264_1080p25_zlm.ps"))))
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            let sender = Task {
                try await Task.sleep(for: .seconds(1))  // after the INVITE went out
                return try await RTPReplaySender.start(program: program, targets: [.init(ssrc: 100_000_001, port: rtpPort)],
                                                       transport: .tcp, group: group)
            }
            let probe = try Self.probe("http://127.0.0.1:\(server.http)/api/v1/cameras/\(E2E.filedDevice)/live.mp4", token: viewer, countSeconds: 2)
            #expect(probe.codec == "h264" && probe.width == 1920, "\(probe)")
            #expect(probe.frames >= 40, "\(probe)")
            await (try? sender.value)?.stop()
            try await group.shutdownGracefully()
        }
    }

    /// A camera that answers the INVITE but never sends: the play fails at "no RTP arrived at
    /// address:port" in words, and nothing stays behind (session, SSRC lease, ingest registration).
    @Test func aSilentCameraFailsAtNoRTPAndLeavesNothingBehind() async throws {
        try await Self.withCamera(pcap: nil) { server, viewer, _ in
            let answer = try await server.request("GET", "/api/v1/cameras/\(E2E.filedDevice)/live.mp4", token: viewer)
            let error = answer["error"] as? [String: Any] ?? [:]
            #expect(error["code"] as? String == "no_rtp", "\(answer)")
            #expect((error["en"] as? String ?? "").contains("127.0.0.1:"), "\(answer)")
            try await server.waitFor("the session and its leases released") {
                let status = try await server.request("GET", "/api/v1/media/status")
                return status["sessions"] as? Int == 0 && status["registeredIngestStreams"] as? Int == 0
                    && (status["streams"] as? [Any])?.isEmpty == true
            }
        }
    }

    /// Issue 5 through media: another department watches under a grant (asked, approved by the owning
    /// department and the police); revoking the grant cuts the running stream, and the cut is on record.
    @Test func revokingAGrantCutsTheRunningStream() async throws {
        try await Self.withCamera { server, _, auditor in
            let health = try await server.viewer("health", role: "department_operator", department: "19", division: "340200")
            let police = try await server.user("police", role: "police_reviewer")
            let owner = try await server.user("owner", role: "department_admin", department: "29", division: "340200")
            let submitted = try await server.request("POST", "/api/v1/share-requests", body: """
                {"cameras":["\(E2E.filedDevice)"],"permissions":"1","purpose":"防汛值守","days":1}
                """, token: health)
            let requestID = try #require((submitted["request"] as? [String: Any])?["id"] as? String, "\(submitted)")
            for reviewer in [owner, police] {
                _ = try await server.request("POST", "/api/v1/share-requests/\(requestID)/reviews", body: #"{"decision":"approve","comment":"同意"}"#,
                                             token: reviewer)
            }
            let grants = try await server.requestJSON("GET", "/api/v1/grants", token: health) as? [[String: Any]] ?? []
            let grantID = try #require(grants.first?["id"] as? String, "\(grants)")
            // The stream, read by curl until the server ends it.
            let output = FileManager.default.temporaryDirectory.appendingPathComponent("cut-\(UUID().uuidString).mp4").path
            let url = "http://127.0.0.1:\(server.http)/api/v1/cameras/\(E2E.filedDevice)/live.mp4"
            let curl = Task.detached {
                try Tool.run("/usr/bin/curl", ["-s", "-N", "-H", "Authorization: Bearer \(health)", "-o", output, url], timeout: 60)
            }
            try await server.waitFor("the stream to flow") {
                ((try? FileManager.default.attributesOfItem(atPath: output)[.size] as? Int) ?? 0) > 10_000
            }
            _ = try await server.request("POST", "/api/v1/grants/\(grantID)/revoke", body: #"{"reason":"任务结束"}"#, token: owner)
            let result = try await curl.value
            #expect(result.status == 0, "\(result)")
            let audit = try await server.request("GET", "/api/v1/audit?action=media.stream_cut&limit=10", token: auditor)
            #expect((audit["entries"] as? [[String: Any]] ?? []).contains { ($0["draft"] as? [String: Any])?["camera"] as? String == E2E.filedDevice },
                    "\(audit)")
            // The cut view is recorded by the cut (with its duration), not again as a stop.
            let status = try await server.request("GET", "/api/v1/media/status")
            #expect((status["streams"] as? [[String: Any]] ?? []).allSatisfy { $0["viewers"] as? Int == 0 }, "\(status)")
        }
    }

    /// The console's transport: one WebSocket, the token in the first message, a tile number on
    /// every binary message, the initialization segment first, fragments after.
    @Test func oneWebSocketCarriesATilesFragmentedMP4() async throws {
        try await Self.withCamera { server, viewer, _ in
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            let (events, continuation) = AsyncStream<(text: String?, binary: [UInt8]?)>.makeStream()
            let socketBox = SocketBox()
            // A 1080p keyframe's fragment is far above the client's default 16 KiB frame limit.
            let configuration = WebSocketClient.Configuration(maxFrameSize: 1 << 24)
            let timeout = Task {
                try? await Task.sleep(for: .seconds(40))
                continuation.finish()
            }
            defer { timeout.cancel() }
            try await WebSocket.connect(to: "ws://127.0.0.1:\(server.http)/api/v1/live/ws", configuration: configuration, on: group) { ws in
                socketBox.set(ws)
                // The async handlers: they register on the socket's event loop (the upgrade callback runs off it).
                ws.onText { _, text async in continuation.yield((text, nil)) }
                ws.onBinary { _, buffer async in continuation.yield((nil, Array(buffer.readableBytesView))) }
                ws.onClose.whenComplete { _ in continuation.finish() }
                try? await ws.send(#"{"op":"auth","token":"\#(viewer)"}"#)
                try? await ws.send(#"{"op":"open","tile":3,"camera":"\#(E2E.filedDevice)","codecs":["avc1"]}"#)
            }
            var texts: [String] = []
            var binaries: [[UInt8]] = []
            for await event in events {
                if let text = event.text { texts.append(text) }
                if let binary = event.binary { binaries.append(binary) }
                if binaries.count >= 30 { break }
            }
            try? await socketBox.socket?.close()
            #expect(texts.first?.contains("\"ready\"") == true, "\(texts) closed: \(socketBox.socket.map { "\($0.closeCode.map { "\($0)" } ?? "open")" } ?? "no socket")")
            #expect(texts.contains { $0.contains("\"init\"") && $0.contains("avc1") && $0.contains("1920") }, "\(texts)")
            #expect(binaries.allSatisfy { $0.first == 3 })
            #expect(binaries.first.map { Array($0[5..<9]) == Array("ftyp".utf8) } == true)
            #expect(binaries.dropFirst().contains { Array($0[5..<9]) == Array("moof".utf8) })
            // A socket whose first message is not a valid token is closed.
            let (closed, closedContinuation) = AsyncStream<String>.makeStream()
            try await WebSocket.connect(to: "ws://127.0.0.1:\(server.http)/api/v1/live/ws", on: group) { ws in
                ws.onClose.whenComplete { _ in
                    closedContinuation.yield(ws.closeCode.map { "\($0)" } ?? "none")
                    closedContinuation.finish()
                }
                try? await ws.send(#"{"op":"auth","token":"forged"}"#)
            }
            var code = ""
            for await value in closed { code = value }
            #expect(code.contains("4401"), "\(code)")
            try await group.shutdownGracefully()
        }
    }

    /// Recordings: a playback and a download INVITE (s=Playback / s=Download) for a time range; the
    /// purpose is required by the default policy; the downloaded file names its audit entry in its
    /// metadata, and both are on record.
    @Test func playbackAndDownloadAskForAPurposeAndAreRecorded() async throws {
        try await Self.withCamera { server, viewer, auditor in
            let base = "http://127.0.0.1:\(server.http)/api/v1/cameras/\(E2E.filedDevice)"
            let range = "from=2026-11-21T08:00:00%2B08:00&to=2026-11-21T08:00:04%2B08:00"
            let refused = try await server.request("GET", "/api/v1/cameras/\(E2E.filedDevice)/download.mp4?\(range)", token: viewer)
            #expect((refused["error"] as? [String: Any])?["code"] as? String == "purpose_required", "\(refused)")
            let playback = try Self.probe("\(base)/playback.mp4?\(range)&purpose=%E6%A1%88%E4%BB%B6%E5%9B%9E%E6%94%BE", token: viewer)
            #expect(playback.codec == "h264" && playback.width == 1920, "\(playback)")
            // The download ends by itself after the four seconds asked for.
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("download-\(UUID().uuidString).mp4").path
            let curl = try Tool.run("/usr/bin/curl", ["-s", "-H", "Authorization: Bearer \(viewer)", "-o", file,
                                                      "\(base)/download.mp4?\(range)&purpose=%E5%8F%96%E8%AF%81&destination=evidence-room"], timeout: 40)
            #expect(curl.status == 0)
            let probe = try Tool.run("/usr/bin/ffprobe", ["-v", "error", "-count_frames", "-show_entries", "stream=codec_name,nb_read_frames:format_tags=comment",
                                                          "-select_streams", "v:0", "-of", "json", file], timeout: 30)
            let json = try JSONSerialization.jsonObject(with: Data(probe.stdout.utf8)) as? [String: Any] ?? [:]
            let comment = ((json["format"] as? [String: Any])?["tags"] as? [String: Any])?["comment"] as? String ?? ""
            let frames = Int(((json["streams"] as? [[String: Any]])?.first?["nb_read_frames"] as? String) ?? "") ?? 0
            #expect(comment.hasPrefix("GBShare audit entry "), "\(probe.stdout) \(probe.stderr)")
            #expect(frames >= 75 && frames <= 110, "\(frames) frames for 4 s at 25 fps")
            let audit = try await server.request("GET", "/api/v1/audit?action=media.download&limit=10", token: auditor)
            let entries = audit["entries"] as? [[String: Any]] ?? []
            let seq = comment.split(separator: " ").dropFirst(3).first.map { String($0.dropLast()) } ?? ""
            #expect(entries.contains { "\($0["seq"] ?? "")" == seq && (($0["draft"] as? [String: Any])?["detail"] as? String ?? "").contains("evidence-room") },
                    "\(seq) \(audit)")
        }
    }

    @Test func ptzIsSentAndAudited() async throws {
        try await Self.withCamera { server, viewer, auditor in
            let path = "/api/v1/cameras/\(E2E.filedDevice)/ptz"
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(server.http)\(path)")!)
            request.httpMethod = "POST"
            request.setValue("Bearer \(viewer)", forHTTPHeaderField: "Authorization")
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(#"{"action":"left","speed":100}"#.utf8)
            let (body, response) = try await URLSession.shared.data(for: request)
            #expect((response as? HTTPURLResponse)?.statusCode == 204, "\(String(decoding: body, as: UTF8.self))")
            let audit = try await server.request("GET", "/api/v1/audit?action=device.ptz&limit=10", token: auditor)
            #expect((audit["entries"] as? [[String: Any]] ?? []).contains { (($0["draft"] as? [String: Any])?["detail"] as? String ?? "").contains("left") }, "\(audit)")
        }
    }

    @Test func anOfflineCameraFailsAtTheStepInWords() async throws {
        let server = try E2E.Server(extraArguments: ["--rtp-port", String(try ConsoleBrowserTests.freePort()), "--media-host", "127.0.0.1"])
        defer { server.stop() }
        try await server.start()
        let viewer = try await server.viewer("duty", role: "department_operator", department: "29", division: "340200")
        let answer = try await server.request("GET", "/api/v1/cameras/\(E2E.filedDevice)/live.mp4", token: viewer)
        let error = answer["error"] as? [String: Any] ?? [:]
        #expect(error["code"] as? String == "device_offline", "\(answer)")
        #expect((error["zh"] as? String ?? "").contains("不在线"))
    }
}

/// Holds the test's client socket for closing it after the events were read.
final class SocketBox: @unchecked Sendable {
    // Set once from the upgrade callback before any event is read; read after the loop.
    private let lock = NSLock()
    private var value: WebSocket?
    func set(_ socket: WebSocket) { lock.withLock { value = socket } }
    var socket: WebSocket? { lock.withLock { value } }
}

/// Runs a tool (ffprobe) with a deadline, collecting its output.
enum Tool {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ path: String, _ arguments: [String], timeout: TimeInterval) throws -> Output {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw TestSetupError("\(path) is missing: scripts/test installs it with apt-get")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        // Read while it runs, so a full pipe never blocks it.
        let stdout = Collector(out.fileHandleForReading), stderr = Collector(err.fileHandleForReading)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: stdout.finish(), stderr: stderr.finish())
    }

    final class Collector: @unchecked Sendable {
        // Written by the reading thread, read after it finished (join through the semaphore).
        private var data = Data()
        private let done = DispatchSemaphore(value: 0)

        init(_ handle: FileHandle) {
            Thread.detachNewThread { [self] in
                data = handle.readDataToEndOfFile()
                done.signal()
            }
        }

        func finish() -> String {
            done.wait()
            return String(decoding: data, as: UTF8.self)
        }
    }
}
