import Foundation

/// One setting as people name it: its key in the config file, its environment variable, its flag,
/// and how to read and print its value. `ConfigKeys.swift` lists them all; the loader, `gbshare
/// config show`, the README's table and the tests that every command accepts the flags all work
/// from that one list.
public struct ConfigKey {
    /// How the setting is given on the command line.
    public enum Flag: Equatable, Sendable {
        /// `--http-port 8081`.
        case option(String)
        /// `--no-signalling`: present means `value`.
        case toggle(String, sets: String)

        public var name: String {
            switch self {
            case .option(let name), .toggle(let name, _): name
            }
        }
    }

    /// The key in the config file, e.g. `httpPort`.
    public let name: String
    /// The environment variable, e.g. `GBSHARE_HTTP_PORT`; nil for settings only a file can hold
    /// (nested structures such as the sharing policy).
    public let environment: String?
    public let flag: Flag?
    /// Printed masked by `config show` (passwords; the password inside a `DATABASE_URL`).
    public let isSecret: Bool
    public let help: String
    /// What a value must look like, for error messages: "a whole number", "true or false"...
    public let expected: String
    /// Sets the value from a flag's or an environment variable's text.
    let applyText: (inout GBShareConfig, String) -> Bool
    /// Sets the value from the config file's JSON (any JSON value; nested objects are checked for
    /// keys the setting does not have).
    let applyJSON: (inout GBShareConfig, Any) throws -> Void
    /// The value as `config show` prints it (before masking); nil when unset.
    public let text: (GBShareConfig) -> String?

    /// A setting with a value that reads from text (numbers, words, switches); an optional one
    /// (`String?`) may be unset, meaning "not configured", e.g. no device password.
    static func setting<Value: ConfigValue>(
        _ name: String, _ path: WritableKeyPath<GBShareConfig, Value>, environment: String?, flag: Flag?,
        secret: Bool = false, _ help: String
    ) -> ConfigKey {
        ConfigKey(
            name: name, environment: environment, flag: flag, isSecret: secret, help: help, expected: Value.expected,
            applyText: { config, text in
                guard let value = Value.parse(configText: text) else { return false }
                config[keyPath: path] = value
                return true
            },
            applyJSON: { config, json in config[keyPath: path] = try ConfigJSON.decode(Value.self, from: json, key: name) },
            text: { $0[keyPath: path].configText })
    }

}

/// A type a setting can have: read from a flag's or variable's text, printed back the same way.
public protocol ConfigValue: Codable {
    /// A static function, not an initialiser: a labelled `init` on `Bool` or `Int` would make every
    /// `Bool.init` function reference in the module ambiguous.
    static func parse(configText: String) -> Self?
    /// nil for an unset optional setting.
    var configText: String? { get }
    /// What a value must look like, for error messages.
    static var expected: String { get }
}

extension Int: ConfigValue {
    public static func parse(configText: String) -> Self? { Self(configText.trimmingCharacters(in: .whitespaces)) }
    public var configText: String? { String(self) }
    public static var expected: String { "a whole number" }
}

extension Double: ConfigValue {
    public static func parse(configText: String) -> Self? { Self(configText.trimmingCharacters(in: .whitespaces)) }
    public var configText: String? { String(self) }
    public static var expected: String { "a number" }
}

extension String: ConfigValue {
    public static func parse(configText: String) -> String? { configText }
    public var configText: String? { self }
    public static var expected: String { "text" }
}

extension Bool: ConfigValue {
    /// Environment files write switches in many ways; these are the unambiguous ones.
    public static func parse(configText: String) -> Bool? {
        switch configText.lowercased() {
        case "true", "1", "yes", "on": true
        case "false", "0", "no", "off": false
        default: nil
        }
    }
    public var configText: String? { self ? "true" : "false" }
    public static var expected: String { "true or false" }
}

/// An optional setting reads as its wrapped type; JSON `null` in the file unsets it.
extension Optional: ConfigValue where Wrapped: ConfigValue {
    public static func parse(configText: String) -> Wrapped?? {
        Wrapped.parse(configText: configText).map { .some($0) }
    }

    public var configText: String? { self?.configText ?? nil }
    public static var expected: String { Wrapped.expected }
}

/// Nested settings (the sharing policy, the syslog target) are JSON in the file and in the
/// environment alike.
protocol JSONConfigValue: ConfigValue {}

extension JSONConfigValue {
    public static func parse(configText: String) -> Self? {
        try? JSONDecoder().decode(Self.self, from: Data(configText.utf8))
    }

    public var configText: String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    public static var expected: String { "a JSON object" }
}
