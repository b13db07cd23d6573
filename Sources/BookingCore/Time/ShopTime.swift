import Foundation

/// The shop's local calendar: converts between instants and shop-local dates and wall-clock times.
///
/// Built on Foundation's `TimeZone` and Gregorian `Calendar` (tzdata), never on a hand-written
/// offset table: the zone's offsets between 1900 and 2200 are read from Foundation once, when the
/// value is made, into an `OffsetTable` that answers without Foundation's per-zone lock; outside
/// those years Foundation answers. A local time that does not exist (inside a spring-forward gap) resolves the way Foundation
/// resolves it: moved forward by the length of the gap (New York 02:30 on a spring-forward day is
/// 03:30 EDT). A local time that exists twice (fall-back) resolves to its first occurrence.
public struct ShopTime: Sendable {
    public let timeZone: TimeZone
    private let calendar: Calendar
    private let table: OffsetTable

    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
        self.table = OffsetTable.of(timeZone)
    }

    /// Coordinated Universal Time, the default time zone of a shop.
    public static let utc = ShopTime(timeZone: TimeZone(identifier: "UTC")!)

    /// The shop's time zone as its settings name it (UTC if tzdata does not know the name,
    /// which validated settings never hold).
    public init(settings: ShopSettings) {
        self = ShopTime(identifier: settings.timeZone) ?? .utc
    }

    /// nil when `identifier` is not an IANA time zone known to this machine's tzdata.
    public init?(identifier: String) {
        // Foundation also accepts abbreviations and offsets ("EST", "GMT+5"); only tzdata names pass.
        guard TimeZone.knownTimeZoneIdentifiers.contains(identifier) || identifier == "UTC" || identifier.hasPrefix("Etc/"),
            let zone = TimeZone(identifier: identifier)
        else { return nil }
        self.init(timeZone: zone)
    }

    /// The zone's IANA name.
    public var identifier: String { timeZone.identifier }

    /// The first instant after `instant` at which the zone's UTC offset changes, if any.
    public func nextOffsetChange(after instant: Instant) -> Instant? {
        if OffsetTable.window.contains(instant) { return table.nextChange(after: instant) }
        var cursor = instant.date
        let offset = timeZone.secondsFromGMT(for: cursor)
        while let next = timeZone.nextDaylightSavingTimeTransition(after: cursor) {
            if timeZone.secondsFromGMT(for: next) != offset { return Instant(next) }
            cursor = next
        }
        return nil
    }

    /// The UTC offset in force at `instant`, in seconds.
    public func offsetSeconds(at instant: Instant) -> Int {
        OffsetTable.window.contains(instant) ? table.offset(at: instant) : timeZone.secondsFromGMT(for: instant.date)
    }

    /// The shop-local day `instant` falls on.
    public func localDate(of instant: Instant) -> CivilDate {
        let local = instant.seconds + Int64(offsetSeconds(at: instant))
        return CivilDate(daysSinceEpoch: Int(RFC3339.floorDiv(local, 86_400)))
    }

    /// The instant at which the shop's clocks show `time` on `date` (`24:00` is the next midnight).
    public func instant(on date: CivilDate, at time: TimeOfDay) -> Instant {
        let day = time.minutes == 24 * 60 ? date.adding(days: 1) : date
        let minutes = time.minutes == 24 * 60 ? 0 : time.minutes
        if let resolved = table.instant(atLocal: Int64(day.daysSinceEpoch) * 86_400 + Int64(minutes) * 60) { return resolved }
        return foundationInstant(on: day, minutes: minutes)
    }

    /// `instant(on:at:)` as Foundation's calendar resolves it (the reference `OffsetTable` is
    /// tested against, and the answer outside its window).
    func foundationInstant(on day: CivilDate, minutes: Int) -> Instant {
        let components = DateComponents(
            year: day.year, month: day.month, day: day.day, hour: minutes / 60, minute: minutes % 60)
        guard let resolved = calendar.date(from: components) else {
            preconditionFailure("Gregorian calendar could not resolve \(day) \(minutes) min in \(timeZone.identifier)")
        }
        return Instant(resolved)
    }

    /// `instant` as RFC 3339 with the shop's offset at that instant.
    public func format(_ instant: Instant) -> String {
        RFC3339.format(instant, offsetSeconds: offsetSeconds(at: instant))
    }
}
