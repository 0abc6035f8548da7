/// User-facing text in the platform's two languages. Chinese is the primary language of every
/// user of a city platform; English is there for vendors and for logs read by non-Chinese staff.
public struct LocalizedText: Hashable, Sendable, Codable, CustomStringConvertible {
    public let zh: String
    public let en: String

    public init(zh: String, en: String) {
        self.zh = zh
        self.en = en
    }

    public func text(for language: Language) -> String {
        switch language {
        case .zh: zh
        case .en: en
        }
    }

    public var description: String { zh }
}

/// The languages the platform speaks to people in.
public enum Language: String, Sendable, Codable, CaseIterable {
    case zh
    case en

    /// Picks the language from an HTTP `Accept-Language` value or a `lang` query: anything that
    /// does not ask for English gets Chinese, the platform's default.
    public init(preference: String?) {
        guard let preference = preference?.lowercased() else {
            self = .zh
            return
        }
        let first = preference.split(separator: ",").first.map(String.init) ?? preference
        self = first.trimmedWhitespace.hasPrefix("en") ? .en : .zh
    }
}

import Foundation
