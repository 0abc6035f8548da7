import Foundation

/// The JSON config file: `{"httpPort": 8081, "sharing": {"maxGrantDays": 90}}`, keys as in
/// `ConfigKey.all`. Unknown keys are errors, at any depth, so that a misspelt setting is not
/// silently left at its default.
public struct ConfigFile {
    public let path: String
    /// The top-level members, in no particular order.
    let members: [String: Any]

    public init(path: String) throws(ConfigError) {
        self.path = path
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(file: path, reason: Self.reason(error))
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            let (line, column) = Self.position(of: error, in: data)
            throw .malformed(file: path, line: line, column: column, reason: Self.reason(error))
        }
        guard let members = object as? [String: Any] else {
            throw .malformed(file: path, line: 1, column: 1, reason: "the file must hold one JSON object, {\"httpPort\": 8081, ...}")
        }
        self.members = members
    }

    /// Applies the file's values to `config`; returns the keys it set.
    func apply(to config: inout GBShareConfig, keys: [ConfigKey]) throws(ConfigError) -> [String] {
        var applied: [String] = []
        for name in members.keys.sorted() {
            guard let key = keys.first(where: { $0.name == name }) else {
                throw .unknownKey(file: path, key: name, suggestion: Self.nearest(name, among: keys.map(\.name)))
            }
            do {
                try key.applyJSON(&config, members[name] as Any)
            } catch let error as ConfigJSON.UnknownKey {
                throw .unknownKey(file: path, key: error.path, suggestion: nil)
            } catch {
                throw .invalidValue(key: name, value: ConfigJSON.text(members[name] as Any), source: path, expected: key.expected)
            }
            applied.append(name)
        }
        return applied
    }

    /// The OS's words for a file that cannot be read ("No such file or directory"), not Foundation's
    /// wrapper around them.
    static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain,
           let code = POSIXErrorCode(rawValue: Int32(underlying.code)) {
            return String(cString: strerror(code.rawValue))
        }
        if nsError.domain == NSCocoaErrorDomain, nsError.code == CocoaError.fileReadNoSuchFile.rawValue {
            return "no such file"
        }
        if nsError.domain == NSCocoaErrorDomain, nsError.code == CocoaError.fileReadNoPermission.rawValue {
            return "permission denied"
        }
        return (nsError.userInfo[NSDebugDescriptionErrorKey] as? String) ?? nsError.localizedDescription
    }

    /// Foundation's parser says "around line 3, column 7" or "around character 34" (0-based, in
    /// characters) depending on the error; either becomes a line and a column, counted from 1.
    static func position(of error: any Error, in data: Data) -> (Int?, Int?) {
        let nsError = error as NSError
        let text = (nsError.userInfo[NSDebugDescriptionErrorKey] as? String) ?? "\(error)"
        if let match = text.firstMatch(of: /line (\d+), column (\d+)/) {
            return (Int(match.1), Int(match.2))
        }
        guard let match = text.firstMatch(of: /character (\d+)/), let offset = Int(match.1) else { return (nil, nil) }
        let before = String(decoding: data, as: UTF8.self).prefix(offset)
        let line = before.filter { $0 == "\n" }.count + 1
        let column = before.count - (before.lastIndex(of: "\n").map { before.distance(from: before.startIndex, to: $0) + 1 } ?? 0) + 1
        return (line, column)
    }

    /// The known key closest to a misspelt one (a letter or two off), if any.
    static func nearest(_ name: String, among names: [String]) -> String? {
        let scored = names.map { ($0, editDistance(name.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, name.count / 4) else { return nil }
        return best.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(1, a.count) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let old = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = old
            }
        }
        return row[b.count]
    }
}
