import Foundation

/// Decoding one setting's JSON value, with nested structures checked for keys they do not have.
enum ConfigJSON {
    /// A member of a nested object that its setting does not know, e.g. `sharing.maxGrantDay`.
    struct UnknownKey: Error {
        let path: String
    }

    static func decode<Value: Decodable & Encodable>(_ type: Value.Type, from json: Any, key: String) throws -> Value {
        let data = try JSONSerialization.data(withJSONObject: json, options: [.fragmentsAllowed])
        let value = try JSONDecoder().decode(Value.self, from: data)
        // Codable ignores members it does not know. Encoding the decoded value back lists every member
        // the type has (optional ones only when set, which a member given in the file is), so any
        // member of the input missing there is unknown.
        let known = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(value), options: [.fragmentsAllowed])
        if let unknown = firstUnknown(given: json, known: known, path: key) { throw UnknownKey(path: unknown) }
        return value
    }

    private static func firstUnknown(given: Any, known: Any, path: String) -> String? {
        if let given = given as? [String: Any], let known = known as? [String: Any] {
            for name in given.keys.sorted() {
                guard let inner = known[name] else {
                    if given[name] is NSNull { continue }
                    return "\(path).\(name)"
                }
                if let unknown = firstUnknown(given: given[name] as Any, known: inner, path: "\(path).\(name)") { return unknown }
            }
        } else if let given = given as? [Any], let known = known as? [Any] {
            for (index, (item, knownItem)) in zip(given, known).enumerated() {
                if let unknown = firstUnknown(given: item, known: knownItem, path: "\(path)[\(index)]") { return unknown }
            }
        }
        return nil
    }

    /// A JSON value as it would appear in the file, for error messages.
    static func text(_ json: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: json, options: [.fragmentsAllowed, .sortedKeys]) else { return "\(json)" }
        return String(decoding: data, as: UTF8.self)
    }
}
