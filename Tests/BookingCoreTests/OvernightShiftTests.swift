import BookingCore
import Testing

/// A shift past midnight is two periods, `…–24:00` and the next day's `00:00–…`; an interval may
/// start in the first and end in the second (`WorkingDay.overnight`), and the slots follow.
struct OvernightShiftTests {
    static let monday = CivilDate(year: 2027, month: 3, day: 15)
    let policy = Fixture.policy(now: Fixture.utc(2027, 3, 8), notice: 0)
    let halfHour = Fixture.service(minutes: 30)
    let hour = Fixture.service(minutes: 60)

    /// Monday 20:00-24:00, Tuesday 00:00-02:00 and 09:00-12:00, Wednesday 22:00-24:00 (Thursday off).
    let nightShift = Fixture.calendar(weekly: Fixture.schedule([
        .monday: [Fixture.period(Fixture.hm(20), Fixture.hm(24))],
        .tuesday: [Fixture.period(Fixture.hm(0), Fixture.hm(2)), Fixture.period(Fixture.hm(9), Fixture.hm(12))],
        .wednesday: [Fixture.period(Fixture.hm(22), Fixture.hm(24))],
    ]))

    @Test("a barber who works around the clock can be booked across midnight")
    func aroundTheClockRunsPastMidnight() {
        var calendar = Fixture.calendar(weekly: Fixture.everyDay([Fixture.period(Fixture.hm(0), Fixture.hm(24))]))
        let slots = calendar.slots(on: Self.monday, service: halfHour, policy: policy)
        #expect(slots.count == 96)
        #expect(slots.last == Fixture.utc(2027, 3, 15, 23, 45))
        let booked = calendar.book(id: 1, service: halfHour, start: Fixture.utc(2027, 3, 15, 23, 45), actor: .client, policy: policy)
        #expect(booked?.end == Fixture.utc(2027, 3, 16, 0, 15))
        // Tuesday's first free start is after it.
        #expect(calendar.slots(on: Self.monday.adding(days: 1), service: halfHour, policy: policy).first
            == Fixture.utc(2027, 3, 16, 0, 15))
    }

    @Test("an interval may run from the last period into the next day's first, and no further")
    func intoTheNextDaysFirstPeriodOnly() {
        let cases: [(Instant, Service, String?)] = [
            (Fixture.utc(2027, 3, 15, 23, 30), hour, nil),  // 23:30-00:30
            (Fixture.utc(2027, 3, 15, 23, 0), Fixture.service(minutes: 180), nil),  // 23:00-02:00, to the end
            (Fixture.utc(2027, 3, 15, 23, 30), Fixture.service(minutes: 180), "outside_hours"),  // to 02:30
            (Fixture.utc(2027, 3, 16, 1, 30), hour, "outside_hours"),  // 01:30-02:30
            (Fixture.utc(2027, 3, 15, 19, 30), hour, "outside_hours"),  // starts before the shift
            (Fixture.utc(2027, 3, 17, 23, 30), hour, "outside_hours"),  // Wednesday: Thursday is off
        ]
        for (start, service, expected) in cases {
            #expect(errorCode(nightShift.check(start: start, service: service, actor: .client, policy: policy)) == expected,
                    "\(start) for \(service.durationMinutes) minutes")
        }
    }

    @Test("a day whose next day starts after midnight does not run on")
    func aGapAtMidnightEndsTheDay() {
        let calendar = Fixture.calendar(weekly: Fixture.schedule([
            .monday: [Fixture.period(Fixture.hm(20), Fixture.hm(24))],
            .tuesday: [Fixture.period(Fixture.hm(0, 15), Fixture.hm(2))],
        ]))
        #expect(errorCode(calendar.check(start: Fixture.utc(2027, 3, 15, 23, 45), service: halfHour, actor: .staff, policy: policy))
            == "outside_hours")
        #expect(calendar.slots(on: Self.monday, service: halfHour, policy: policy).last == Fixture.utc(2027, 3, 15, 23, 30))
        let day = WorkingDay(date: Self.monday, schedule: calendar.barber.weekly, shopTime: policy.shopTime)
        #expect(true)
    }

    @Test("the slots of a night shift list exactly the starts check accepts, minute by minute",
          arguments: [15, 30, 60, 120, 180])
    func nightShiftSlotsMatchCheck(durationMinutes: Int) {
        let service = Fixture.service(minutes: durationMinutes)
        for offset in 0..<3 {
            let date = Self.monday.adding(days: offset)
            let midnight = policy.shopTime.instant(on: date, at: Fixture.hm(0))
            let listed = Set(nightShift.slots(on: date, service: service, policy: policy))
            var mismatches: [String] = []
            for minute in 0..<(24 * 60) {
                let start = midnight.adding(minutes: minute)
                let accepted = errorCode(nightShift.check(start: start, service: service, actor: .client, policy: policy)) == nil
                if accepted != listed.contains(start) { mismatches.append("\(date) \(minute / 60):\(minute % 60)") }
            }
            #expect(mismatches.isEmpty, "\(mismatches)")
        }
        // Monday's last start is the one that ends at 02:00, or 23:45 when that is later.
        let mondayLast = nightShift.slots(on: Self.monday, service: service, policy: policy).last
        let expected = min(Fixture.utc(2027, 3, 15, 23, 45), Fixture.utc(2027, 3, 16, 2).adding(minutes: -durationMinutes))
        #expect(mondayLast == expected)
    }

    @Test("around the clock across a daylight-saving night: the 25-hour day, and into it from the day before")
    func aroundTheClockOverAFallBackNight() {
        let newYork = Fixture.policy(zone: "America/New_York", now: Fixture.utc(2027, 11, 1), notice: 0)
        let calendar = Fixture.calendar(weekly: Fixture.everyDay([Fixture.period(Fixture.hm(0), Fixture.hm(24))]))
        let saturday = CivilDate(year: 2027, month: 11, day: 6)
        // Saturday 23:45 EDT = 03:45Z, for half an hour into Sunday.
        #expect(errorCode(calendar.check(start: Fixture.utc(2027, 11, 7, 3, 45), service: halfHour, actor: .client, policy: newYork))
            == nil)
        #expect(calendar.slots(on: saturday, service: halfHour, policy: newYork).count == 96)
        // Sunday 2027-11-07 has 25 hours; its last start is 23:45 EST = 04:45Z Monday.
        let sunday = calendar.slots(on: saturday.adding(days: 1), service: halfHour, policy: newYork)
        #expect(sunday.count == 100)
        #expect(sunday.last == Fixture.utc(2027, 11, 8, 4, 45))
    }
}
