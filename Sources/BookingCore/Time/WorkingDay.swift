/// One barber's working periods on one shop-local date, resolved to instants.
///
/// Periods keep their real length on daylight-saving days: 09:00-17:00 is always eight hours,
/// because each boundary is resolved on its own through the shop's time zone.
///
/// A shift past midnight is written as two periods, `…–24:00` on one day and `00:00–…` on the
/// next. An interval that starts in the first may run on into the second (`overnight`): a barber
/// who works around the clock can be booked at 23:45 for half an hour. Only the next date is
/// looked at, so an interval may reach at most into the next date's first period.
public struct WorkingDay: Sendable, Equatable {
    public struct Period: Sendable, Equatable {
        public var start: Instant
        public var end: Instant
    }

    public var date: CivilDate
    /// This date's periods, in order; none reaches past its midnight.
    public var periods: [Period]
    /// The next date's first period, when it starts exactly where this date's last period ends.
    public var overnight: Period?

    public init(date: CivilDate, schedule: WeeklySchedule, shopTime: ShopTime) {
        self.date = date
        let worked = schedule.periods(on: date.weekday)
        self.periods = worked.map { Self.resolve($0, on: date, shopTime) }.filter { $0.start < $0.end }
        if let last = periods.last, worked.last?.end == Self.midnight {
            let tomorrow = date.adding(days: 1)
            let next = schedule.periods(on: tomorrow.weekday).first.map { Self.resolve($0, on: tomorrow, shopTime) }
            self.overnight = next.flatMap { $0.start == last.end && $0.start < $0.end ? $0 : nil }
        }
    }

    private static let midnight = TimeOfDay(minutes: 24 * 60)

    private static func resolve(_ period: WorkPeriod, on date: CivilDate, _ shopTime: ShopTime) -> Period {
        Period(start: shopTime.instant(on: date, at: period.start), end: shopTime.instant(on: date, at: period.end))
    }

    /// The period that holds all of `[start, end)`, if any: one of `periods`, or the last of
    /// them run on into `overnight` when the interval starts before midnight and ends after.
    public func period(containing start: Instant, _ end: Instant) -> Period? {
        if let period = periods.first(where: { $0.start <= start && end <= $0.end }) { return period }
        guard let last = periods.last, let overnight, last.start <= start, start < last.end, end <= overnight.end
        else { return nil }
        return Period(start: last.start, end: overnight.end)
    }

    /// The latest end an interval starting in `period` (one of `periods`) may have.
    public func latestEnd(startingIn period: Period) -> Instant {
        guard let overnight, period == periods.last else { return period.end }
        return overnight.end
    }
}
