import Crypto
import Fluent
import Foundation
import SQLKit

/// Per-device SIP passwords. The registrar needs the plain password (digest HA1 depends on it), so
/// passwords are sealed with AES-GCM under a key kept in the data folder (mode 0600), not hashed; the
/// API takes them and never gives them back (directory.md 3: write-only, readable by no one).
struct DeviceCredentials: Sendable {
    let database: any Database
    /// The raw key bytes (SymmetricKey itself is not Sendable).
    let keyData: Data

    init(database: any Database, key: SymmetricKey) {
        self.database = database
        self.keyData = key.withUnsafeBytes { Data($0) }
    }

    private var key: SymmetricKey { SymmetricKey(data: keyData) }

    static func loadKey(dataDirectory: String) throws -> SymmetricKey {
        let path = URL(fileURLWithPath: dataDirectory).appendingPathComponent("device-credentials.key").path
        if let data = FileManager.default.contents(atPath: path), data.count == 32 {
            return SymmetricKey(data: data)
        }
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        let key = SymmetricKey(size: .bits256)
        let data = key.withUnsafeBytes { Data($0) }
        guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw APIError(.internalServerError, "internal", zh: "无法写入设备密码密钥", en: "cannot write the device credential key at \(path)")
        }
        return key
    }

    func set(code: String, password: String) async throws {
        let sealed = try AES.GCM.seal(Data(password.utf8), using: key).combined?.base64EncodedString() ?? ""
        let sql = try database.sql()
        try await sql.delete(from: "device_credentials").where("code", .equal, code).run()
        try await sql.insert(into: "device_credentials").columns("code", "sealed_password", "updated_at")
            .values(SQLBind(code), SQLBind(sealed), SQLBind(Date().timeIntervalSince1970)).run()
    }

    func all() async throws -> [String: String] {
        struct Row: Decodable { let code: String; let sealed_password: String }
        var result: [String: String] = [:]
        for row in try await database.sql().select().columns("code", "sealed_password").from("device_credentials").all(decoding: Row.self) {
            guard let data = Data(base64Encoded: row.sealed_password), let box = try? AES.GCM.SealedBox(combined: data),
                  let plain = try? AES.GCM.open(box, using: key) else { continue }
            result[row.code] = String(decoding: plain, as: UTF8.self)
        }
        return result
    }

    /// One sealed password, opened; nil when none is kept (or it cannot be opened with this key).
    func password(code: String) async throws -> String? {
        struct Row: Decodable { let sealed_password: String }
        guard let row = try await database.sql().select().column("sealed_password").from("device_credentials")
            .where("code", .equal, code).first(decoding: Row.self),
            let data = Data(base64Encoded: row.sealed_password), let box = try? AES.GCM.SealedBox(combined: data),
            let plain = try? AES.GCM.open(box, using: key) else { return nil }
        return String(decoding: plain, as: UTF8.self)
    }

    func remove(code: String) async throws {
        try await database.sql().delete(from: "device_credentials").where("code", .equal, code).run()
    }
}
