import Foundation

/// What `gbshare config show` prints: every setting's effective value and where it came from, with
/// secrets masked so the output can be pasted into a ticket.
public struct ConfigReport {
    public struct Line: Equatable {
        public var key: String
        public var value: String
        public var source: String
        /// False when the setting has no value at all (shown as "(not set)").
        public var isSet: Bool

        public init(key: String, value: String, source: String, isSet: Bool = true) {
            self.key = key
            self.value = value
            self.source = source
            self.isSet = isSet
        }
    }

    public let lines: [Line]
    public let file: String?

    public init(_ loaded: ConfigLoader.Loaded, keys: [ConfigKey] = ConfigKey.all) {
        file = loaded.file
        lines = keys.map { key in
            let raw = key.text(loaded.config)
            let value = raw.map { key.isSecret ? Self.mask(key, $0) : $0 } ?? "(not set)"
            return Line(key: key.name, value: value, source: (loaded.sources[key.name] ?? .defaultValue).description, isSet: raw != nil)
        }
    }

    static func mask(_ key: ConfigKey, _ value: String) -> String {
        key.name == "databaseURL" ? DatabaseURLMask.masked(value) : "********"
    }

    public var text: String {
        let keyWidth = lines.map(\.key.count).max() ?? 0
        let valueWidth = min(48, lines.map(\.value.count).max() ?? 0)
        let header = "config file: " + (file ?? "none (looked for --config, GBSHARE_CONFIG, <data folder>/gbshare.json)")
        let order = "order: default < config file < environment < flags"
        return ([header, order, ""] + lines.map { line in
            line.key.padding(toLength: keyWidth, withPad: " ", startingAt: 0) + "  "
                + (line.value.count < valueWidth ? line.value.padding(toLength: valueWidth, withPad: " ", startingAt: 0) : line.value)
                + "  " + line.source
        }).joined(separator: "\n")
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:****@host/db`: the rest says which database.
enum DatabaseURLMask {
    static func masked(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return "********" }
        if components.password != nil { components.password = "****" }
        return components.string ?? "********"
    }
}
