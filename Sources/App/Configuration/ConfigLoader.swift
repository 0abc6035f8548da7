import Foundation

/// Reads the settings in one documented order, each overriding the one before:
/// default < config file < environment < flags. The config file is the one named by `--config`,
/// else by `GBSHARE_CONFIG`, else `gbshare.json` in the data folder if it exists.
public struct ConfigLoader {
    /// Where a setting's value came from, for `gbshare config show`.
    public enum Source: Equatable, Sendable, CustomStringConvertible {
        case defaultValue
        case file(String)
        case environment(String)
        case flag(String)

        public var description: String {
            switch self {
            case .defaultValue: "default"
            case .file(let path): "file \(path)"
            case .environment(let name): "environment \(name)"
            case .flag(let name): "flag \(name)"
            }
        }
    }

    /// The effective settings and where each came from.
    public struct Loaded {
        public var config: GBShareConfig
        public var sources: [String: Source]
        /// The config file read, if any.
        public var file: String?
    }

    public var environment: [String: String]
    /// Flags given, by flag name (`--http-port` → `8081`; a toggle maps to an empty string).
    public var flags: [String: String]
    public var keys: [ConfigKey]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment, flags: [String: String] = [:],
                keys: [ConfigKey] = ConfigKey.all) {
        // An empty variable (`DATABASE_URL=` in a unit file) means "not set", as it did before.
        self.environment = environment.filter { !$0.value.isEmpty }
        self.flags = flags
        self.keys = keys
    }

    public func load() throws(ConfigError) -> Loaded {
        var config = GBShareConfig()
        var sources: [String: Source] = [:]
        let file = configFile()
        if let file {
            for name in try ConfigFile(path: file).apply(to: &config, keys: keys) { sources[name] = .file(file) }
        }
        for key in keys {
            if let variable = key.environment, let text = environment[variable] {
                try apply(key, text, &config, source: .environment(variable))
                sources[key.name] = .environment(variable)
            }
        }
        for key in keys {
            guard let flag = key.flag, let given = flags[flag.name] else { continue }
            let text = switch flag {
            case .option: given
            case .toggle(_, let value): value
            }
            try apply(key, text, &config, source: .flag(flag.name))
            sources[key.name] = .flag(flag.name)
        }
        try ConfigValidation.validate(config, sources: sources)
        return Loaded(config: config, sources: sources, file: file)
    }

    private func apply(_ key: ConfigKey, _ text: String, _ config: inout GBShareConfig, source: Source) throws(ConfigError) {
        guard key.applyText(&config, text) else {
            throw .invalidValue(key: key.name, value: text, source: source.description, expected: key.expected)
        }
    }

    /// The file named by flag or environment, else the data folder's `gbshare.json` when present.
    /// The data folder here is the one named by flag or environment (the file cannot move itself).
    func configFile() -> String? {
        if let named = flags[ConfigKey.configFileFlag] ?? environment[ConfigKey.configFileEnvironment] { return named }
        let dataKey = keys.first { $0.name == "dataDirectory" }
        let folder = dataKey?.flag.flatMap { flags[$0.name] } ?? dataKey?.environment.flatMap { environment[$0] } ?? GBShareConfig().dataDirectory
        let candidate = URL(fileURLWithPath: folder).appendingPathComponent(ConfigKey.defaultConfigFileName).path
        return FileManager.default.fileExists(atPath: candidate) ? candidate : nil
    }
}
