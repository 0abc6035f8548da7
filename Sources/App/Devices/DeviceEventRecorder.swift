import Directory
import Fluent
import Foundation
import GB28181
import GBCore
import Logging
import SQLKit

/// Where the signalling service's events land: the devices table, the channels their catalogs report
/// (beside the filed records), the event history, refused registrations, and the directory's network
/// status. Events arrive one at a time in order (GBPlatformService's delivery task).
struct DeviceEventRecorder: DeviceEventSink {
    let database: any Database
    let logger: Logger
    /// Where ended media sessions go (live media frees the SSRC and tells the hub).
    var mediaEnded: @Sendable (MediaSessionEnded) async -> Void = { _ in }
    /// Told of every online/offline transition after it is stored (subscriptions follow it).
    var onlineChanged: @Sendable (OnlineTransition) async -> Void = { _ in }
    /// Told of every alarm after it is stored (the cascade sends it up to subscribed upper platforms).
    var alarmStored: @Sendable (AlarmReport) async -> Void = { _ in }

    private var cameras: CameraStore { CameraStore(database: database) }

    func deviceRegistered(_ registration: DeviceRegistration) async {
        await run("registration of \(registration.deviceID)") { sql in
            let address = "\(registration.address.ipAddress ?? "?"):\(registration.address.port ?? 0)"
            try await sql.delete(from: "devices").where("code", .equal, registration.deviceID).run()
            try await sql.insert(into: "devices")
                .columns("code", "transport", "address", "gb_version", "online", "registered_at", "changed_at", "expires", "info", "channel_count")
                .values(SQLBind(registration.deviceID), SQLBind(registration.transport.rawValue.lowercased()), SQLBind(address),
                        SQLBind(registration.gbVersion ?? ""), SQLBind(true), SQLBind(registration.time.timeIntervalSince1970),
                        SQLBind(registration.time.timeIntervalSince1970), SQLBind(registration.expires),
                        SQLBind(registration.userAgent.map { #"{"userAgent":"\#($0.replacingOccurrences(of: "\"", with: "'"))"}"# } ?? "{}"),
                        SQLBind(try await channelCount(registration.deviceID, sql)))
                .run()
        }
    }

    func deviceOnlineChanged(_ transition: OnlineTransition) async {
        defer { Task { [onlineChanged] in await onlineChanged(transition) } }
        await run("online change of \(transition.deviceID)") { sql in
            try await sql.update("devices").set("online", to: transition.online)
                .set("changed_at", to: transition.time.timeIntervalSince1970).where("code", .equal, transition.deviceID).run()
            try await event(transition.deviceID, transition.online ? "online" : "offline", ["reason": "\(transition.reason)"], transition.time, sql)
            // The device and every channel it reported follow its state in the directory.
            struct Channel: Decodable { let channel_code: String; let status: String }
            let channels = try await sql.select().columns("channel_code", "status").from("device_channels")
                .where("device_code", .equal, transition.deviceID).all(decoding: Channel.self)
            if transition.online {
                try await cameras.setNetworkStatus(codes: [transition.deviceID] + channels.filter { $0.status.uppercased() != "OFF" }.map(\.channel_code), to: .online)
            } else {
                try await cameras.setNetworkStatus(codes: [transition.deviceID] + channels.map(\.channel_code), to: .offline)
            }
        }
    }

    /// At start-up nobody is registered yet (registrations live in memory): every device the table
    /// still shows online is set offline, with its channels in the directory, so a restart never leaves
    /// cameras "online" that no longer are. Devices re-register within their expiry and come back.
    func platformStarted(at time: Date) async {
        await run("start-up offline sweep") { sql in
            struct Row: Decodable { let code: String }
            let stale = try await sql.select().column("code").from("devices").where("online", .equal, true).all(decoding: Row.self)
            guard !stale.isEmpty else { return }
            try await sql.update("devices").set("online", to: false).set("changed_at", to: time.timeIntervalSince1970)
                .where("online", .equal, true).run()
            for device in stale {
                try await event(device.code, "offline", ["reason": "platformRestarted"], time, sql)
                struct Channel: Decodable { let channel_code: String }
                let channels = try await sql.select().column("channel_code").from("device_channels")
                    .where("device_code", .equal, device.code).all(decoding: Channel.self)
                try await cameras.setNetworkStatus(codes: [device.code] + channels.map(\.channel_code), to: .offline)
            }
            logger.info("set \(stale.count) devices offline until they register again")
        }
    }

    func mediaSessionEnded(_ ended: MediaSessionEnded) async {
        await mediaEnded(ended)
    }

    func deviceUnregistered(deviceID: String, reason: OnlineReason, time: Date) async {
        await run("unregistration of \(deviceID)") { sql in
            try await event(deviceID, "unregistered", ["reason": "\(reason)"], time, sql)
        }
    }

    func registrationRefused(_ refusal: RegistrationRefusal) async {
        logger.warning("refused registration", metadata: ["code": "\(refusal.deviceID)", "source": "\(refusal.source)", "reason": "\(refusal.reason)"])
        await run("refusal of \(refusal.deviceID)") { sql in
            let reason = Self.reasonCode(refusal.reason)
            let source = "\(refusal.source.ipAddress ?? "?"):\(refusal.source.port ?? 0)"
            let now = refusal.time.timeIntervalSince1970
            struct Row: Decodable { let id: Int; let attempts: Int }
            if let existing = try await sql.select().columns("id", "attempts").from("refused_registrations")
                .where("code", .equal, refusal.deviceID).where("reason", .equal, reason).first(decoding: Row.self) {
                try await sql.update("refused_registrations").set("attempts", to: existing.attempts + 1).set("last_at", to: now)
                    .set("source", to: source).where("id", .equal, existing.id).run()
            } else {
                try await sql.insert(into: "refused_registrations").columns("code", "source", "transport", "reason", "first_at", "last_at", "attempts")
                    .values(SQLBind(String(refusal.deviceID.prefix(64))), SQLBind(source), SQLBind(refusal.transport.rawValue.lowercased()), SQLBind(reason),
                            SQLBind(now), SQLBind(now), SQLBind(1)).run()
            }
        }
    }

    static func reasonCode(_ reason: RegistrationRefusalReason) -> String {
        switch reason {
        case .unfiled: "unfiled"
        case .wrongPassword: "wrong_password"
        case .invalidCode: "invalid_code"
        case .barred: "barred"
        case .usernameMismatch: "username_mismatch"
        case .noPassword: "no_password"
        }
    }

    func catalogReceived(_ result: CatalogSyncResult) async {
        await run("catalog of \(result.deviceID)") { sql in
            try await CatalogStorage(database: database).store(result, on: sql)
            try await sql.update("devices").set("channel_count", to: try await channelCount(result.deviceID, sql))
                .where("code", .equal, result.deviceID).run()
            try await event(result.deviceID, "catalog", ["items": "\(result.items.count)", "completion": "\(result.completion)"], result.finishedAt, sql)
        }
    }

    func catalogChanged(_ change: CatalogChangeReport) async {
        await run("catalog change of \(change.deviceID)") { sql in
            try await CatalogStorage(database: database).apply(change, on: sql)
        }
    }

    func alarmReceived(_ alarm: AlarmReport) async {
        defer { Task { [alarmStored] in await alarmStored(alarm) } }
        await run("alarm from \(alarm.deviceID)") { sql in
            try await event(alarm.deviceID, "alarm", ["source": alarm.alarm.deviceID, "priority": alarm.alarm.alarmPriority.map { "\($0)" } ?? "",
                                                      "method": alarm.alarm.alarmMethod ?? "", "description": alarm.alarm.alarmDescription ?? ""], alarm.time, sql)
        }
    }

    func mobilePositionReceived(_ position: MobilePositionReport) async {
        await run("mobile position from \(position.deviceID)") { sql in
            try await event(position.deviceID, "mobile_position", ["count": "\(position.positions.count)"], position.time, sql)
        }
    }

    /// An event of the device's history that the service did not report itself (a subscription taken).
    func note(_ deviceID: String, kind: String, detail: [String: String]) async {
        await run("\(kind) of \(deviceID)") { sql in try await event(deviceID, kind, detail, Date(), sql) }
    }

    private func channelCount(_ deviceID: String, _ sql: any SQLDatabase) async throws -> Int {
        struct Row: Decodable { let n: Int }
        return try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("device_channels")
            .where("device_code", .equal, deviceID).first(decoding: Row.self)?.n ?? 0
    }

    private func event(_ code: String, _ kind: String, _ detail: [String: String], _ time: Date, _ sql: any SQLDatabase) async throws {
        let json = String(decoding: (try? JSONEncoder().encode(detail)) ?? Data("{}".utf8), as: UTF8.self)
        try await sql.insert(into: "device_events").columns("device_code", "kind", "detail", "at")
            .values(SQLBind(code), SQLBind(kind), SQLBind(json), SQLBind(time.timeIntervalSince1970)).run()
    }

    /// A storage failure is logged and the event dropped: the SIP side must never stall on the database.
    private func run(_ what: String, _ body: (any SQLDatabase) async throws -> Void) async {
        do {
            try await body(database.sql())
        } catch {
            logger.error("could not store \(what): \(String(reflecting: error))")
        }
    }
}
