import Foundation

enum TimeZoneFixture {
    /// Beijing time (UTC+8): spec 5.4 gives 2024-05-20 08:00:00 +08:00 = 1716163200.
    static let shanghai = TimeZone(secondsFromGMT: 8 * 3600)
}
