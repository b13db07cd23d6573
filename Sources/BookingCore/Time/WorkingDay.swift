/// One barber's working periods on one shop-local date, resolved to instants.
///
/// Periods keep their real length on daylight-saving days: 09:00-17:00 is always eight hours,
/// because each boundary is resolved on its own through the shop's time zone.
public struct WorkingDay: Sendable, Equatable {
    public struct Period: Sendable, Equatable {
        public var start: Instant
        public var end: Instant
    }

    public var date: CivilDate
    public var periods: [Period]

    public init(date: CivilDate, schedule: WeeklySchedule, shopTime: ShopTime) {
        self.date = date
        self.periods = schedule.periods(on: date.weekday).map {
            Period(start: shopTime.instant(on: date, at: $0.start), end: shopTime.instant(on: date, at: $0.end))
        }.filter { $0.start < $0.end }
    }

    /// The period that holds all of `[start, end)`, if any.
    public func period(containing start: Instant, _ end: Instant) -> Period? {
        periods.first { $0.start <= start && end <= $0.end }
    }
}
