import Foundation

/// The record's `fields` column: a flat JSON object of strings. Written by hand because the bulk
/// import writes 100,000 of them and Foundation's encoder is the slowest step there.
enum FlatJSON {
    static func encode(_ pairs: [(String, String)]) -> String {
        var out = "{"
        out.reserveCapacity(pairs.count * 24)
        for (index, (key, value)) in pairs.enumerated() {
            if index > 0 { out += "," }
            append(key, to: &out)
            out += ":"
            append(value, to: &out)
        }
        return out + "}"
    }

    private static func append(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let control where control.value < 0x20:
                out += String(format: "\\u%04x", control.value)
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    static func decode(_ text: String) -> [String: String]? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return nil }
        return object.compactMapValues { $0 as? String }
    }
}

extension CameraRecord {
    var fieldsJSON: String {
        FlatJSON.encode(CameraField.allCases.compactMap { field in values[field].map { (field.rawValue, $0) } })
    }

    init?(fieldsJSON: String) {
        guard let object = FlatJSON.decode(fieldsJSON) else { return nil }
        var values: [CameraField: String] = [:]
        for (key, value) in object { if let field = CameraField(rawValue: key) { values[field] = value } }
        self.init(values: values)
    }
}

extension PlatformRecord {
    var fieldsJSON: String {
        FlatJSON.encode(PlatformField.allCases.compactMap { field in values[field].map { (field.rawValue, $0) } })
    }
}
