import BookingCore
import Testing

/// The one-path rule: `slots(on:service:policy:)` lists a start exactly when `check` accepts it
/// for a client. Checked minute by minute over a whole busy day.
struct SlotsMatchCheckTests {
    static let date = CivilDate(year: 2027, month: 3, day: 15)  // a Monday
    static let dayStart = Fixture.utc(2027, 3, 15)

    /// UTC, Monday 09:00-12:00 and 13:10-18:00 (the second period's grid is not on the hour),
    /// 10 minutes of buffer, appointments booked by staff off the grid, one cancelled, one
    /// completed, and time off in the afternoon.
    static let busyCalendar: BarberCalendar = {
        let setup = Fixture.policy(now: Fixture.utc(2027, 3, 1))
        var calendar = Fixture.calendar(
            weekly: Fixture.schedule([
                .monday: [Fixture.period(Fixture.hm(9), Fixture.hm(12)), Fixture.period(Fixture.hm(13, 10), Fixture.hm(18))],
                .tuesday: [Fixture.period(Fixture.hm(9), Fixture.hm(17))],
            ]),
            buffer: 10)
        calendar.book(id: 1, service: Fixture.service(minutes: 45), start: Fixture.utc(2027, 3, 15, 9, 35), policy: setup)
        calendar.book(id: 2, service: Fixture.service(minutes: 30), start: Fixture.utc(2027, 3, 15, 13, 40), policy: setup)
        calendar.book(id: 3, service: Fixture.service(minutes: 30), start: Fixture.utc(2027, 3, 15, 17), policy: setup)
        calendar.book(id: 4, service: Fixture.service(minutes: 45), start: Fixture.utc(2027, 3, 15, 11), policy: setup)
        calendar.applyDecision(calendar.decideCancel(4, reason: "flu", by: People.admin, policy: setup))
        calendar.book(id: 5, service: Fixture.service(minutes: 30), start: Fixture.utc(2027, 3, 15, 16, 10), policy: setup)
        calendar.applyDecision(calendar.decideStatus(5, .completed, by: People.barber))
        calendar.applyDecision(calendar.decideTimeOff(
            id: 1, start: Fixture.utc(2027, 3, 15, 15), end: Fixture.utc(2027, 3, 15, 15, 40), reason: "dentist"))
        return calendar
    }()

    struct Variant: Sendable, CustomTestStringConvertible {
        var name: String
        var policy: BookingPolicy
        var testDescription: String { name }
    }

    static let variants: [Variant] = [
        Variant(name: "a week ahead", policy: Fixture.policy(now: Fixture.utc(2027, 3, 8))),
        Variant(name: "20-minute grid", policy: Fixture.policy(now: Fixture.utc(2027, 3, 8), slot: 20)),
        Variant(name: "notice cuts the morning", policy: Fixture.policy(now: Fixture.utc(2027, 3, 15, 8, 50))),
        Variant(name: "horizon cuts the afternoon",
                policy: Fixture.policy(now: Fixture.utc(2027, 3, 14, 14, 5), notice: 0, maxDays: 1)),
        Variant(name: "day already started", policy: Fixture.policy(now: Fixture.utc(2027, 3, 15, 12, 30), notice: 0)),
    ]

    @Test("every listed start is accepted by check and every unlisted minute of the day is refused",
          arguments: variants, [15, 30, 45, 50, 60, 120])
    func slotsListExactlyTheStartsCheckAccepts(_ variant: Variant, durationMinutes: Int) {
        let calendar = Self.busyCalendar
        let service = Fixture.service(minutes: durationMinutes)
        let slots = calendar.slots(on: Self.date, service: service, policy: variant.policy)
        #expect(zip(slots, slots.dropFirst()).allSatisfy { $0 < $1 }, "slots are sorted and distinct")
        let listed = Set(slots)
        var mismatches: [String] = []
        for minute in 0..<(24 * 60) {
            let start = Self.dayStart.adding(minutes: minute)
            let result = calendar.check(start: start, service: service, actor: .client, policy: variant.policy)
            let accepted = errorCode(result) == nil
            if accepted != listed.contains(start) {
                mismatches.append("\(minute / 60):\(minute % 60) listed=\(listed.contains(start)) check=\(errorCode(result) ?? "ok")")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
        #expect(listed.isSubset(of: Set((0..<(24 * 60)).map { Self.dayStart.adding(minutes: $0) })))
    }

    @Test("the busy day lists exactly the hand-computed starts for a 30-minute service")
    func busyDayListsHandComputedStarts() {
        let policy = Fixture.policy(now: Fixture.utc(2027, 3, 8))
        let slots = Self.busyCalendar.slots(on: Self.date, service: Fixture.service(minutes: 30), policy: policy)
        // Morning: clear of 09:35-10:20 + 10 min buffer; the cancelled 11:00 is free again.
        // Afternoon grid 13:10 + 15k: only 14:25 clears 13:40-14:10, the 15:00-15:40 time off,
        // the completed 16:10-16:40 and 17:00-17:30, with buffers.
        let expected = [(10, 30), (10, 45), (11, 0), (11, 15), (11, 30), (14, 25)].map { Fixture.utc(2027, 3, 15, $0.0, $0.1) }
        #expect(slots == expected)
    }

    @Test("slot starts step by the slot interval from the start of each working period")
    func slotGridStartsAtEachPeriod() {
        let calendar = Fixture.calendar(weekly: Fixture.schedule([
            .monday: [Fixture.period(Fixture.hm(9), Fixture.hm(10)), Fixture.period(Fixture.hm(13, 10), Fixture.hm(14, 10))],
        ]))
        let policy = Fixture.policy(now: Fixture.utc(2027, 3, 8))
        let slots = calendar.slots(on: Self.date, service: Fixture.service(minutes: 30), policy: policy)
        let expected = [(9, 0), (9, 15), (9, 30), (13, 10), (13, 25), (13, 40)].map { Fixture.utc(2027, 3, 15, $0.0, $0.1) }
        #expect(slots == expected)
        #expect(errorCode(calendar.check(
            start: Fixture.utc(2027, 3, 15, 13, 15), service: Fixture.service(minutes: 30), actor: .client, policy: policy))
            == "validation_failed")
    }

    @Test("a day off lists no slots")
    func dayOffListsNothing() {
        let policy = Fixture.policy(now: Fixture.utc(2027, 3, 8))
        #expect(Self.busyCalendar.slots(
            on: CivilDate(year: 2027, month: 3, day: 14), service: Fixture.service(minutes: 30), policy: policy).isEmpty)
    }
}
