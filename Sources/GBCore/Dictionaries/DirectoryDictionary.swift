/// A code list of Appendix 5 of the Shanwei plan (附录五): each value has the code that is written in
/// the directory file and a label in Chinese and English.
public protocol DirectoryDictionary: CaseIterable, Hashable, Sendable, RawRepresentable, Codable
where RawValue == String, AllCases: Sendable {
    var label: LocalizedText { get }
    /// The dictionary's own name, for messages ("设备厂商" / "manufacturer").
    static var dictionaryName: LocalizedText { get }
}

extension DirectoryDictionary {
    public var code: String { rawValue }

    /// Looks a written code up. Excel drops leading zeros ("6" for department "06"), so numeric codes
    /// compare by value; inventory forms write the Chinese label ("在用") instead of the code, so
    /// labels are accepted too. Nothing else is guessed.
    public init?(code: String) {
        let trimmed = code.trimmedWhitespace
        if let exact = Self(rawValue: trimmed) {
            self = exact
            return
        }
        if let number = Int(trimmed), let numeric = Self.allCases.first(where: { Int($0.rawValue) == number }) {
            self = numeric
        } else if let labelled = Self.allCases.first(where: { $0.label.zh == trimmed }) {
            self = labelled
        } else {
            return nil
        }
    }

    /// "1 一类视频, 2 二类视频, ..." for messages that list what is allowed.
    public static func allowedValues(_ language: Language) -> String {
        allCases.map { "\($0.rawValue) \($0.label.text(for: language))" }.joined(separator: ", ")
    }
}

import Foundation
