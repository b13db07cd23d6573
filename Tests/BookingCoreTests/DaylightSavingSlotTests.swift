import BookingCore
import Testing

/// A daylight-saving change day, with the local 09:00 and 16:00 written by hand from the 2027
/// transition rules (US: 2nd Sunday of March / 1st Sunday of November; EU: last Sunday of March /
/// October; Sydney: DST ends 1st Sunday of April, starts 1st Sunday of October).
struct DSTDay: Sendable, CustomTestStringConvertible {
    var zone: String
    var date: CivilDate
    /// Local 09:00 of that day as UTC, computed by hand from the day's offset.
    var nineAM: Instant
    var firstStart: String
    var lastStart: String
    var closing: String

    var testDescription: String { "\(zone) \(date)" }

    static let all: [DSTDay] = [
        // New York, spring forward 2027-03-14 02:00 EST -> 03:00 EDT.
        DSTDay(zone: "America/New_York", date: CivilDate(year: 2027, month: 3, day: 14),
               nineAM: Fixture.utc(2027, 3, 14, 13), firstStart: "2027-03-14T09:00:00-04:00",
               lastStart: "2027-03-14T16:00:00-04:00", closing: "2027-03-14T17:00:00-04:00"),
        // New York, fall back 2027-11-07 02:00 EDT -> 01:00 EST.
        DSTDay(zone: "America/New_York", date: CivilDate(year: 2027, month: 11, day: 7),
               nineAM: Fixture.utc(2027, 11, 7, 14), firstStart: "2027-11-07T09:00:00-05:00",
               lastStart: "2027-11-07T16:00:00-05:00", closing: "2027-11-07T17:00:00-05:00"),
        // Berlin, spring forward 2027-03-28 02:00 CET -> 03:00 CEST.
        DSTDay(zone: "Europe/Berlin", date: CivilDate(year: 2027, month: 3, day: 28),
               nineAM: Fixture.utc(2027, 3, 28, 7), firstStart: "2027-03-28T09:00:00+02:00",
               lastStart: "2027-03-28T16:00:00+02:00", closing: "2027-03-28T17:00:00+02:00"),
        // Berlin, fall back 2027-10-31 03:00 CEST -> 02:00 CET.
        DSTDay(zone: "Europe/Berlin", date: CivilDate(year: 2027, month: 10, day: 31),
               nineAM: Fixture.utc(2027, 10, 31, 8), firstStart: "2027-10-31T09:00:00+01:00",
               lastStart: "2027-10-31T16:00:00+01:00", closing: "2027-10-31T17:00:00+01:00"),
        // Sydney, DST ends 2027-04-04 03:00 AEDT -> 02:00 AEST.
        DSTDay(zone: "Australia/Sydney", date: CivilDate(year: 2027, month: 4, day: 4),
               nineAM: Fixture.utc(2027, 4, 3, 23), firstStart: "2027-04-04T09:00:00+10:00",
               lastStart: "2027-04-04T16:00:00+10:00", closing: "2027-04-04T17:00:00+10:00"),
        // Sydney, DST starts 2027-10-03 02:00 AEST -> 03:00 AEDT.
        DSTDay(zone: "Australia/Sydney", date: CivilDate(year: 2027, month: 10, day: 3),
               nineAM: Fixture.utc(2027, 10, 2, 22), firstStart: "2027-10-03T09:00:00+11:00",
               lastStart: "2027-10-03T16:00:00+11:00", closing: "2027-10-03T17:00:00+11:00"),
    ]

    var policy: BookingPolicy { Fixture.policy(zone: zone, now: Fixture.utc(2027, 1, 1), maxDays: 3660) }
}

struct DaylightSavingSlotTests {
    let nineToFive = Fixture.calendar(weekly: Fixture.everyDay([Fixture.period(Fixture.hm(9), Fixture.hm(17))]))
    let hourCut = Fixture.service(minutes: 60)

    @Test("the test dates really are daylight-saving change days", arguments: DSTDay.all)
    func testDateIsATransitionDay(_ day: DSTDay) {
        let shopTime = day.policy.shopTime
        let midnight = shopTime.instant(on: day.date, at: Fixture.hm(0))
        let nextMidnight = shopTime.instant(on: day.date, at: Fixture.hm(24))
        #expect(shopTime.offsetSeconds(at: midnight) != shopTime.offsetSeconds(at: nextMidnight))
        #expect(abs((nextMidnight.seconds - midnight.seconds) - 86_400) == 3_600)
    }

    @Test("09:00-17:00 on a DST change day yields 29 starts from 09:00 to 16:00 local, 8 real hours",
          arguments: DSTDay.all)
    func nineToFiveYieldsEightHoursOfSlots(_ day: DSTDay) throws {
        let policy = day.policy
        let slots = nineToFive.slots(on: day.date, service: hourCut, policy: policy)
        #expect(slots.count == 29)
        let first = try #require(slots.first)
        let last = try #require(slots.last)
        #expect(first == day.nineAM)
        #expect(policy.shopTime.format(first) == day.firstStart)
        #expect(policy.shopTime.format(last) == day.lastStart)
        #expect(policy.shopTime.format(last.adding(minutes: 60)) == day.closing)
        #expect(last.seconds - first.seconds == 7 * 3_600)
        #expect(zip(slots, slots.dropFirst()).allSatisfy { $1.seconds - $0.seconds == 15 * 60 })
    }

    @Test("the working period of a DST change day is exactly eight hours long", arguments: DSTDay.all)
    func workingDayKeepsItsRealLength(_ day: DSTDay) throws {
        let workingDay = WorkingDay(date: day.date, schedule: nineToFive.barber.weekly, shopTime: day.policy.shopTime)
        let period = try #require(workingDay.periods.first)
        #expect(workingDay.periods.count == 1)
        #expect(period.start == day.nineAM)
        #expect(period.end.seconds - period.start.seconds == 8 * 3_600)
    }

    @Test("on a DST change day check accepts 09:00 and 16:00 local and refuses 08:45 and 16:15",
          arguments: DSTDay.all)
    func checkUsesTheDaysRealBoundaries(_ day: DSTDay) {
        let policy = day.policy
        #expect(errorCode(nineToFive.check(start: day.nineAM, service: hourCut, actor: .client, policy: policy)) == nil)
        #expect(errorCode(nineToFive.check(
            start: day.nineAM.adding(minutes: 7 * 60), service: hourCut, actor: .client, policy: policy)) == nil)
        #expect(errorCode(nineToFive.check(
            start: day.nineAM.adding(minutes: -15), service: hourCut, actor: .client, policy: policy)) == "outside_hours")
        #expect(errorCode(nineToFive.check(
            start: day.nineAM.adding(minutes: 7 * 60 + 15), service: hourCut, actor: .staff, policy: policy))
            == "outside_hours")
    }

    @Test("a night shift spanning the spring-forward gap is one real hour shorter")
    func periodAcrossSpringForwardGapLosesAnHour() {
        let calendar = Fixture.calendar(weekly: Fixture.everyDay([Fixture.period(Fixture.hm(0), Fixture.hm(8))]))
        let policy = DSTDay.all[0].policy  // New York, 2027-03-14
        let slots = calendar.slots(on: CivilDate(year: 2027, month: 3, day: 14), service: hourCut, policy: policy)
        let local = slots.map(policy.shopTime.format)
        // 00:00-08:00 local is 7 real hours: starts 00:00 EST .. 07:00 EDT, every 15 real minutes.
        #expect(slots.count == 25)
        #expect(local.first == "2027-03-14T00:00:00-05:00")
        #expect(local.last == "2027-03-14T07:00:00-04:00")
        #expect(local.contains("2027-03-14T01:45:00-05:00"))
        #expect(local.contains("2027-03-14T03:00:00-04:00"))
        #expect(!local.contains { $0.hasPrefix("2027-03-14T02:") })
    }

    @Test("a local time that happens twice on a fall-back day resolves to its first occurrence")
    func ambiguousLocalTimeResolvesToFirstOccurrence() {
        let shopTime = DSTDay.all[1].policy.shopTime  // New York, 2027-11-07
        let instant = shopTime.instant(on: CivilDate(year: 2027, month: 11, day: 7), at: Fixture.hm(1, 30))
        #expect(instant == Fixture.utc(2027, 11, 7, 5, 30))
        #expect(shopTime.format(instant) == "2027-11-07T01:30:00-04:00")
    }

    @Test("a night shift spanning the fall-back repeat is one real hour longer")
    func periodAcrossFallBackGainsAnHour() {
        let calendar = Fixture.calendar(weekly: Fixture.everyDay([Fixture.period(Fixture.hm(0), Fixture.hm(8))]))
        let policy = DSTDay.all[1].policy  // New York, 2027-11-07
        let slots = calendar.slots(on: CivilDate(year: 2027, month: 11, day: 7), service: hourCut, policy: policy)
        let local = slots.map(policy.shopTime.format)
        // 00:00-08:00 local is 9 real hours: 01:00-01:45 happen twice, once per offset.
        #expect(slots.count == 33)
        #expect(local.first == "2027-11-07T00:00:00-04:00")
        #expect(local.last == "2027-11-07T07:00:00-05:00")
        #expect(local.contains("2027-11-07T01:30:00-04:00"))
        #expect(local.contains("2027-11-07T01:30:00-05:00"))
    }
}
