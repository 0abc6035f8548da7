import Directory
import Fluent
import Foundation
import GB28181
import GBCore
import SQLKit

/// Register-before-access (先注册后接入) over the directory: a code may register when it is filed as a
/// camera (an IPC registers under its own code), named as the platform of filed cameras (their NVR
/// or lower platform), or filed as a platform. Answers come from an in-memory index (100,000 devices
/// register in a burst); an unknown code is looked up once more in the database before it is refused,
/// so a camera filed a moment ago can register at once.
actor DirectoryDeviceAccess: DeviceAccessPolicy {
    private let database: any Database
    private let credentials: DeviceCredentials
    private var filed: Set<String> = []
    private var removed: Set<String> = []
    private var passwords: [String: String] = [:]
    private var loadedAt = Date.distantPast
    private let refreshAfter: TimeInterval = 60

    init(database: any Database, credentials: DeviceCredentials) {
        self.database = database
        self.credentials = credentials
    }

    func access(for deviceID: String) async -> DeviceAccess {
        if Date().timeIntervalSince(loadedAt) > refreshAfter { await reload() }
        if !filed.contains(deviceID), await isFiledNow(deviceID) { filed.insert(deviceID) }
        guard filed.contains(deviceID) else { return .unfiled }
        if removed.contains(deviceID) { return .barred(reason: "the camera is marked removed in the directory") }
        return .allowed(password: passwords[deviceID], charset: nil)
    }

    /// Drops the cache, e.g. after an import or a password change.
    func invalidate() { loadedAt = .distantPast }

    private func reload() async {
        do {
            let sql = try database.sql()
            struct Camera: Decodable { let code: String; let platform_code: String; let device_status: String }
            struct Platform: Decodable { let code: String }
            var filed: Set<String> = []
            var removed: Set<String> = []
            for row in try await sql.select().columns("code", "platform_code", "device_status").from("cameras").all(decoding: Camera.self) {
                filed.insert(row.code)
                if !row.platform_code.isEmpty { filed.insert(row.platform_code) }
                if row.device_status == DeviceStatus.removed.rawValue { removed.insert(row.code) }
            }
            for row in try await sql.select().column("code").from("platforms").where("code", .notEqual, "").all(decoding: Platform.self) {
                filed.insert(row.code)
            }
            self.filed = filed
            self.removed = removed
            self.passwords = try await credentials.all()
            loadedAt = Date()
        } catch {
            // Keep the last good index; the next call tries again.
            loadedAt = Date().addingTimeInterval(-refreshAfter + 5)
        }
    }

    private func isFiledNow(_ code: String) async -> Bool {
        guard let sql = try? database.sql() else { return false }
        struct Row: Decodable { let n: Int }
        let cameras = try? await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("cameras")
            .where { $0.where("code", .equal, code).orWhere("platform_code", .equal, code) }.first(decoding: Row.self)
        let platforms = try? await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("platforms")
            .where("code", .equal, code).first(decoding: Row.self)
        return (cameras?.n ?? 0) + (platforms?.n ?? 0) > 0
    }
}
