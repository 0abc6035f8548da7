import Foundation

/// Deadlines in working days (Monday to Friday, Beijing time). Public holidays and the State
/// Council's swapped weekend days are not modelled: a deadline may fall a day early around them.
public enum WorkingDays {
    public static func adding(_ days: Int, to start: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600)!
        var date = start
        var remaining = max(0, days)
        while remaining > 0 {
            date = calendar.date(byAdding: .day, value: 1, to: date) ?? date.addingTimeInterval(86_400)
            let weekday = calendar.component(.weekday, from: date)
            if weekday != 1 && weekday != 7 { remaining -= 1 }
        }
        return date
    }
}
