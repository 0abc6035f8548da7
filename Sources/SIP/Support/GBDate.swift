import Foundation

/// The Date header value GB/T 28181 puts in a 200 OK to REGISTER for device time sync:
/// `yyyy-MM-dd'T'HH:mm:ss.SSS`, platform local time, no zone ([W] GbSipDate; spec 1.6).
public enum GBDate {
    public static func string(from date: Date, timeZone: TimeZone = .current) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        // Round to the millisecond first so 08:00:00.456 does not print as .455 after binary rounding.
        let totalMillis = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let wholeSeconds = Date(timeIntervalSince1970: Double(totalMillis.quotientRounding(by: 1000)))
        let millis = Int(totalMillis - totalMillis.quotientRounding(by: 1000) * 1000)
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: wholeSeconds)
        return pad(parts.year ?? 0, 4) + "-" + pad(parts.month ?? 0, 2) + "-" + pad(parts.day ?? 0, 2)
            + "T" + pad(parts.hour ?? 0, 2) + ":" + pad(parts.minute ?? 0, 2) + ":"
            + pad(parts.second ?? 0, 2) + "." + pad(millis, 3)
    }

    /// Parses the same shape back (devices echo it in some logs); nil if it does not match.
    public static func date(from text: String, timeZone: TimeZone = .current) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count == 23 || bytes.count == 19 else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            return Int(String(decoding: bytes[range], as: UTF8.self))
        }
        guard bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
            let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19)
        else { return nil }
        let millis = bytes.count == 23 ? number(20..<23) : 0
        guard let millis else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        return calendar.date(from: components).map { $0.addingTimeInterval(Double(millis) / 1000) }
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}

extension Int64 {
    /// Floor division, so times before 1970 still split into seconds and 0...999 ms.
    fileprivate func quotientRounding(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor < 0) ? quotient - 1 : quotient
    }
}
