import Foundation

/// A time inside a MANSCDP body: `yyyy-MM-ddTHH:mm:ss`, local time of the device, no zone (spec §3.1).
/// Kept as wall-clock fields because the body carries no zone; `date(in:)` applies one.
public struct GBDateTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int, month: Int, day: Int
    public var hour: Int, minute: Int, second: Int
    public var millisecond: Int

    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, millisecond: Int = 0) {
        self.year = year; self.month = month; self.day = day
        self.hour = hour; self.minute = minute; self.second = second
        self.millisecond = millisecond
    }

    /// Accepts `T` or a space between date and time, optional milliseconds, and ignores a trailing zone
    /// (`Z`, `+08:00`) because devices that add one still mean local time ([W] parses loosely too).
    public init?(parsing raw: String) {
        let text = raw.trimmingCharacters(in: .whitespaces)
        let bytes = Array(text.utf8)
        guard bytes.count >= 19,
              let year = Self.number(bytes, 0, 4), bytes[4] == UInt8(ascii: "-"),
              let month = Self.number(bytes, 5, 2), bytes[7] == UInt8(ascii: "-"),
              let day = Self.number(bytes, 8, 2),
              bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " ") || bytes[10] == UInt8(ascii: "t"),
              let hour = Self.number(bytes, 11, 2), bytes[13] == UInt8(ascii: ":"),
              let minute = Self.number(bytes, 14, 2), bytes[16] == UInt8(ascii: ":"),
              let second = Self.number(bytes, 17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var millisecond = 0
        if bytes.count > 20, bytes[19] == UInt8(ascii: ".") {
            let digits = bytes[20...].prefix { $0 >= 0x30 && $0 <= 0x39 }.prefix(3)
            let scaled = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
            millisecond = scaled * [1, 100, 10, 1][digits.count]
        }
        self.init(year: year, month: month, day: day, hour: hour, minute: minute, second: second, millisecond: millisecond)
    }

    /// `yyyy-MM-ddTHH:mm:ss`, the form every example of the spec uses (milliseconds are not written).
    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))"
    }

    /// The instant this wall-clock time denotes in `timeZone` (the device's or platform's zone).
    public func date(in timeZone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute,
                                        second: second, nanosecond: millisecond * 1_000_000)
        return calendar.date(from: components)
    }

    /// Wall-clock fields of `date` in `timeZone`.
    public init(_ date: Date, in timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .nanosecond], from: date)
        self.init(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1, hour: parts.hour ?? 0,
                  minute: parts.minute ?? 0, second: parts.second ?? 0, millisecond: (parts.nanosecond ?? 0) / 1_000_000)
    }

    public static func < (lhs: GBDateTime, rhs: GBDateTime) -> Bool { lhs.sortKey < rhs.sortKey }

    /// Monotonic in the wall-clock fields; used for ordering only.
    private var sortKey: Int {
        let days = (year * 13 + month) * 32 + day
        return ((((days * 24 + hour) * 60 + minute) * 61 + second) * 1000) + millisecond
    }

    private static func number(_ bytes: [UInt8], _ start: Int, _ count: Int) -> Int? {
        var value = 0
        for byte in bytes[start..<(start + count)] {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }
}
