import BookingCore
import Testing

/// The waitlist's and the queue's events of one record (`RecordEvents`): which changes draft
/// which event, with what data, and when the board is reported.
struct RecordEventsTests {
    static let day = CivilDate(year: 2027, month: 3, day: 1)
    let now = Fixture.utc(2027, 3, 1, 9)
    let cut = Fixture.service(id: 1, minutes: 30)
    var services: [ServiceID: Service] { [cut.id: cut] }
    var policy: BookingPolicy { Fixture.policy(now: now) }

    func calendar(_ barber: BarberID) -> BarberCalendar {
        Fixture.calendar(barberID: barber, weekly: Fixture.everyDay([Fixture.period(Fixture.hm(9), Fixture.hm(17))]))
    }

    func entry(_ id: WaitlistEntryID) -> WaitlistEntry {
        WaitlistEntry(
            id: id, clientID: 100 + id, serviceID: cut.id, barberID: 1, dateFrom: Self.day, dateTo: Self.day,
            timeFrom: Fixture.hm(0), timeTo: Fixture.hm(24), createdAt: now)
    }

    func walkIn(_ id: WalkInID, barber: BarberID? = nil) -> WalkIn {
        WalkIn(id: id, name: "Sam Taylor \(id)", phone: "555-\(id)", serviceID: cut.id, barberID: barber, checkedInAt: now)
    }

    func hold(_ entry: WaitlistEntryID, at hour: Int) -> Hold {
        Hold(
            entryID: entry, barberID: 1, serviceID: cut.id, start: Fixture.utc(2027, 3, 1, hour),
            end: Fixture.utc(2027, 3, 1, hour, 30), expiresAt: now.adding(minutes: 15))
    }

    func queue(_ walkIns: [WalkIn]) -> WalkInQueue {
        var queue = WalkInQueue()
        for walkIn in walkIns { queue.apply(.checkedIn(walkIn)) }
        return queue
    }

    @Test("offered, expired and booked each draft their event with the entry as the record leaves it; added and cancelled draft none")
    func waitlistDraftsPerChange() {
        var waitlist = Waitlist()
        for id in 1...3 { waitlist.apply(.entryAdded(entry(id))) }
        waitlist.apply(.offered(hold(2, at: 11)))
        waitlist.apply(.offered(hold(3, at: 12)))
        let events = RecordEvents(waitlist: waitlist, board: nil)
        let changes: [ShopChange] = [
            .calendar(.holdReleased(barberID: 1, entryID: 2)), .waitlist(.expired(2)),
            .calendar(.holdPlaced(hold(1, at: 11))), .waitlist(.offered(hold(1, at: 11))),
            .waitlist(.booked(3, appointmentID: 77)),
        ]
        let drafts = events.drafts(of: changes)
        #expect(drafts.map(\.type) == [.waitlistExpired, .waitlistOffered, .waitlistBooked])
        #expect(drafts.map { $0.payload.waitlistEntry?.id } == [2, 1, 3])
        #expect(drafts[0].payload.waitlistEntry?.status == .expired)
        #expect(drafts[1].payload.waitlistEntry?.status == .offered)
        #expect(drafts[1].payload.waitlistEntry?.offer == hold(1, at: 11))
        #expect(drafts[2].payload.waitlistEntry?.status == .booked)
        #expect(drafts[2].payload.waitlistEntry?.appointmentID == 77)

        #expect(RecordEvents(waitlist: Waitlist(), board: nil).drafts(of: [.waitlist(.entryAdded(entry(4)))]).isEmpty)
        var waiting = Waitlist()
        waiting.apply(.entryAdded(entry(5)))
        #expect(RecordEvents(waitlist: waiting, board: nil).drafts(of: [.waitlist(.cancelled(5))]).isEmpty)
    }

    @Test("a check-in reports the board it leaves: the line in order with positions and estimates")
    func checkInReportsTheBoard() {
        let before = queue([walkIn(1, barber: 1)])
        let inputs = RecordEvents.BoardInputs(queue: before, calendars: [calendar(1), calendar(2)], services: services, policy: policy)
        let drafts = RecordEvents(waitlist: Waitlist(), board: inputs).drafts(of: [.queue(.checkedIn(walkIn(2)))])
        #expect(drafts.map(\.type) == [.queueUpdated])
        guard case .queue(let board) = drafts.first?.payload else {
            Issue.record("no board")
            return
        }
        #expect(board.entries.map(\.walkIn.id) == [1, 2])
        #expect(board.entries.map(\.position) == [1, 2])
        // 1 waits for barber 1 from now; 2 takes anyone, and barber 2 is free now too.
        #expect(board.entries.map(\.placement) == [.init(barberID: 1, start: now), .init(barberID: 2, start: now)])
        #expect(board.entries[1].walkIn.phone == "555-2", "the event keeps the whole entry; the public view is the encoder's")
    }

    @Test("a booking that moves an estimate reports the board; one that moves none reports nothing")
    func bookingsReportOnlyWhenAnEstimateMoves() throws {
        let line = queue([walkIn(1, barber: 1)])
        let inputs = RecordEvents.BoardInputs(queue: line, calendars: [calendar(1), calendar(2)], services: services, policy: policy)
        let events = RecordEvents(waitlist: Waitlist(), board: inputs)
        let booking = Fixture.policy(now: Fixture.utc(2027, 2, 20))

        // 09:00 on barber 1: the walk-in's estimate moves from 09:00 to 09:30.
        var first = calendar(1)
        let (atNine, _) = try first.decideBook(id: 1, client: 100, service: cut, start: now, notes: nil, actor: .staff, policy: booking).get()
        first.apply(atNine)
        let moved = events.drafts(of: [.calendar(atNine)], before: calendar(1), after: first)
        guard case .queue(let board) = moved.first?.payload else {
            Issue.record("a booking at the walk-in's estimate reported no board")
            return
        }
        #expect(board.entries.first?.placement == .init(barberID: 1, start: Fixture.utc(2027, 3, 1, 9, 30)))

        // 15:00 on barber 1, or anything on barber 2: the estimate stays, nothing is reported.
        var later = calendar(1)
        let (afternoon, _) = try later.decideBook(
            id: 2, client: 100, service: cut, start: Fixture.utc(2027, 3, 1, 15), notes: nil, actor: .staff, policy: booking).get()
        later.apply(afternoon)
        #expect(events.drafts(of: [.calendar(afternoon)], before: calendar(1), after: later).isEmpty)
        var other = calendar(2)
        let (elsewhere, _) = try other.decideBook(id: 3, client: 100, service: cut, start: self.now, notes: nil, actor: .staff, policy: booking).get()
        other.apply(elsewhere)
        #expect(events.drafts(of: [.calendar(elsewhere)], before: calendar(2), after: other).isEmpty)
    }

    @Test("without board inputs (nobody waits, no walk-in changes) no board is reported")
    func noInputsNoBoard() throws {
        var first = calendar(1)
        let (booking, _) = try first.decideBook(
            id: 1, client: 100, service: cut, start: now, notes: nil, actor: .staff, policy: Fixture.policy(now: Fixture.utc(2027, 2, 20))).get()
        first.apply(booking)
        #expect(RecordEvents(waitlist: Waitlist(), board: nil).drafts(of: [.calendar(booking)], before: calendar(1), after: first).isEmpty)
    }

    @Test("the target half of a move is applied to the inputs' copy of its calendar")
    func moveTargetAppliedToItsCopy() throws {
        let line = queue([walkIn(1, barber: 2)])
        let inputs = RecordEvents.BoardInputs(queue: line, calendars: [calendar(1), calendar(2)], services: services, policy: policy)
        let booking = Fixture.policy(now: Fixture.utc(2027, 2, 20))
        var source = calendar(1)
        source.book(id: 1, service: cut, start: now, policy: booking)
        let before = source
        source.apply(.movedOut(barberID: 1, id: 1))
        var moved = before.appointments[1]!
        moved.barberID = 2
        let drafts = RecordEvents(waitlist: Waitlist(), board: inputs).drafts(
            of: [.calendar(.movedOut(barberID: 1, id: 1)), .calendar(.movedIn(moved))], before: before, after: source)
        guard case .queue(let board) = drafts.first?.payload else {
            Issue.record("a move onto the walk-in's barber at its estimate reported no board")
            return
        }
        #expect(board.entries.first?.placement == .init(barberID: 2, start: Fixture.utc(2027, 3, 1, 9, 30)))
    }

    @Test("who sees which event on the stream")
    func visibility() {
        var offered = entry(1)
        offered.barberID = nil
        let event = { (payload: EventPayload) in Event(sequence: 1, type: .waitlistOffered, createdAt: now, payload: payload) }
        let anyBarber = event(.waitlistEntry(offered))
        let forBarberOne = event(.waitlistEntry(entry(2)))
        #expect(People.admin.canSee(forBarberOne))
        #expect(People.barber.canSee(forBarberOne) && !People.otherBarber.canSee(forBarberOne))
        #expect(People.barber.canSee(anyBarber) && People.otherBarber.canSee(anyBarber))
        #expect(Requester(userID: 102, role: .client).canSee(forBarberOne))
        #expect(!People.client.canSee(forBarberOne))
        let board = event(.queue(QueueBoard(entries: [])))
        #expect(People.client.canSee(board) && !People.client.isStaff && People.barber.isStaff)
    }
}
