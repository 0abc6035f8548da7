import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// The hierarchy the exchange platform lives in (issue 12, CASCADE.md §5 step 6): a camera registered at
/// a county platform plays at the province through the city, three real `gbshare serve` on loopback, each
/// a lower platform of the next. Then the middle node (the city) restarts in place: the county and the
/// city register again by themselves and the province plays the camera again, with nobody touching them.
@Suite(.serialized) struct CascadeThreeNodeTests {
    typealias E2E = SignallingEndToEndTests
    static let provinceID = "34020000002000000001"
    static let cityID = "34020000002000000002"
    static let countyID = "34020000002000000003"
    static let camera = E2E.filedDevice

    @Test func aCountyCameraPlaysAtTheProvinceThroughTheCityAndAgainAfterTheCityRestarts() async throws {
        let media = ["--media-host", "127.0.0.1", "--viewer-grace", "0"]
        let province = try E2E.Server(keepaliveSeconds: 5, extraArguments: media)
        defer { province.stop() }
        let city = try E2E.Server(keepaliveSeconds: 5, extraArguments: ["--sip-id", Self.cityID] + media)
        defer { city.stop() }
        let county = try E2E.Server(keepaliveSeconds: 5, extraArguments: ["--sip-id", Self.countyID] + media)
        defer { county.stop() }
        try await province.start()
        try await city.start()
        try await county.start()

        // Each node files the one below as a lower platform, and is the upper of it.
        try await Self.fileLower(Self.cityID, at: province, password: "City#Link2026")
        try await Self.fileLower(Self.countyID, at: city, password: "County#Link2026")
        try await Self.link(city, to: province, id: Self.provinceID, password: "City#Link2026")
        try await Self.link(county, to: city, id: Self.cityID, password: "County#Link2026")
        try await city.waitFor("the city registered at the province", seconds: 20) {
            try await E2E.device(province, Self.cityID)["online"] as? Bool == true
        }
        try await county.waitFor("the county registered at the city", seconds: 20) {
            try await E2E.device(city, Self.countyID)["online"] as? Bool == true
        }

        // The camera registers at the county. Each node's directory says where the camera is reached
        // (the platform code: the node below), and the county and the city push it up (class 1, shared
        // without conditions, 90 days of recordings).
        let simulator = Process()
        simulator.executableURL = CommandLineTests.binary
        simulator.arguments = ["simulate", "--platform", "127.0.0.1:\(county.sip)", "--password", "12345678", "--division", "340200",
                               "--department", "06", "--keepalive", "1"]
        simulator.standardOutput = FileHandle.nullDevice
        simulator.standardError = FileHandle.nullDevice
        try simulator.run()
        defer { simulator.terminate() }
        try await county.waitFor("the camera online at the county") {
            try await E2E.device(county, Self.camera)["online"] as? Bool == true
        }
        let pushed = #"{"pointClass":"1","shareAttribute":"1","retentionDays":"90"}"#
        // Top down, as the bureau files it: each node knows where the camera is reached before the node below pushes it.
        for (node, lower) in [(province, Self.cityID), (city, Self.countyID), (county, nil)] as [(E2E.Server, String?)] {
            if let lower {
                let placed = try await node.request("PATCH", "/api/v1/cameras/\(Self.camera)", body: #"{"platformCode":"\#(lower)"}"#)
                #expect(placed["error"] == nil, "\(placed)")
            }
            if node !== province {
                let shared = try await node.request("PATCH", "/api/v1/cameras/\(Self.camera)", body: pushed)
                #expect((shared["errorCount"] as? Int) == 0, "\(shared)")
            }
        }
        try await city.waitFor("the city's catalog of the county holds the camera (NOTIFY from the county)", seconds: 20) {
            try await Self.channels(of: Self.countyID, at: city) == [Self.camera]
        }
        try await province.waitFor("the province's catalog of the city holds the camera (NOTIFY from the city)", seconds: 20) {
            try await Self.channels(of: Self.cityID, at: province) == [Self.camera]
        }

        let viewer = try await province.viewer("duty", role: "department_operator", department: "29", division: "340200")
        let url = "http://127.0.0.1:\(province.http)/api/v1/cameras/\(Self.camera)/live.mp4"
        let first = try LiveVideoEndToEndTests.probe(url, token: viewer, countSeconds: 2)
        #expect(first.codec == "h264" && first.width == 1280 && first.frames >= 25, "every hop delivered: \(first)")
        // Each node below recorded the view with the node above as the actor.
        for (node, upper) in [(city, Self.provinceID), (county, Self.cityID)] {
            let auditor = try await node.user("auditor-\(upper.suffix(1))", role: "auditor")
            try await node.waitFor("the view of upper \(upper) on record", seconds: 10) {
                let views = try await node.request("GET", "/api/v1/audit?action=media.view_start&limit=50", token: auditor)
                return (views["entries"] as? [[String: Any]] ?? []).contains {
                    ($0["draft"] as? [String: Any])?["actor"] as? String == "upper:\(upper)"
                }
            }
        }

        // The middle node restarts in place. Nobody touches the county or the province.
        try await city.restart()
        try await city.waitFor("the city registered again at the province", seconds: 30) {
            let uppers = try await city.requestJSON("GET", "/api/v1/upper-platforms") as? [[String: Any]] ?? []
            return uppers.first?["state"] as? String == "registered"
        }
        try await city.waitFor("the county registered again at the city", seconds: 60) {
            try await E2E.device(city, Self.countyID)["online"] as? Bool == true
        }
        try await city.waitFor("the city knows the county's channels again", seconds: 20) {
            try await Self.channels(of: Self.countyID, at: city) == [Self.camera]
        }
        let again = try LiveVideoEndToEndTests.probe(url, token: viewer, countSeconds: 2)
        #expect(again.codec == "h264" && again.frames >= 25, "the province plays the camera again after the city's restart: \(again)")
    }

    static func fileLower(_ id: String, at node: E2E.Server, password: String) async throws {
        let filed = try await node.request("POST", "/api/v1/platforms", body: #"{"code":"\#(id)","name":"下级平台 \#(id.suffix(1))"}"#)
        #expect(filed["record"] != nil, "\(filed)")
        let set = try await node.request("PUT", "/api/v1/devices/\(id)/password", body: #"{"password":"\#(password)"}"#)
        #expect(set["error"] == nil, "\(set)")
    }

    static func link(_ node: E2E.Server, to upper: E2E.Server, id: String, password: String) async throws {
        let added = try await node.request("POST", "/api/v1/upper-platforms", body: """
            {"platformID":"\(id)","name":"上级平台","host":"127.0.0.1","port":\(upper.sip),"transport":"udp","password":"\(password)","keepaliveSeconds":5}
            """)
        #expect(added["platformID"] as? String == id, "\(added)")
    }

    static func channels(of platform: String, at node: E2E.Server) async throws -> [String] {
        let channels = try await node.requestJSON("GET", "/api/v1/devices/\(platform)/channels") as? [[String: Any]] ?? []
        return channels.compactMap { $0["code"] as? String }.sorted()
    }
}
