import BookingCore
import Testing

/// Each refusal of `BarberCalendar.check`, with its boundaries, and the contract's error codes.
struct BookingRuleTests {
    /// UTC; Monday 09:00-12:00 and 13:00-17:00, Tuesday 09:00-17:00, Sunday off.
    static let weekly = Fixture.schedule([
        .monday: [Fixture.period(Fixture.hm(9), Fixture.hm(12)), Fixture.period(Fixture.hm(13), Fixture.hm(17))],
        .tuesday: [Fixture.period(Fixture.hm(9), Fixture.hm(17))],
    ])
    let calendar = Fixture.calendar(weekly: weekly)
    let policy = Fixture.policy(now: Fixture.utc(2027, 3, 8))
    let hour = Fixture.service(minutes: 60)

    /// 2027-03-15 (a Monday) at the given UTC time.
    func monday(_ hour: Int, _ minute: Int = 0) -> Instant { Fixture.utc(2027, 3, 15, hour, minute) }

    func code(_ start: Instant, service: Service? = nil, actor: BookingActor = .client, policy: BookingPolicy? = nil,
              in calendar: BarberCalendar? = nil) -> String? {
        errorCode((calendar ?? self.calendar).check(
            start: start, service: service ?? hour, actor: actor, policy: policy ?? self.policy))
    }

    // MARK: too_soon / too_far

    @Test("a start in the past is too_soon, for clients and staff")
    func pastStartIsTooSoon() {
        let now = Fixture.policy(now: monday(10), notice: 0)
        #expect(code(monday(9), policy: now) == "too_soon")
        #expect(code(monday(9), actor: .staff, policy: now) == "too_soon")
        #expect(code(monday(10), policy: now) == nil)
    }

    @Test("a start inside the minimum notice is too_soon; exactly at the notice is accepted")
    func startInsideMinimumNoticeIsTooSoon() {
        #expect(code(monday(10), policy: Fixture.policy(now: monday(9), notice: 60)) == nil)
        #expect(code(monday(10), policy: Fixture.policy(now: monday(9, 1), notice: 60)) == "too_soon")
        #expect(code(monday(10), actor: .staff, policy: Fixture.policy(now: monday(9, 1), notice: 60)) == "too_soon")
    }

    @Test("a start past the horizon is too_far; exactly max_advance_days ahead is accepted")
    func startPastHorizonIsTooFar() {
        let exactlyAtHorizon = monday(10).adding(minutes: -90 * 24 * 60)
        #expect(code(monday(10), policy: Fixture.policy(now: exactlyAtHorizon, maxDays: 90)) == nil)
        #expect(code(monday(10), policy: Fixture.policy(now: exactlyAtHorizon.adding(minutes: -1), maxDays: 90)) == "too_far")
        #expect(code(monday(10), actor: .staff, policy: Fixture.policy(now: exactlyAtHorizon.adding(minutes: -1), maxDays: 90))
            == "too_far")
    }

    // MARK: outside_hours

    @Test("a start before opening, in the lunch gap or after closing is outside_hours")
    func startOutsidePeriodsIsOutsideHours() {
        #expect(code(monday(8, 45)) == "outside_hours")
        #expect(code(monday(12)) == "outside_hours")
        #expect(code(monday(12, 30), actor: .staff) == "outside_hours")
        #expect(code(monday(17)) == "outside_hours")
        #expect(code(monday(9)) == nil)
        #expect(code(monday(13)) == nil)
        #expect(code(monday(16)) == nil)
    }

    @Test("an interval crossing the end of a period is outside_hours")
    func intervalCrossingPeriodEndIsOutsideHours() {
        #expect(code(monday(11, 30)) == "outside_hours")
        #expect(code(monday(11, 15), service: Fixture.service(minutes: 45)) == nil)
        #expect(code(monday(16, 15)) == "outside_hours")
        #expect(code(monday(11), service: Fixture.service(minutes: 150), actor: .staff) == "outside_hours")
    }

    @Test("a start on a day off is outside_hours")
    func dayOffIsOutsideHours() {
        #expect(code(Fixture.utc(2027, 3, 14, 10)) == "outside_hours")
        #expect(code(Fixture.utc(2027, 3, 17, 10), actor: .staff) == "outside_hours")
    }

    @Test("an interval overlapping time off is outside_hours; touching it is fine")
    func timeOffOverlapIsOutsideHours() {
        var calendar = self.calendar
        calendar.applyDecision(calendar.decideTimeOff(id: 7, start: monday(10), end: monday(11), reason: nil))
        #expect(code(monday(10), in: calendar) == "outside_hours")
        #expect(code(monday(9, 30), in: calendar) == "outside_hours")
        #expect(code(monday(10, 45), in: calendar) == "outside_hours")
        #expect(code(monday(10, 15), actor: .staff, in: calendar) == "outside_hours")
        #expect(code(monday(9), in: calendar) == nil)
        #expect(code(monday(11), in: calendar) == nil)
        calendar.applyDecision(calendar.decideRemoveTimeOff(7))
        #expect(code(monday(10), in: calendar) == nil)
    }

    @Test("time off must end after it starts")
    func emptyTimeOffIsValidationFailed() {
        #expect(errorCode(calendar.decideTimeOff(id: 1, start: monday(10), end: monday(10), reason: nil)) == "validation_failed")
        #expect(errorCode(calendar.decideTimeOff(id: 1, start: monday(10), end: monday(9), reason: nil)) == "validation_failed")
    }

    // MARK: validation_failed

    @Test("a client start off the slot grid is validation_failed; staff may book it")
    func offGridStartIsRefusedForClientsOnly() {
        #expect(code(monday(9, 5)) == "validation_failed")
        #expect(code(monday(13, 59)) == "validation_failed")
        #expect(code(monday(9, 5), actor: .staff) == nil)
        #expect(code(monday(13, 59), actor: .staff) == nil)
        #expect(code(monday(9, 15)) == nil)
        #expect(code(monday(9, 5), policy: Fixture.policy(now: Fixture.utc(2027, 3, 8), slot: 5)) == nil)
    }

    @Test("an inactive barber is validation_failed and lists no slots")
    func inactiveBarberIsValidationFailed() {
        let inactive = Fixture.calendar(isActive: false, weekly: Self.weekly)
        #expect(code(monday(10), in: inactive) == "validation_failed")
        #expect(code(monday(10), actor: .staff, in: inactive) == "validation_failed")
        #expect(inactive.slots(on: CivilDate(year: 2027, month: 3, day: 15), service: hour, policy: policy).isEmpty)
    }

    @Test("an inactive service is validation_failed and lists no slots")
    func inactiveServiceIsValidationFailed() {
        let retired = Fixture.service(isActive: false)
        #expect(code(monday(10), service: retired) == "validation_failed")
        #expect(code(monday(10), service: retired, actor: .staff) == "validation_failed")
        #expect(calendar.slots(on: CivilDate(year: 2027, month: 3, day: 15), service: retired, policy: policy).isEmpty)
    }

    @Test("a service the barber does not offer is validation_failed; one they offer is fine")
    func serviceNotOfferedIsValidationFailed() {
        let elsewhere = Fixture.service(barberIDs: [2, 3])
        #expect(code(monday(10), service: elsewhere) == "validation_failed")
        #expect(code(monday(10), service: elsewhere, actor: .staff) == "validation_failed")
        #expect(calendar.slots(on: CivilDate(year: 2027, month: 3, day: 15), service: elsewhere, policy: policy).isEmpty)
        #expect(code(monday(10), service: Fixture.service(barberIDs: [2, 1])) == nil)
        #expect(code(monday(10), service: Fixture.service(barberIDs: nil)) == nil)
    }

    // MARK: slot_taken

    @Test("an interval overlapping a live appointment is slot_taken; touching it is fine")
    func overlapIsSlotTaken() {
        var calendar = self.calendar
        calendar.book(id: 1, service: hour, start: monday(10), policy: policy)
        #expect(code(monday(10), in: calendar) == "slot_taken")
        #expect(code(monday(10, 30), in: calendar) == "slot_taken")
        #expect(code(monday(9, 30), in: calendar) == "slot_taken")
        #expect(code(monday(10, 59), service: Fixture.service(minutes: 1), actor: .staff, in: calendar) == "slot_taken")
        #expect(code(monday(9, 45), service: Fixture.service(minutes: 180), actor: .staff, in: calendar) == "outside_hours")
        #expect(code(monday(9), in: calendar) == nil)
        #expect(code(monday(11), in: calendar) == nil)
    }

    @Test("with a buffer the next start must be at least end + buffer: earlier is slot_taken, equal is accepted")
    func bufferAfterAnAppointment() {
        var calendar = Fixture.calendar(weekly: Self.weekly, buffer: 15)
        calendar.book(id: 1, service: hour, start: monday(13), policy: policy)
        #expect(code(monday(14), in: calendar) == "slot_taken")
        #expect(code(monday(14, 14), actor: .staff, in: calendar) == "slot_taken")
        #expect(code(monday(14, 15), in: calendar) == nil)
        #expect(code(monday(14, 15), actor: .staff, in: calendar) == nil)
    }

    @Test("with a buffer a new appointment must end at least buffer before the next one starts")
    func bufferBeforeAnAppointment() {
        var calendar = Fixture.calendar(weekly: Self.weekly, buffer: 15)
        calendar.book(id: 1, service: hour, start: monday(10), policy: policy)
        #expect(code(monday(9), service: Fixture.service(minutes: 45), in: calendar) == nil)
        #expect(code(monday(9), service: Fixture.service(minutes: 46), actor: .staff, in: calendar) == "slot_taken")
        #expect(code(monday(9), in: calendar) == "slot_taken")
    }

    @Test("the buffer may run past the end of working hours")
    func bufferMayRunPastClosing() {
        var calendar = Fixture.calendar(weekly: Self.weekly, buffer: 30)
        #expect(code(monday(16), in: calendar) == nil)
        #expect(code(monday(11), in: calendar) == nil)
        calendar.book(id: 1, service: hour, start: monday(16), actor: .client, policy: policy)
        #expect(calendar.appointments[1]?.end == monday(17))
    }

    @Test("a buffer carries across the lunch break into the next period")
    func bufferCarriesIntoNextPeriod() {
        var calendar = Fixture.calendar(weekly: Self.weekly, buffer: 90)
        calendar.book(id: 1, service: hour, start: monday(11), policy: policy)
        #expect(code(monday(13), in: calendar) == "slot_taken")
        #expect(code(monday(13, 30), in: calendar) == nil)
    }

    @Test("a cancelled appointment does not take its interval")
    func cancelledAppointmentDoesNotConflict() {
        var calendar = self.calendar
        calendar.book(id: 1, service: hour, start: monday(10), policy: policy)
        calendar.applyDecision(calendar.decideCancel(1, reason: nil, by: People.client, policy: policy))
        #expect(code(monday(10), in: calendar) == nil)
    }

    // MARK: Order of checks

    @Test("checks run in the documented order: bookable, notice, horizon, hours, grid, time off, appointments")
    func refusalsFollowTheDocumentedOrder() {
        var calendar = self.calendar
        calendar.applyDecision(calendar.decideTimeOff(id: 1, start: monday(9), end: monday(12), reason: nil))
        calendar.book(id: 1, service: hour, start: monday(13), policy: policy)
        let late = Fixture.policy(now: Fixture.utc(2027, 3, 16))
        #expect(code(Fixture.utc(2027, 3, 14, 3), service: Fixture.service(isActive: false), policy: late, in: calendar)
            == "validation_failed")
        #expect(code(Fixture.utc(2027, 3, 14, 3), policy: late, in: calendar) == "too_soon")
        #expect(code(Fixture.utc(2027, 12, 26, 3), in: calendar) == "too_far")
        #expect(code(Fixture.utc(2027, 3, 14, 3, 7), in: calendar) == "outside_hours")
        #expect(code(monday(9, 7), in: calendar) == "validation_failed")
        #expect(code(monday(9, 7), actor: .staff, in: calendar) == "outside_hours")
        #expect(code(monday(13, 7), in: calendar) == "validation_failed")
        #expect(code(monday(13, 7), actor: .staff, in: calendar) == "slot_taken")
    }

    // MARK: Codes

    @Test("each BookingError maps to the contract's error code")
    func errorCodesMatchTheContract() {
        let expected: [(BookingError, String)] = [
            (.validationFailed("x"), "validation_failed"),
            (.notFound("x"), "not_found"),
            (.forbidden("x"), "forbidden"),
            (.slotTaken, "slot_taken"),
            (.emailTaken, "email_taken"),
            (.cancellationClosed, "cancellation_closed"),
            (.invalidTransition(from: .cancelled, action: "complete"), "invalid_transition"),
            (.outsideHours("x"), "outside_hours"),
            (.tooSoon, "too_soon"),
            (.tooFar, "too_far"),
        ]
        for (error, code) in expected {
            #expect(error.code == code)
            #expect(!error.message.isEmpty)
        }
        #expect(BookingError.invalidTransition(from: .cancelled, action: "complete").message.contains("cancelled"))
    }
}
