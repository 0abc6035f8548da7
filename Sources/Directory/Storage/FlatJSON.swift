import Foundation

/// The record's `fields` column: a flat JSON object of strings. Written by hand because the bulk
/// import writes 100,000 of them and Foundation's encoder is the slowest step there.
enum FlatJSON {
    static func encode(_ pairs: [(String, String)]) -> String {
        // Built as UTF-8 bytes, copying each value whole when it needs no escape (almost always):
        // appending scalar by scalar was a fifth of a 100,000-row import's time.
        var out: [UInt8] = [UInt8(ascii: "{")]
        out.reserveCapacity(pairs.reduce(2) { $0 + $1.0.utf8.count + $1.1.utf8.count + 6 })
        for (index, (key, value)) in pairs.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            append(key, to: &out)
            out.append(UInt8(ascii: ":"))
            append(value, to: &out)
        }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    private static func append(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            // Bytes of multi-byte UTF-8 characters are all >= 0x80: only ASCII needs a look.
            guard bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
                out.append(contentsOf: bytes)
                return
            }
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "\""): out += Array("\\\"".utf8)
                case UInt8(ascii: "\\"): out += Array("\\\\".utf8)
                case 0x0A: out += Array("\\n".utf8)
                case 0x0D: out += Array("\\r".utf8)
                case 0x09: out += Array("\\t".utf8)
                case 0..<0x20: out += Array(String(format: "\\u%04x", UInt32(byte)).utf8)
                default: out.append(byte)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
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
