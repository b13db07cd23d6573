import BookingCore
import Testing

/// Holds in the calendar: a held start is refused to everyone but its entry by the one booking
/// rule, so the slots list and booking agree about it; a hold stops holding at its `expiresAt`.
struct CalendarHoldTests {
    // 2027-03-01 is a Monday; the barber works 09:00-17:00 UTC every day.
    let now = Fixture.utc(2027, 3, 1, 6)
    let cut = Fixture.service(minutes: 60)

    func calendar(buffer: Int = 0) -> BarberCalendar {
        Fixture.calendar(weekly: Fixture.everyDay([Fixture.period(Fixture.hm(9), Fixture.hm(17))]), buffer: buffer)
    }

    func hold(entry: WaitlistEntryID = 7, at hour: Int, minutes: Int = 60, expiresAt: Instant? = nil) -> Hold {
        let start = Fixture.utc(2027, 3, 1, hour)
        return Hold(
            entryID: entry, barberID: 1, serviceID: cut.id, start: start, end: start.adding(minutes: minutes),
            expiresAt: expiresAt ?? now.adding(minutes: 15))
    }

    @Test("a live hold is absent from the slots and refused to every other booking, staff included")
    func liveHoldRefusesOthers() {
        var calendar = calendar()
        let policy = Fixture.policy(now: now)
        calendar.apply(.holdPlaced(hold(at: 10)))
        let starts = calendar.slots(on: CivilDate(year: 2027, month: 3, day: 1), service: cut, policy: policy)
        // 09:15, 09:30, 09:45 end inside the hold; 10:00 to 10:45 start inside it.
        #expect(!starts.contains { $0 > Fixture.utc(2027, 3, 1, 9) && $0 < Fixture.utc(2027, 3, 1, 11) })
        #expect(starts.contains(Fixture.utc(2027, 3, 1, 9)) && starts.contains(Fixture.utc(2027, 3, 1, 11)))
        for actor in [BookingActor.client, .staff] {
            let result = calendar.check(start: Fixture.utc(2027, 3, 1, 10, 30), service: cut, actor: actor, policy: policy)
            #expect(errorCode(result) == "slot_taken")
        }
    }

    @Test("every start of the day is listed exactly when check accepts it, with holds in the calendar")
    func slotsAgreeWithCheckAroundHolds() {
        var calendar = calendar(buffer: 10)
        let policy = Fixture.policy(now: now, slot: 5)
        calendar.apply(.holdPlaced(hold(entry: 1, at: 10)))
        calendar.apply(.holdPlaced(hold(entry: 2, at: 14, minutes: 30)))
        calendar.book(id: 1, service: cut, start: Fixture.utc(2027, 3, 1, 12), policy: policy)
        let listed = Set(calendar.slots(on: CivilDate(year: 2027, month: 3, day: 1), service: cut, policy: policy))
        var start = Fixture.utc(2027, 3, 1, 9)
        while start < Fixture.utc(2027, 3, 1, 17) {
            let accepted = (try? calendar.check(start: start, service: cut, actor: .client, policy: policy).get()) != nil
            #expect(accepted == listed.contains(start), "start \(start.seconds)")
            start = start.adding(minutes: 5)
        }
    }

    @Test("the barber's buffer separates a hold from the appointments around it")
    func bufferAroundHold() {
        var calendar = calendar(buffer: 15)
        let policy = Fixture.policy(now: now)
        calendar.apply(.holdPlaced(hold(at: 11)))
        #expect(errorCode(calendar.check(start: Fixture.utc(2027, 3, 1, 12), service: cut, actor: .staff, policy: policy)) == "slot_taken")
        #expect(errorCode(calendar.check(start: Fixture.utc(2027, 3, 1, 12, 15), service: cut, actor: .staff, policy: policy)) == nil)
        // 09:50-10:50 ends 10 minutes before the hold: inside the buffer.
        #expect(errorCode(calendar.check(start: Fixture.utc(2027, 3, 1, 9, 50), service: cut, actor: .staff, policy: policy)) == "slot_taken")
        #expect(errorCode(calendar.check(start: Fixture.utc(2027, 3, 1, 9, 45), service: cut, actor: .staff, policy: policy)) == nil)
    }

    @Test("a hold stops holding at its expiry instant, which the policy gives")
    func expiredHoldHoldsNothing() {
        var calendar = calendar()
        let expiry = now.adding(minutes: 15)
        calendar.apply(.holdPlaced(hold(at: 10, expiresAt: expiry)))
        let before = Fixture.policy(now: expiry.adding(seconds: -1))
        let at = Fixture.policy(now: expiry)
        #expect(errorCode(calendar.check(start: Fixture.utc(2027, 3, 1, 10), service: cut, actor: .client, policy: before)) == "slot_taken")
        #expect(errorCode(calendar.check(start: Fixture.utc(2027, 3, 1, 10), service: cut, actor: .client, policy: at)) == nil)
    }

    @Test("only the entry holding the offer books the held start, in one record with the hold's release")
    func claimBooksTheHeldStart() throws {
        var calendar = calendar()
        let policy = Fixture.policy(now: now)
        calendar.apply(.holdPlaced(hold(entry: 7, at: 10)))
        #expect(errorCode(calendar.decideClaim(8, id: 1, client: 100, service: cut, policy: policy)) == "invalid_transition")
        let (changes, booked) = try calendar.decideClaim(7, id: 1, client: 100, service: cut, policy: policy).get()
        guard changes.count == 2, case .holdReleased(1, 7) = changes[0], case .booked(let appointment) = changes[1] else {
            Issue.record("unexpected claim: \(changes)")
            return
        }
        #expect(appointment.start == Fixture.utc(2027, 3, 1, 10) && appointment.clientID == 100 && appointment.status == .confirmed)
        #expect(booked == appointment)
        for change in changes { calendar.apply(change) }
        #expect(calendar.holds.isEmpty && calendar.live.count == 1)
    }

    @Test("a claim keeps its start although the minimum notice ran short since the offer, but not once the hold expired")
    func claimAfterNoticeAndAfterExpiry() {
        var calendar = calendar()
        calendar.apply(.holdPlaced(hold(entry: 7, at: 10, expiresAt: Fixture.utc(2027, 3, 1, 9, 40))))
        // 09:30: the start is 30 minutes ahead, under the 60 minutes of notice, and the hold is live.
        let late = Fixture.policy(now: Fixture.utc(2027, 3, 1, 9, 30))
        #expect(errorCode(calendar.decideClaim(7, id: 1, client: 100, service: cut, policy: late)) == nil)
        let expired = Fixture.policy(now: Fixture.utc(2027, 3, 1, 9, 40))
        #expect(errorCode(calendar.decideClaim(7, id: 1, client: 100, service: cut, policy: expired)) == "invalid_transition")
    }
}
