/// A setting that cannot be read or cannot work, said in words before anything starts: which file,
/// key, variable or flag, what is wrong and what to do.
public enum ConfigError: Error, Equatable, CustomStringConvertible {
    /// The file named by --config or GBSHARE_CONFIG cannot be opened.
    case unreadable(file: String, reason: String)
    /// Not JSON, or not a JSON object; line and column when the parser gave them.
    case malformed(file: String, line: Int?, column: Int?, reason: String)
    /// A key no setting has (a typo would otherwise be ignored silently); `key` is dotted for nested
    /// ones, e.g. `sharing.maxGrantDay`.
    case unknownKey(file: String, key: String, suggestion: String?)
    /// A value of the wrong kind or out of range; `source` says where it came from.
    case invalidValue(key: String, value: String, source: String, expected: String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            "config file \(file) cannot be read: \(reason). Fix the path given with --config or GBSHARE_CONFIG"
        case let .malformed(file, line, column, reason):
            "config file \(file) is not valid JSON" + (line.map { " at line \($0)" } ?? "")
                + (column.map { ", column \($0)" } ?? "") + ": \(reason)"
        case let .unknownKey(file, key, suggestion):
            "config file \(file) has an unknown key \"\(key)\"" + (suggestion.map { " (did you mean \"\($0)\"?)" } ?? "")
                + "; `gbshare config show` lists the settings"
        case let .invalidValue(key, value, source, expected):
            "\(key) = \(value) (from \(source)) must be \(expected)"
        }
    }
}
