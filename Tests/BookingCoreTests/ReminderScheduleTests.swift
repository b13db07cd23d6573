import BookingCore
import TestSupport
import Testing

/// When reminders are owed, with the clock as a parameter: each offset as an exact duration
/// before the start (also across a daylight-saving change), only for a time the appointment had
/// before the reminder's moment, one reminder for several missed moments, none after the start,
/// and none twice for the same start.
@Suite struct ReminderScheduleTests {
    static let schedule = ReminderSchedule(offsets: [86_400, 7_200])
    static let start = RFC3339.parse("2027-03-02T14:00:00Z")!
    static let bookedEarly = RFC3339.parse("2027-02-01T10:00:00Z")!

    static func at(_ secondsBefore: Int64) -> Instant { start.adding(seconds: -secondsBefore) }

    @Test func offsetsParseWithUnitsAndBadOnesAreRefused() throws {
        #expect(try ReminderSchedule(parsing: "24h,2h").offsets == [86_400, 7_200])
        #expect(try ReminderSchedule(parsing: " 2h , 1d ").offsets == [86_400, 7_200], "sorted, spaces allowed")
        #expect(try ReminderSchedule(parsing: "90m,30s,2h,2h").offsets == [7_200, 5_400, 30])
        #expect(try ReminderSchedule(parsing: "none").offsets == [])
        #expect(try ReminderSchedule(parsing: "").offsets == [])
        #expect(try ReminderSchedule(parsing: "365d").horizon == 365 * 86_400)
        for bad in ["24", "h", "0h", "-1h", "24x", "2h,,1h", "1.5h", "366d", "2h;1h", "two hours", "1h30m", "٣h"] {
            #expect(throws: ReminderScheduleError.self, "\(bad)") { try ReminderSchedule(parsing: bad) }
        }
    }

    @Test func eachReminderIsOwedFromItsMomentUntilTheStart() {
        let s = Self.schedule
        #expect(s.owed(start: Self.start, setAt: Self.bookedEarly, now: Self.at(86_401), sent: nil) == nil, "a second early")
        #expect(s.owed(start: Self.start, setAt: Self.bookedEarly, now: Self.at(86_400), sent: nil) == 86_400)
        let sentDay = ReminderMark(start: Self.start, offset: 86_400)
        #expect(s.owed(start: Self.start, setAt: Self.bookedEarly, now: Self.at(50_000), sent: sentDay) == nil)
        #expect(s.owed(start: Self.start, setAt: Self.bookedEarly, now: Self.at(7_200), sent: sentDay) == 7_200)
        let sentBoth = ReminderMark(start: Self.start, offset: 7_200)
        #expect(s.owed(start: Self.start, setAt: Self.bookedEarly, now: Self.at(60), sent: sentBoth) == nil)
        #expect(s.owed(start: Self.start, setAt: Self.bookedEarly, now: Self.start, sent: sentDay) == nil, "nothing once it started")
    }

    @Test func missedMomentsGiveOneReminderTheLatest() {
        // The server was down from before the 24 h moment until 1 h before the start.
        let owed = Self.schedule.owed(start: Self.start, setAt: Self.bookedEarly, now: Self.at(3_600), sent: nil)
        #expect(owed == 7_200)
        #expect(
            Self.schedule.owed(start: Self.start, setAt: Self.bookedEarly, now: Self.at(3_000), sent: ReminderMark(start: Self.start, offset: 7_200))
                == nil, "the 2 h reminder covers the 24 h one")
    }

    @Test func aBookingInsideTheWindowGetsNoReminderForMomentsBeforeIt() {
        let s = Self.schedule
        let bookedHourBefore = Self.at(3_600)
        for before in [3_600, 1_800, 1] as [Int64] {
            #expect(s.owed(start: Self.start, setAt: bookedHourBefore, now: Self.at(before), sent: nil) == nil)
        }
        let bookedDayBefore = Self.at(80_000)
        #expect(s.owed(start: Self.start, setAt: bookedDayBefore, now: Self.at(70_000), sent: nil) == nil)
        #expect(s.owed(start: Self.start, setAt: bookedDayBefore, now: Self.at(7_200), sent: nil) == 7_200)
    }

    @Test func aMovedAppointmentGetsTheRemindersOfItsNewTimeOnly() {
        let s = Self.schedule
        let sentOld = ReminderMark(start: Self.start, offset: 86_400)
        // Moved, 20 hours before the old start, to 6 hours later.
        let movedAt = Self.at(72_000)
        let newStart = Self.start.adding(seconds: 6 * 3_600)
        #expect(s.owed(start: newStart, setAt: movedAt, now: movedAt.adding(seconds: 60), sent: sentOld) == nil,
                "its 24 h moment was before the move")
        #expect(s.owed(start: newStart, setAt: movedAt, now: newStart.adding(seconds: -7_200), sent: sentOld) == 7_200)
    }

    @Test func offsetsAreExactDurationsAcrossADaylightSavingChange() throws {
        // New York springs forward on 2030-03-10 at 02:00 EST. An appointment at 10:00 EDT that
        // day: 24 h before is 09:00 EST the day before (23 wall-clock hours earlier in local time
        // terms would be 10:00), and 2 h before is 08:00 EDT.
        let newYork = try #require(ShopTime(identifier: "America/New_York"))
        let start = newYork.instant(on: CivilDate(year: 2030, month: 3, day: 10), at: TimeOfDay(minutes: 10 * 60))
        #expect(newYork.format(start) == "2030-03-10T10:00:00-04:00")
        let clock = ManualClock(newYork.instant(on: CivilDate(year: 2030, month: 3, day: 9), at: TimeOfDay(minutes: 8 * 60 + 59)))
        let booked = RFC3339.parse("2030-03-01T12:00:00Z")!
        #expect(Self.schedule.owed(start: start, setAt: booked, now: clock.now, sent: nil) == nil)
        clock.advance(minutes: 1)
        #expect(newYork.format(clock.now) == "2030-03-09T09:00:00-05:00")
        #expect(Self.schedule.owed(start: start, setAt: booked, now: clock.now, sent: nil) == 86_400)
        #expect(start.seconds - clock.now.seconds == 86_400)
        clock.set(start.adding(seconds: -7_200))
        #expect(newYork.format(clock.now) == "2030-03-10T08:00:00-04:00")
        #expect(Self.schedule.owed(start: start, setAt: booked, now: clock.now, sent: ReminderMark(start: start, offset: 86_400)) == 7_200)

        // Falling back on 2030-11-03: 24 h before 09:00 EST is 10:00 EDT the day before.
        let autumn = newYork.instant(on: CivilDate(year: 2030, month: 11, day: 3), at: TimeOfDay(minutes: 9 * 60))
        clock.set(autumn.adding(seconds: -86_400))
        #expect(newYork.format(clock.now) == "2030-11-02T10:00:00-04:00")
        #expect(Self.schedule.owed(start: autumn, setAt: booked, now: clock.now, sent: nil) == 86_400)
    }

    @Test func noRemindersMeansNoneOwed() {
        #expect(ReminderSchedule.none.owed(start: Self.start, setAt: Self.bookedEarly, now: Self.at(60), sent: nil) == nil)
        #expect(ReminderSchedule.none.horizon == 0)
    }
}
