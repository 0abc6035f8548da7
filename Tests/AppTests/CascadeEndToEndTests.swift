import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// Two real `gbshare serve` on loopback, a city under a province (issue 12): the city's administrator
/// adds the province as its upper platform over the API; the city registers to it with digest; the
/// province reads the city's catalog, which holds exactly the cameras the sharing rules push up
/// (class 1, shared without conditions) and follows a change; every change and every read is audited.
@Suite(.serialized) struct CascadeEndToEndTests {
    typealias E2E = SignallingEndToEndTests
    static let cityID = "34020000002000000002"
    static let provinceID = "34020000002000000001"

    @Test func aCityRegistersToItsProvinceAndSharesItsClassOneCameras() async throws {
        let province = try E2E.Server(keepaliveSeconds: 5)
        defer { province.stop() }
        let city = try E2E.Server(keepaliveSeconds: 5, extraArguments: ["--sip-id", Self.cityID])
        defer { city.stop() }
        try await province.start()
        try await city.start()
        // The province files the city as a lower platform with its own password.
        let filed = try await province.request("POST", "/api/v1/platforms", body: #"{"code":"\#(Self.cityID)","name":"市级视频共享平台"}"#)
        #expect(filed["record"] != nil, "\(filed)")
        let password = try await province.request("PUT", "/api/v1/devices/\(Self.cityID)/password", body: #"{"password":"City#Link2026"}"#)
        #expect(password["error"] == nil, "\(password)")

        // A department administrator of the city may not add an upper platform.
        let departmentAdmin = try await city.user("dept", role: "department_admin", department: "29", division: "340200")
        let refused = try await city.request("POST", "/api/v1/upper-platforms", body: Self.upperBody(province, password: "x"), token: departmentAdmin)
        #expect((refused["error"] as? [String: Any])?["code"] as? String == "role_may_not", "\(refused)")
        let noPassword = try await city.request("POST", "/api/v1/upper-platforms",
                                                body: #"{"platformID":"\#(Self.provinceID)","host":"127.0.0.1","port":\#(province.sip)}"#)
        #expect((noPassword["error"] as? [String: Any])?["code"] as? String == "bad_request", "\(noPassword)")

        let added = try await city.request("POST", "/api/v1/upper-platforms", body: Self.upperBody(province, password: "City#Link2026"))
        #expect(added["platformID"] as? String == Self.provinceID, "\(added)")
        #expect(added["password"] == nil, "the password is write-only")
        try await city.waitFor("the city registered at the province", seconds: 20) {
            try await E2E.device(province, Self.cityID)["online"] as? Bool == true
        }
        let uppers = try await city.requestJSON("GET", "/api/v1/upper-platforms") as? [[String: Any]] ?? []
        #expect(uppers.first?["state"] as? String == "registered", "\(uppers)")

        // The filed camera is class 3 and shared on conditions: the catalog the province read on
        // registration holds none of it.
        try await city.waitFor("the province read the city's catalog", seconds: 20) {
            let progress = try await province.request("GET", "/api/v1/devices/\(Self.cityID)/catalog")
            return progress["running"] as? Bool == false && progress["items"] as? Int == 0
        }
        #expect(try await Self.channels(province).isEmpty)
        // The province's own directory files the camera as reached through the city's platform (a
        // channel is accepted under a lower platform only where the directory files it there).
        let refiled = try await province.request("PATCH", "/api/v1/cameras/\(E2E.filedDevice)", body: #"{"platformCode":"\#(Self.cityID)"}"#)
        #expect(refiled["error"] == nil, "\(refiled)")
        let changed = try await city.request("PATCH", "/api/v1/cameras/\(E2E.filedDevice)", body: #"{"pointClass":"1","shareAttribute":"1"}"#)
        // As class 1 it needs 90 days of recordings (an error finding): until that is filed it is not pushed.
        try await Task.sleep(for: .milliseconds(200))
        _ = try await province.request("POST", "/api/v1/devices/\(Self.cityID)/catalog")
        try await Task.sleep(for: .seconds(1))
        #expect(try await Self.channels(province).isEmpty, "a camera with an error finding is not pushed up")
        let retention = try await city.request("PATCH", "/api/v1/cameras/\(E2E.filedDevice)", body: #"{"retentionDays":"90"}"#)
        #expect((retention["errorCount"] as? Int) == 0, "\(retention)")
        #expect(changed["error"] == nil, "\(changed)")
        // No new query: the province subscribed to the city's catalog when the city came online, and the
        // city's NOTIFY (ADD) brings the change within a keepalive interval (5 s here).
        try await city.waitFor("the province's catalog of the city follows the change by NOTIFY", seconds: 5) {
            try await Self.channels(province) == [E2E.filedDevice]
        }
        let stored = try await province.requestJSON("GET", "/api/v1/devices/\(Self.cityID)/channels") as? [[String: Any]] ?? []
        #expect(stored.first?["parentID"] as? String == Self.cityID && stored.first?["civilCode"] as? String == "340200", "\(stored)")

        // Shared on conditions now: the province is told to delete it (DEL).
        _ = try await city.request("PATCH", "/api/v1/cameras/\(E2E.filedDevice)", body: #"{"shareAttribute":"2"}"#)
        try await city.waitFor("the province's catalog drops the camera the city no longer pushes", seconds: 5) {
            try await Self.channels(province).isEmpty
        }

        let auditor = try await city.user("auditor", role: "auditor")
        let audit = try await city.request("GET", "/api/v1/audit?action=cascade.&limit=50", token: auditor)
        let actions = (audit["entries"] as? [[String: Any]] ?? []).compactMap { ($0["draft"] as? [String: Any])?["action"] as? String }
        #expect(actions.contains("cascade.upper_platform_edit") && actions.filter { $0 == "cascade.catalog_read" }.count >= 2, "\(actions)")
        let events = try await city.requestJSON("GET", "/api/v1/upper-platforms/\(Self.provinceID)/events") as? [[String: Any]] ?? []
        #expect(events.contains { $0["state"] as? String == "registered" } && events.contains { $0["state"] as? String == "catalog_pushed" }, "\(events)")

        // Disabling the link unregisters the city at the province.
        _ = try await city.request("PATCH", "/api/v1/upper-platforms/\(Self.provinceID)", body: #"{"enabled":false}"#)
        try await city.waitFor("the city unregistered", seconds: 10) {
            try await E2E.device(province, Self.cityID)["online"] as? Bool == false
        }
    }

    /// The issue's heart: a camera registered at the city plays in a viewer at the province. The province
    /// INVITEs the city (its lower platform), the city answers as a B2BUA from the stream its own viewers
    /// share, decided and audited with the province as the principal; when the city stops sharing the
    /// camera, the province's stream is cut and the province hears a BYE.
    @Test func theProvinceWatchesACityCameraThroughTheCity() async throws {
        let media = ["--media-host", "127.0.0.1", "--viewer-grace", "0"]
        let province = try E2E.Server(keepaliveSeconds: 5, extraArguments: media)
        defer { province.stop() }
        let city = try E2E.Server(keepaliveSeconds: 5, extraArguments: ["--sip-id", Self.cityID] + media)
        defer { city.stop() }
        try await province.start()
        try await city.start()
        _ = try await province.request("POST", "/api/v1/platforms", body: #"{"code":"\#(Self.cityID)","name":"市级视频共享平台"}"#)
        _ = try await province.request("PUT", "/api/v1/devices/\(Self.cityID)/password", body: #"{"password":"City#Link2026"}"#)
        let added = try await city.request("POST", "/api/v1/upper-platforms", body: Self.upperBody(province, password: "City#Link2026"))
        #expect(added["platformID"] as? String == Self.provinceID, "\(added)")
        try await city.waitFor("the city registered at the province", seconds: 20) {
            try await E2E.device(province, Self.cityID)["online"] as? Bool == true
        }

        let simulator = Process()
        simulator.executableURL = CommandLineTests.binary
        simulator.arguments = ["simulate", "--platform", "127.0.0.1:\(city.sip)", "--password", "12345678", "--division", "340200",
                               "--department", "06", "--keepalive", "1", "--alarm-every", "2"]
        simulator.standardOutput = FileHandle.nullDevice
        simulator.standardError = FileHandle.nullDevice
        try simulator.run()
        defer { simulator.terminate() }
        try await city.waitFor("the simulated camera online at the city") {
            try await E2E.device(city, E2E.filedDevice)["online"] as? Bool == true
        }
        let shared = try await city.request("PATCH", "/api/v1/cameras/\(E2E.filedDevice)",
                                            body: #"{"pointClass":"1","shareAttribute":"1","retentionDays":"90"}"#)
        #expect((shared["errorCount"] as? Int) == 0, "\(shared)")
        _ = try await province.request("PATCH", "/api/v1/cameras/\(E2E.filedDevice)", body: #"{"platformCode":"\#(Self.cityID)"}"#)
        _ = try await province.request("POST", "/api/v1/devices/\(Self.cityID)/catalog")
        try await province.waitFor("the province's catalog of the city holds the camera", seconds: 20) {
            try await Self.channels(province) == [E2E.filedDevice]
        }

        // The camera's alarms go up too: the province subscribed to the city's alarms when the city came
        // online, and the city sends those of cameras the province may see (this one, now), on record.
        try await province.waitFor("the camera's alarm reached the province through the city", seconds: 15) {
            let events = try await province.requestJSON("GET", "/api/v1/devices/\(Self.cityID)/events") as? [[String: Any]] ?? []
            return events.contains { $0["kind"] as? String == "alarm" && ($0["detail"] as? [String: Any])?["source"] as? String == E2E.filedDevice }
        }

        let viewer = try await province.viewer("duty", role: "department_operator", department: "29", division: "340200")
        let url = "http://127.0.0.1:\(province.http)/api/v1/cameras/\(E2E.filedDevice)/live.mp4"
        let probe = try LiveVideoEndToEndTests.probe(url, token: viewer, countSeconds: 2)
        #expect(probe.codec == "h264" && probe.width == 1280 && probe.height == 720, "\(probe)")
        #expect(probe.frames >= 25, "every hop delivered: \(probe)")

        let auditor = try await city.user("auditor", role: "auditor")
        let alarmsSent = try await city.request("GET", "/api/v1/audit?action=cascade.alarm_sent&limit=5", token: auditor)
        #expect((alarmsSent["entries"] as? [[String: Any]] ?? []).contains {
            ($0["draft"] as? [String: Any])?["actor"] as? String == "upper:\(Self.provinceID)"
        }, "\(alarmsSent)")
        let views = try await city.request("GET", "/api/v1/audit?action=media.view_start&limit=50", token: auditor)
        let upperViews = (views["entries"] as? [[String: Any]] ?? []).compactMap { $0["draft"] as? [String: Any] }
            .filter { $0["actor"] as? String == "upper:\(Self.provinceID)" }
        #expect(upperViews.contains { $0["action"] as? String == "media.view_start" && $0["camera"] as? String == E2E.filedDevice }, "\(upperViews)")
        try await city.waitFor("the city recorded the end of the province's view", seconds: 10) {
            let again = try await city.request("GET", "/api/v1/audit?action=media.view_stop&limit=50", token: auditor)
            return (again["entries"] as? [[String: Any]] ?? []).contains {
                ($0["draft"] as? [String: Any])?["actor"] as? String == "upper:\(Self.provinceID)"
            }
        }

        // PTZ from the province reaches the camera only once the city grants PTZ to the province; every
        // move and refusal is on the city's record with the province as the actor.
        let cameraAPI = "/api/v1/cameras/\(E2E.filedDevice)"
        let left = #"{"action":"left","speed":64}"#
        let ptzRefused = try await province.request("POST", "\(cameraAPI)/ptz", body: left, token: viewer)
        #expect(ptzRefused["error"] != nil, "the city refused the province's PTZ: \(ptzRefused)")
        let presetsRefused = try await province.requestJSON("GET", "\(cameraAPI)/presets", token: viewer)
        #expect((presetsRefused as? [String: Any])?["error"] != nil, "presets need PTZ too: \(presetsRefused)")
        let granted = try await city.request("POST", "/api/v1/upper-platforms/\(Self.provinceID)/grants", body: """
            {"cameras":["\(E2E.filedDevice)"],"permissions":"1,4","days":1,"purpose":"省级指挥调度"}
            """)
        let grantID = try #require(granted["id"] as? String, "\(granted)")
        let moved = try await province.request("POST", "\(cameraAPI)/ptz", body: left, token: viewer)
        #expect(moved["error"] == nil, "\(moved)")
        let presets = try await province.requestJSON("GET", "\(cameraAPI)/presets", token: viewer) as? [[String: Any]] ?? []
        #expect(presets.compactMap { $0["number"] as? Int } == [1, 2], "the camera's presets, relayed by the city: \(presets)")
        let ptzLog = try await city.request("GET", "/api/v1/audit?action=device.ptz&limit=20", token: auditor)
        let upperMoves = (ptzLog["entries"] as? [[String: Any]] ?? []).compactMap { $0["draft"] as? [String: Any] }
            .filter { $0["actor"] as? String == "upper:\(Self.provinceID)" }
        #expect(upperMoves.contains { $0["result"] as? String == "denied" } && upperMoves.contains { $0["result"] as? String != "denied" },
                "\(upperMoves)")
        let linkEvents = try await city.requestJSON("GET", "/api/v1/upper-platforms/\(Self.provinceID)/events") as? [[String: Any]] ?? []
        let commandStates = linkEvents.compactMap { $0["state"] as? String }.filter { $0.hasPrefix("command_") }
        #expect(commandStates.contains("command_relayed") && commandStates.contains("command_refused"), "\(commandStates)")
        _ = try await city.request("POST", "/api/v1/grants/\(grantID)/revoke", body: #"{"reason":"演练结束"}"#)
        let afterRevoke = try await province.request("POST", "\(cameraAPI)/ptz", body: left, token: viewer)
        #expect(afterRevoke["error"] != nil, "\(afterRevoke)")

        // Playback through the cascade: the province asks the city for a time range (s=Playback); the city
        // decides it with the province as principal (the camera's default permissions now include
        // playback), INVITEs the camera for that range and relays it; the playback is on the city's record.
        let playable = try await city.request("PATCH", cameraAPI, body: #"{"defaultPermissions":"1,2"}"#)
        #expect(playable["error"] == nil, "\(playable)")
        let range = "from=2026-11-21T08:00:00%2B08:00&to=2026-11-21T08:00:04%2B08:00&purpose=%E6%A1%88%E4%BB%B6%E5%9B%9E%E6%94%BE"
        let playback = try LiveVideoEndToEndTests.probe("http://127.0.0.1:\(province.http)\(cameraAPI)/playback.mp4?\(range)", token: viewer)
        #expect(playback.codec == "h264" && playback.width == 1280, "the recording came down through the city: \(playback)")
        try await city.waitFor("the city recorded the province's playback", seconds: 10) {
            let log = try await city.request("GET", "/api/v1/audit?action=media.playback&limit=20", token: auditor)
            return (log["entries"] as? [[String: Any]] ?? []).contains {
                ($0["draft"] as? [String: Any])?["actor"] as? String == "upper:\(Self.provinceID)"
            }
        }

        // While the province watches, the city stops sharing the camera: the relay is cut.
        func callsStarted() async throws -> Int {
            let events = try await city.requestJSON("GET", "/api/v1/upper-platforms/\(Self.provinceID)/events") as? [[String: Any]] ?? []
            return events.filter { $0["state"] as? String == "call_started" }.count
        }
        let before = try await callsStarted()
        let watching = Task { try LiveVideoEndToEndTests.probe(url, token: viewer, countSeconds: 20) }
        try await city.waitFor("the province's view reached the city", seconds: 15) { try await callsStarted() > before }
        let unshared = try await city.request("PATCH", "/api/v1/cameras/\(E2E.filedDevice)", body: #"{"shareAttribute":"2"}"#)
        #expect(unshared["error"] == nil, "\(unshared)")
        try await city.waitFor("the city cut the province's stream", seconds: 10) {
            let events = try await city.requestJSON("GET", "/api/v1/upper-platforms/\(Self.provinceID)/events") as? [[String: Any]] ?? []
            return events.contains { $0["state"] as? String == "call_ended" && ($0["detail"] as? String ?? "").contains("grant ended") }
        }
        let cut = try await watching.value
        #expect(cut.frames < 20 * 25, "the province's stream stopped early: \(cut)")
        let cuts = try await city.request("GET", "/api/v1/audit?action=media.stream_cut&limit=20", token: auditor)
        #expect((cuts["entries"] as? [[String: Any]] ?? []).contains {
            ($0["draft"] as? [String: Any])?["actor"] as? String == "upper:\(Self.provinceID)"
        }, "\(cuts)")
        // And a new INVITE from the province is refused by the city's Sharing.
        let refused = try? LiveVideoEndToEndTests.probe(url, token: viewer, countSeconds: 2)
        #expect((refused?.frames ?? 0) == 0, "\(String(describing: refused))")
    }

    static func upperBody(_ province: E2E.Server, password: String) -> String {
        #"{"platformID":"\#(provinceID)","name":"省视频图像共享交换平台","host":"127.0.0.1","port":\#(province.sip),"transport":"udp","password":"\#(password)","keepaliveSeconds":5}"#
    }

    static func channels(_ province: E2E.Server) async throws -> [String] {
        let channels = try await province.requestJSON("GET", "/api/v1/devices/\(cityID)/channels") as? [[String: Any]] ?? []
        return channels.compactMap { $0["code"] as? String }.sorted()
    }
}
