import FluentPostgresDriver
import Foundation
import NIOCore
import NIOPosix

/// Turns the errors of a failed start (PostgreSQL's, the socket layer's, the file system's) into
/// `StartupError`s. PostgresNIO hides the server's words behind "Generic description to prevent
/// accidental leakage of sensitive data" in `PSQLError.description`; the SQLSTATE and message are
/// in `serverInfo`, the socket error in `underlying`.
enum StartupDiagnosis {
    static func database(_ error: any Error, url: String?) -> any Error {
        guard let url, let components = URLComponents(string: url) else { return error }
        let host = "\(components.host ?? "localhost"):\(components.port ?? 5432)"
        let name = String(components.path.drop { $0 == "/" })
        guard let psql = error as? PSQLError else {
            if let reason = connectionFailure(error) { return StartupError.databaseUnreachable(host: host, reason: reason) }
            return error
        }
        if let info = psql.serverInfo {
            // 3D000 invalid_catalog_name: the database named in the URL does not exist.
            if info[.sqlState] == "3D000" { return StartupError.databaseMissing(name: name.isEmpty ? (components.user ?? "") : name, host: host) }
            return StartupError.databaseRefused(host: host, reason: info[.message] ?? "SQLSTATE \(info[.sqlState] ?? "?")")
        }
        if let underlying = psql.underlying, let reason = connectionFailure(underlying) {
            return StartupError.databaseUnreachable(host: host, reason: reason)
        }
        if psql.code == .connectionError || psql.code == .serverClosedConnection {
            return StartupError.databaseUnreachable(host: host, reason: psql.underlying.map { "\($0)" } ?? "the connection failed")
        }
        return error
    }

    /// "connection refused", "no such host"... for the socket errors NIO reports when connecting.
    static func connectionFailure(_ error: any Error) -> String? {
        if let io = error as? IOError { return String(cString: strerror(io.errnoCode)).lowercased() }
        if let connection = error as? NIOConnectionError {
            if connection.dnsAError != nil && connection.dnsAAAAError != nil && connection.connectionErrors.isEmpty {
                return "the host name does not resolve"
            }
            return connection.connectionErrors.first.flatMap { connectionFailure($0.error) } ?? "cannot connect"
        }
        if let channel = error as? ChannelError, case .connectTimeout = channel { return "connection timed out" }
        return nil
    }

    /// A listening socket that could not be opened: in use, or an address this machine does not have.
    static func bind(_ error: any Error, service: String, host: String, port: Int, key: String) -> any Error {
        // Some layers wrap the IOError in their own error and keep only its words.
        let code = (error as? IOError)?.errnoCode ?? ("\(error)".contains("Address already in use") ? EADDRINUSE : nil)
        guard let code else { return error }
        if code == EADDRINUSE { return StartupError.portInUse(service: service, host: host, port: port, key: key) }
        return StartupError.portUnavailable(service: service, host: host, port: port, key: key, reason: String(cString: strerror(code)).lowercased())
    }
}
