/// One element of a parsed MANSCDP body: a small immutable tree, looked up case-insensitively
/// (spec §0: element names arrive in unexpected case, `Info`/`info`, `Alarmstatus`).
public struct MANSCDPElement: Sendable, Equatable {
    /// The element name as received.
    public var name: String
    /// Attributes with trimmed values (`Num=" 1 "` is seen [W]).
    public var attributes: [String: String]
    /// Concatenated character data, trimmed of surrounding whitespace.
    public var text: String
    public var children: [MANSCDPElement]
    /// Lower-cased name, the lookup key.
    public let key: String

    public init(name: String, attributes: [String: String] = [:], text: String = "", children: [MANSCDPElement] = []) {
        self.init(name: name, key: name.lowercased(), attributes: attributes, text: text, children: children)
    }

    init(name: String, key: String, attributes: [String: String], text: String = "", children: [MANSCDPElement] = []) {
        self.name = name
        self.attributes = attributes
        self.text = text
        self.children = children
        self.key = key
    }

    /// First child with this name, ignoring case.
    public func child(_ name: String) -> MANSCDPElement? {
        let wanted = name.lowercased()
        return children.first { $0.key == wanted }
    }

    /// All children with this name, ignoring case.
    public func children(named name: String) -> [MANSCDPElement] {
        let wanted = name.lowercased()
        return children.filter { $0.key == wanted }
    }

    /// Trimmed text of the first child with this name; nil when absent or empty.
    public func value(_ name: String) -> String? {
        guard let text = child(name)?.text, !text.isEmpty else { return nil }
        return text
    }

    /// Attribute value looked up case-insensitively, trimmed.
    public func attribute(_ name: String) -> String? {
        if let exact = attributes[name] { return exact }
        let wanted = name.lowercased()
        return attributes.first { $0.key.lowercased() == wanted }?.value
    }

    /// Integer value of a child, tolerant of surrounding spaces; nil when absent or not a number.
    public func int(_ name: String) -> Int? { value(name).flatMap { Int($0) } }

    /// Double value of a child; nil when absent or not a number.
    public func double(_ name: String) -> Double? { value(name).flatMap { Double($0) } }
}
