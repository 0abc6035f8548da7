/// One header line as it will be written: `name: value`.
public struct SIPHeaderField: Hashable, Sendable {
    /// Canonical spelling for known headers, the received spelling for extension headers.
    public var name: String
    public var value: String
    /// Lowercased canonical name, for case-insensitive lookup.
    let key: String

    public init(name: String, value: String) {
        let names = SIPHeaderName.canonicalAndKey(name)
        self.name = names.canonical
        self.value = value
        self.key = names.key
    }
}

/// The ordered header fields of a message. Lookup is case-insensitive and compact forms are
/// expanded (`i` finds `Call-ID`). Lines are kept as received, so a message serialises back
/// to the same bytes; `values(_:)` splits comma-joined list headers (Via, Contact, Route, ...).
public struct SIPHeaders: Hashable, Sendable, Sequence, ExpressibleByDictionaryLiteral {
    public private(set) var fields: [SIPHeaderField] = []

    public init() {}

    public init(_ pairs: [(String, String)]) {
        for (name, value) in pairs { add(name, value) }
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    public func makeIterator() -> IndexingIterator<[SIPHeaderField]> { fields.makeIterator() }

    public var count: Int { fields.count }

    /// The value of the first line with this name.
    public subscript(name: String) -> String? {
        let key = SIPHeaderName.key(name)
        return fields.first { $0.key == key }?.value
    }

    /// Every line with this name, in order, without splitting.
    public func lines(_ name: String) -> [String] {
        let key = SIPHeaderName.key(name)
        return fields.filter { $0.key == key }.map(\.value)
    }

    /// Every value with this name; lines of list-valued headers are split on top-level commas.
    public func values(_ name: String) -> [String] {
        let key = SIPHeaderName.key(name)
        let lines = fields.filter { $0.key == key }.map(\.value)
        guard SIPHeaderName.listValued.contains(key) else { return lines }
        return lines.flatMap { splitHeaderList($0) }.filter { !$0.isEmpty }
    }

    public func contains(_ name: String) -> Bool { self[name] != nil }

    /// Appends a line.
    public mutating func add(_ name: String, _ value: String) {
        fields.append(SIPHeaderField(name: name, value: value))
    }

    /// Replaces the first line with this name in place (keeping its position) and removes the
    /// others; appends if there is none.
    public mutating func set(_ name: String, _ value: String) {
        let key = SIPHeaderName.key(name)
        guard let first = fields.firstIndex(where: { $0.key == key }) else {
            add(name, value)
            return
        }
        fields[first].value = value
        var index = fields.count - 1
        while index > first {
            if fields[index].key == key { fields.remove(at: index) }
            index -= 1
        }
    }

    /// Inserts a line before every existing line with this name (a proxy's Via, a Route).
    public mutating func prepend(_ name: String, _ value: String) {
        let key = SIPHeaderName.key(name)
        let index = fields.firstIndex { $0.key == key } ?? fields.count
        fields.insert(SIPHeaderField(name: name, value: value), at: index)
    }

    public mutating func remove(_ name: String) {
        let key = SIPHeaderName.key(name)
        fields.removeAll { $0.key == key }
    }

    /// Replaces the first value of a list-valued header (the top Via), keeping the rest of its line.
    mutating func replaceFirstValue(_ name: String, with value: String) {
        let key = SIPHeaderName.key(name)
        guard let index = fields.firstIndex(where: { $0.key == key }) else {
            add(name, value)
            return
        }
        var parts = splitHeaderList(fields[index].value)
        if parts.isEmpty { parts = [value] } else { parts[0] = value }
        fields[index].value = parts.joined(separator: ", ")
    }
}
