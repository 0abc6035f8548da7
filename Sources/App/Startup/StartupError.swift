/// Why the node could not start, in words that say what to do. `gbshare` prints the description on
/// standard error and exits non-zero; nothing else is printed for these (no stack, no wrapper type).
public enum StartupError: Error, Equatable, CustomStringConvertible {
    case databaseMissing(name: String, host: String)
    case databaseUnreachable(host: String, reason: String)
    case databaseRefused(host: String, reason: String)
    case portInUse(service: String, host: String, port: Int, key: String)
    case portUnavailable(service: String, host: String, port: Int, key: String, reason: String)
    case dataFolderNotWritable(path: String, reason: String)
    case invalidSetting(String)

    public var description: String {
        switch self {
        case let .databaseMissing(name, host):
            "database \(name) does not exist on \(host): create it with `createdb \(name)` or fix DATABASE_URL"
        case let .databaseUnreachable(host, reason):
            "cannot reach PostgreSQL at \(host) (\(reason)): start PostgreSQL there, or fix the host and port in DATABASE_URL"
        case let .databaseRefused(host, reason):
            "PostgreSQL at \(host) refused us: \(reason). Fix the user, password or database in DATABASE_URL"
        case let .portInUse(service, host, port, key):
            "\(service) port \(port) on \(host) is already in use by another program (another gbshare?): stop it, "
                + "or choose another port with \(Self.ways(key))"
        case let .portUnavailable(service, host, port, key, reason):
            "\(service) cannot listen on \(host):\(port) (\(reason)): choose another address or port with \(Self.ways(key))"
        case let .dataFolderNotWritable(path, reason):
            "data folder \(path) is not writable (\(reason)): give this user write access to it, "
                + "or choose another folder with \(Self.ways("dataDirectory"))"
        case let .invalidSetting(text):
            text
        }
    }

    /// "--http-port (GBSHARE_HTTP_PORT, or httpPort in gbshare.json)".
    static func ways(_ key: String) -> String {
        guard let setting = ConfigKey.named(key) else { return key }
        let flag = setting.flag?.name ?? ""
        let variable = setting.environment.map { "\($0), or " } ?? ""
        return "\(flag) (\(variable)\(setting.name) in \(ConfigKey.defaultConfigFileName))"
    }
}
