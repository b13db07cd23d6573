import BookingCore
import Foundation

/// How the pages write instants, days and money: always in the shop's time zone, in English, e.g.
/// `Tue 2 Mar`, `09:30`, `$30.00`. Computed from the shop's offset at each instant (no formatter
/// objects on the request path).
struct PageFormat: Sendable {
    let time: ShopTime

    static let weekdayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    static let longWeekdayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Minutes after the shop's local midnight of `instant`'s day.
    func minutesOfDay(_ instant: Instant) -> Int {
        let local = instant.seconds + Int64(time.offsetSeconds(at: instant))
        return Int(((local % 86_400) + 86_400) % 86_400) / 60
    }

    /// `09:30`
    func clock(_ instant: Instant) -> String { TimeOfDay(minutes: minutesOfDay(instant)).description }

    /// `Tue 2 Mar`
    func day(_ date: CivilDate) -> String {
        "\(Self.weekdayNames[weekdayIndex(date)]) \(date.day) \(Self.monthNames[date.month - 1])"
    }

    /// `Tuesday 2 Mar 2027`
    func longDay(_ date: CivilDate) -> String {
        "\(Self.longWeekdayNames[weekdayIndex(date)]) \(date.day) \(Self.monthNames[date.month - 1]) \(date.year)"
    }

    /// `Tue 2 Mar, 09:30`
    func dayAndClock(_ instant: Instant) -> String { "\(day(time.localDate(of: instant))), \(clock(instant))" }

    /// `Tue 2 Mar 2027`, the shop-local date of `instant` (for histories that span years)
    func date(_ instant: Instant) -> String {
        let date = time.localDate(of: instant)
        return "\(day(date)) \(date.year)"
    }

    /// `Tue 2 Mar 2027, 09:30`
    func dateAndClock(_ instant: Instant) -> String { "\(date(instant)), \(clock(instant))" }

    /// `Tue 2 Mar, 09:30:05` (for logs of things seconds apart)
    func dayAndClockWithSeconds(_ instant: Instant) -> String {
        let seconds = Int(((instant.seconds % 60) + 60) % 60)
        return "\(dayAndClock(instant)):\(seconds < 10 ? "0" : "")\(seconds)"
    }

    /// `12.5 %` from a rate in [0, 1]
    static func percent(_ rate: Double) -> String { String(format: "%.1f %%", rate * 100) }

    func weekdayIndex(_ date: CivilDate) -> Int { Weekday.allCases.firstIndex(of: date.weekday) ?? 0 }

    /// `$30.00`
    static func money(_ cents: Int) -> String {
        let whole = cents / 100
        let rest = cents % 100
        return "$\(whole).\(rest < 10 ? "0" : "")\(rest)"
    }

    /// `1 h 15 min`, `45 min`
    static func duration(_ minutes: Int) -> String {
        switch (minutes / 60, minutes % 60) {
        case (0, let m): "\(m) min"
        case (let h, 0): "\(h) h"
        case (let h, let m): "\(h) h \(m) min"
        }
    }

    /// The part of the day a start falls in, as the booking page groups times.
    func partOfDay(_ instant: Instant) -> String {
        switch minutesOfDay(instant) {
        case ..<(12 * 60): "Morning"
        case ..<(17 * 60): "Afternoon"
        default: "Evening"
        }
    }

    static let statusNames: [AppointmentStatus: String] = [
        .confirmed: "Confirmed", .cancelled: "Cancelled", .completed: "Completed", .noShow: "No-show",
    ]
}
