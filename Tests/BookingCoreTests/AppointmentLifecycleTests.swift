import BookingCore
import Testing

/// Booking, cancelling, completing and rescheduling one appointment, with who may do what.
struct AppointmentLifecycleTests {
    let policy = Fixture.policy(now: Fixture.utc(2027, 3, 8), cutoff: 120)
    let hour = Fixture.service(minutes: 60, price: 3_500)
    let date = CivilDate(year: 2027, month: 3, day: 15)

    func monday(_ hour: Int, _ minute: Int = 0) -> Instant { Fixture.utc(2027, 3, 15, hour, minute) }

    /// A 09:00-17:00 calendar with appointment 1 of client 100 at 10:00-11:00, booked by that client.
    func calendarWithOneBooking(buffer: Int = 0) -> BarberCalendar {
        var calendar = Fixture.calendar(
            weekly: Fixture.everyDay([Fixture.period(Fixture.hm(9), Fixture.hm(17))]), buffer: buffer)
        calendar.book(id: 1, client: 100, service: hour, start: monday(10), actor: .client, policy: policy)
        return calendar
    }

    // MARK: Booking

    @Test("a booking is confirmed with the service's end, price and the policy's now as created_at")
    func bookingRecordsTheAppointment() throws {
        let calendar = calendarWithOneBooking()
        let appointment = try #require(calendar.appointments[1])
        #expect(appointment == Appointment(
            id: 1, barberID: 1, clientID: 100, serviceID: 1, start: monday(10), end: monday(11), status: .confirmed,
            priceCents: 3_500, notes: nil, createdAt: policy.now))
        #expect(calendar.live.entries.map(\.id) == [1])
        #expect(calendar.appointments(overlapping: nil, nil).map(\.id) == [1])
    }

    // MARK: Cancelling

    @Test("a cancelled interval is free again at once: the same start can be booked right after")
    func cancelledIntervalIsFreeAtOnce() {
        var calendar = calendarWithOneBooking()
        #expect(!calendar.slots(on: date, service: hour, policy: policy).contains(monday(10)))
        calendar.applyDecision(calendar.decideCancel(1, reason: "sick", by: People.client, policy: policy))
        #expect(calendar.appointments[1]?.status == .cancelled)
        #expect(calendar.appointments[1]?.cancelReason == "sick")
        #expect(calendar.live.count == 0)
        #expect(calendar.slots(on: date, service: hour, policy: policy).contains(monday(10)))
        calendar.book(id: 2, client: 101, service: hour, start: monday(10), actor: .client, policy: policy)
        #expect(calendar.appointments[2]?.status == .confirmed)
        #expect(calendar.appointments(overlapping: monday(10), monday(11)).map(\.id) == [1, 2])
    }

    @Test("a client cancelling later than the cut-off is cancellation_closed; exactly at the cut-off is allowed")
    func clientCancelAfterCutoffIsClosed() {
        let calendar = calendarWithOneBooking()
        let atCutoff = Fixture.policy(now: monday(8), cutoff: 120)
        let afterCutoff = Fixture.policy(now: monday(8, 1), cutoff: 120)
        #expect(errorCode(calendar.decideCancel(1, reason: nil, by: People.client, policy: atCutoff)) == nil)
        #expect(errorCode(calendar.decideCancel(1, reason: nil, by: People.client, policy: afterCutoff))
            == "cancellation_closed")
    }

    @Test("the barber and an admin may cancel after the cut-off, even after the start")
    func staffCancelAfterCutoff() {
        let calendar = calendarWithOneBooking()
        for now in [monday(9, 59), monday(10, 30), monday(12)] {
            let late = Fixture.policy(now: now, cutoff: 120)
            #expect(errorCode(calendar.decideCancel(1, reason: nil, by: People.barber, policy: late)) == nil)
            #expect(errorCode(calendar.decideCancel(1, reason: nil, by: People.admin, policy: late)) == nil)
        }
    }

    @Test("a client rescheduling later than the cut-off is cancellation_closed; staff may")
    func clientRescheduleAfterCutoffIsClosed() {
        let calendar = calendarWithOneBooking()
        let late = Fixture.policy(now: monday(8, 30), notice: 0, cutoff: 120)
        #expect(errorCode(calendar.decideReschedule(1, to: monday(14), service: hour, by: People.client, policy: late))
            == "cancellation_closed")
        #expect(errorCode(calendar.decideMoveOut(1, by: People.client, policy: late)) == "cancellation_closed")
        #expect(errorCode(calendar.decideReschedule(1, to: monday(14), service: hour, by: People.barber, policy: late)) == nil)
        #expect(errorCode(calendar.decideReschedule(1, to: monday(14), service: hour, by: People.admin, policy: late)) == nil)
    }

    // MARK: Transitions

    @Test("completing or marking no-show a cancelled appointment is invalid_transition")
    func completeCancelledIsInvalidTransition() {
        var calendar = calendarWithOneBooking()
        calendar.applyDecision(calendar.decideCancel(1, reason: nil, by: People.admin, policy: policy))
        #expect(errorCode(calendar.decideStatus(1, .completed, by: People.barber)) == "invalid_transition")
        #expect(errorCode(calendar.decideStatus(1, .noShow, by: People.admin)) == "invalid_transition")
        #expect(errorCode(calendar.decideCancel(1, reason: nil, by: People.admin, policy: policy)) == "invalid_transition")
        #expect(errorCode(calendar.decideReschedule(1, to: monday(14), service: hour, by: People.admin, policy: policy))
            == "invalid_transition")
    }

    @Test("cancelling or rescheduling a completed appointment is invalid_transition")
    func cancelCompletedIsInvalidTransition() {
        var calendar = calendarWithOneBooking()
        calendar.applyDecision(calendar.decideStatus(1, .completed, by: People.barber))
        #expect(calendar.appointments[1]?.status == .completed)
        #expect(errorCode(calendar.decideCancel(1, reason: nil, by: People.admin, policy: policy)) == "invalid_transition")
        #expect(errorCode(calendar.decideCancel(1, reason: nil, by: People.client, policy: policy)) == "invalid_transition")
        #expect(errorCode(calendar.decideStatus(1, .noShow, by: People.admin)) == "invalid_transition")
        #expect(errorCode(calendar.decideReschedule(1, to: monday(14), service: hour, by: People.client, policy: policy))
            == "invalid_transition")
    }

    @Test("completed and no-show appointments keep their interval taken", arguments: [AppointmentStatus.completed, .noShow])
    func finishedAppointmentStaysLive(_ status: AppointmentStatus) {
        var calendar = calendarWithOneBooking()
        calendar.applyDecision(calendar.decideStatus(1, status, by: People.admin))
        #expect(calendar.appointments[1]?.status == status)
        #expect(errorCode(calendar.check(start: monday(10), service: hour, actor: .staff, policy: policy)) == "slot_taken")
        #expect(!calendar.slots(on: date, service: hour, policy: policy).contains(monday(10)))
    }

    // MARK: Access

    @Test("a client touching another client's appointment is forbidden")
    func otherClientIsForbidden() {
        let calendar = calendarWithOneBooking()
        let other = People.otherClient
        #expect(errorCode(calendar.appointment(1, for: other)) == "forbidden")
        #expect(errorCode(calendar.decideCancel(1, reason: nil, by: other, policy: policy)) == "forbidden")
        #expect(errorCode(calendar.decideReschedule(1, to: monday(14), service: hour, by: other, policy: policy)) == "forbidden")
        #expect(errorCode(calendar.decideMoveOut(1, by: other, policy: policy)) == "forbidden")
        #expect(errorCode(calendar.decideStatus(1, .completed, by: other)) == "forbidden")
        #expect(errorCode(calendar.appointment(1, for: People.otherBarber)) == "forbidden")
        #expect(errorCode(calendar.decideCancel(1, reason: nil, by: People.otherBarber, policy: policy)) == "forbidden")
    }

    @Test("the owner, the barber and an admin may see an appointment")
    func ownerBarberAndAdminMaySee() {
        let calendar = calendarWithOneBooking()
        for requester in [People.client, People.barber, People.admin] {
            #expect(errorCode(calendar.appointment(1, for: requester)) == nil)
        }
    }

    @Test("a client completing or marking no-show their own appointment is forbidden; another barber too")
    func clientCompletingIsForbidden() {
        let calendar = calendarWithOneBooking()
        #expect(errorCode(calendar.decideStatus(1, .completed, by: People.client)) == "forbidden")
        #expect(errorCode(calendar.decideStatus(1, .noShow, by: People.client)) == "forbidden")
        #expect(errorCode(calendar.decideStatus(1, .completed, by: People.otherBarber)) == "forbidden")
        #expect(errorCode(calendar.decideStatus(1, .completed, by: People.barber)) == nil)
        #expect(errorCode(calendar.decideStatus(1, .noShow, by: People.admin)) == nil)
    }

    @Test("an unknown appointment or time off id is not_found")
    func unknownIDIsNotFound() {
        let calendar = calendarWithOneBooking()
        #expect(errorCode(calendar.appointment(99, for: People.admin)) == "not_found")
        #expect(errorCode(calendar.appointment(99, for: People.client)) == "not_found")
        #expect(errorCode(calendar.decideCancel(99, reason: nil, by: People.admin, policy: policy)) == "not_found")
        #expect(errorCode(calendar.decideStatus(99, .completed, by: People.admin)) == "not_found")
        #expect(errorCode(calendar.decideReschedule(99, to: monday(14), service: hour, by: People.admin, policy: policy))
            == "not_found")
        #expect(errorCode(calendar.decideMoveOut(99, by: People.admin, policy: policy)) == "not_found")
        #expect(errorCode(calendar.decideRemoveTimeOff(99)) == "not_found")
    }

    // MARK: Rescheduling

    @Test("rescheduling by 15 minutes into the appointment's own interval succeeds, keeping the id",
          arguments: [0, 15])
    func rescheduleOverlappingItselfSucceeds(buffer: Int) throws {
        var calendar = calendarWithOneBooking(buffer: buffer)
        let decision = calendar.decideReschedule(1, to: monday(10, 15), service: hour, by: People.client, policy: policy)
        #expect(try decision.get().0 == .rescheduled(barberID: 1, id: 1, start: monday(10, 15), end: monday(11, 15)))
        calendar.applyDecision(decision)
        let moved = try #require(calendar.appointments[1])
        #expect(moved.start == monday(10, 15))
        #expect(moved.end == monday(11, 15))
        #expect(moved.status == .confirmed)
        #expect(moved.clientID == 100)
        #expect(calendar.live.entries.map(\.start) == [monday(10, 15).seconds])
        #expect(calendar.appointments(overlapping: nil, nil).map(\.id) == [1])
        // And back again, 15 minutes earlier.
        calendar.applyDecision(calendar.decideReschedule(1, to: monday(10), service: hour, by: People.client, policy: policy))
        #expect(calendar.appointments[1]?.start == monday(10))
    }

    @Test("a refused reschedule leaves the old booking unchanged and its interval taken")
    func failedRescheduleLeavesOldBooking() throws {
        var calendar = calendarWithOneBooking()
        calendar.book(id: 2, client: 101, service: hour, start: monday(12), actor: .client, policy: policy)
        let before = try #require(calendar.appointments[1])
        let liveBefore = calendar.live
        let refusals = [
            (monday(11, 30), "slot_taken"), (monday(16, 30), "outside_hours"), (monday(10, 5), "validation_failed"),
            (Fixture.utc(2027, 3, 7, 10), "too_soon"), (Fixture.utc(2027, 12, 1, 10), "too_far"),
        ]
        for (start, expected) in refusals {
            let decision = calendar.decideReschedule(1, to: start, service: hour, by: People.client, policy: policy)
            #expect(errorCode(decision) == expected)
            if case .success(let (change, _)) = decision { calendar.apply(change) }
        }
        #expect(calendar.appointments[1] == before)
        #expect(calendar.live == liveBefore)
        #expect(errorCode(calendar.check(start: monday(10), service: hour, actor: .staff, policy: policy)) == "slot_taken")
    }

    @Test("moving in from another barber is checked against this calendar and keeps the appointment's id")
    func moveInUsesTheTargetCalendar() throws {
        let source = calendarWithOneBooking()
        var target = Fixture.calendar(barberID: 2, weekly: Fixture.everyDay([Fixture.period(Fixture.hm(9), Fixture.hm(17))]))
        target.book(id: 5, client: 101, service: hour, start: monday(14), policy: policy)
        let appointment = try source.decideMoveOut(1, by: People.client, policy: policy).get()
        #expect(errorCode(target.decideMoveIn(appointment, to: monday(14, 30), service: hour, by: People.client, policy: policy))
            == "slot_taken")
        let moved = try target.decideMoveIn(appointment, to: monday(10), service: hour, by: People.client, policy: policy).get()
        target.apply(.movedIn(moved))
        #expect(target.appointments[1] == moved)
        #expect(target.appointments[1]?.barberID == 2)
        #expect(target.appointments[1]?.start == monday(10))
        var emptied = source
        emptied.apply(.movedOut(barberID: 1, id: 1))
        #expect(emptied.appointments.isEmpty)
        #expect(emptied.live.count == 0)
        #expect(emptied.appointments(overlapping: nil, nil).isEmpty)
    }

    // MARK: What a decision answers with

    @Test("each decision answers with the appointment or time off exactly as applying its change leaves it")
    func decisionValuesAreWhatTheirChangesLeave() throws {
        var calendar = calendarWithOneBooking()
        func applied<Value>(_ decision: Result<(CalendarChange, Value), BookingError>) throws -> Value {
            let (change, value) = try decision.get()
            calendar.apply(change)
            return value
        }
        let booked = try applied(calendar.decideBook(
            id: 2, client: 101, service: hour, start: monday(12), notes: "fade", actor: .client, policy: policy))
        #expect(calendar.appointments[2] == booked && booked.notes == "fade")
        let rescheduled = try applied(calendar.decideReschedule(2, to: monday(13), service: hour, by: People.admin, policy: policy))
        #expect(calendar.appointments[2] == rescheduled && rescheduled.start == monday(13) && rescheduled.end == monday(14))
        let completed = try applied(calendar.decideStatus(2, .completed, by: People.barber))
        #expect(calendar.appointments[2] == completed && completed.status == .completed)
        let cancelled = try applied(calendar.decideCancel(1, reason: "sick", by: People.client, policy: policy))
        #expect(calendar.appointments[1] == cancelled && cancelled.status == .cancelled && cancelled.cancelReason == "sick")
        let timeOff = try applied(calendar.decideTimeOff(id: 3, start: monday(15), end: monday(16), reason: "dentist"))
        #expect(calendar.timeOff == [timeOff] && timeOff.reason == "dentist")
    }
}
