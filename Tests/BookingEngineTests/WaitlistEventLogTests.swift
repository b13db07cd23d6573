import BookingCore
import BookingEngine
import TestSupport
import Testing

/// The waitlist's and the queue's events come from the log: each travels in the record of the
/// change that produces it, numbered in log order with the others, so replaying the records
/// gives the same events, and a record cut off by a crash takes its events with it.
@Suite struct WaitlistEventLogTests {
    typealias Record = (lsn: LSN, changes: [ShopChange])

    static func events(_ record: Record) -> [Event] {
        record.changes.compactMap { if case .notification(.eventRecorded(let event)) = $0 { event } else { nil } }
    }

    static func records(_ journal: RecordingJournal, after count: Int) -> [Record] { Array(journal.all.dropFirst(count)) }

    @Test func offersExpiriesAndClaimsCarryTheirEventsInTheirOwnRecords() async throws {
        let journal = RecordingJournal()
        let fixture = try await EngineFixture.make(barbers: 1, journal: journal)
        let day = try await fixture.fillDay(0)
        let clients = try await fixture.clients(2, prefix: "e")
        let first = try await fixture.join(clients[0], barber: 0)
        let second = try await fixture.join(clients[1], barber: nil)
        let before = journal.all.count

        _ = try await fixture.engine.cancel(day[3].id, reason: nil, by: fixture.admin)
        fixture.clock.advance(minutes: 15)
        #expect(await fixture.engine.expireOffers() == 1)
        let claimed = try await fixture.engine.claim(second.id, by: clients[1])

        let records = Self.records(journal, after: before)
        #expect(records.count == 3, "the cancellation, the expiry and the claim, each one record with its events")
        #expect(records.map { Self.events($0).map(\.type) } == [
            [.appointmentCancelled, .waitlistOffered], [.waitlistExpired, .waitlistOffered], [.appointmentCreated, .waitlistBooked],
        ])
        let events = records.flatMap(Self.events)
        #expect(zip(events, events.dropFirst()).allSatisfy { $0.sequence + 1 == $1.sequence }, "numbered in log order")
        // Each carries the entry as its record left it.
        #expect(events[1].payload.waitlistEntry?.id == first.id && events[1].payload.waitlistEntry?.status == .offered)
        #expect(events[1].payload.waitlistEntry?.offer?.start == day[3].start)
        #expect(events[2].payload.waitlistEntry?.id == first.id && events[2].payload.waitlistEntry?.status == .expired)
        #expect(events[3].payload.waitlistEntry?.id == second.id && events[3].payload.waitlistEntry?.status == .offered)
        let booked = await fixture.engine.waitlist.read { $0.entries[second.id]! }
        #expect(events[5].payload == .waitlistEntry(booked))
        #expect(booked.appointmentID == claimed.id)
        // The events are the notification part's: what webhooks and the stream read.
        let recorded = fixture.engine.notifications.read { Array($0.events(after: events[0].sequence - 1)) }
        #expect(recorded == events)
    }

    @Test func aCrossBarberRescheduleOffersTheTimeItLeavesInTheMoveRecord() async throws {
        let journal = RecordingJournal()
        let fixture = try await EngineFixture.make(barbers: 2, journal: journal)
        let day = try await fixture.fillDay(0)
        let client = try await fixture.clients(1, prefix: "m")[0]
        let entry = try await fixture.join(client, barber: 0)
        let before = journal.all.count

        _ = try await fixture.reschedule(day[5].id, to: day[5].start, barber: 1, by: fixture.admin).get()

        let records = Self.records(journal, after: before)
        #expect(records.count == 1, "the move and the offer of the time it left are one record")
        guard let move = records.first else { return }
        #expect(Self.events(move).map(\.type) == [.appointmentRescheduled, .waitlistOffered])
        #expect(move.changes.contains(.waitlist(.offered(Hold(
            entryID: entry.id, barberID: fixture.barbers[0].id, serviceID: fixture.haircut.id, start: day[5].start, end: day[5].end,
            expiresAt: EngineFixture.now.adding(minutes: 15))))))
        // A crash right after the move's record: replaying the log up to it has the offer.
        var replayed = ShopState()
        for record in journal.all where record.lsn <= move.lsn { for change in record.changes { replayed.apply(change) } }
        #expect(replayed.waitlist.entries[entry.id]?.status == .offered)
        #expect(replayed.holds.map(\.entryID) == [entry.id])
        #expect(ShopEngine.digest(of: replayed) == ShopEngine.digest(of: await fixture.engine.capture().state))
    }

    @Test func changesThatMoveTheBoardCarryQueueUpdatedAndOthersDoNot() async throws {
        let journal = RecordingJournal()
        let fixture = try await EngineFixture.make(barbers: 2, journal: journal)
        let engine = fixture.engine
        // 08:00 on 2027-03-02: the barbers start at 09:00, and staff may book from 09:00 (an hour's notice).
        fixture.clock.set(EngineFixture.at("08:00"))
        var count = journal.all.count
        func newRecords() -> [Record] {
            defer { count = journal.all.count }
            return Self.records(journal, after: count)
        }
        func boards(_ records: [Record]) -> [QueueBoard] {
            records.flatMap(Self.events).compactMap { if case .queue(let board) = $0.payload { board } else { nil } }
        }
        let first = fixture.barbers[0].id

        // Nobody waits: a booking reports no board.
        _ = try await fixture.book(0, at: EngineFixture.at("12:00"), by: fixture.admin).get()
        #expect(boards(newRecords()).isEmpty)

        let sam = try await engine.checkIn(name: "Sam Taylor", serviceID: fixture.haircut.id, barberID: first, phone: "555", by: fixture.admin)
        var records = newRecords()
        #expect(records.count == 1 && records.first?.changes.first == .queue(.checkedIn(sam)))
        #expect(boards(records).map { $0.entries.map(\.placement) } == [[.init(barberID: first, start: EngineFixture.at("09:00"))]])

        // A booking at Sam's estimate moves it: the same record reports the board.
        _ = try await fixture.book(0, at: EngineFixture.at("09:00"), by: fixture.admin).get()
        records = newRecords()
        #expect(records.count == 1)
        #expect(records.first.map(Self.events)?.map(\.type) == [.appointmentCreated, .queueUpdated])
        #expect(boards(records).first?.entries.first?.placement?.start == EngineFixture.at("09:30"))

        // A booking on the other barber moves no estimate of Sam's: no board.
        _ = try await fixture.book(1, at: EngineFixture.at("09:00"), by: fixture.admin).get()
        #expect(newRecords().last.map(Self.events)?.map(\.type) == [.appointmentCreated])

        // Time off over Sam's estimate moves it.
        _ = try await engine.addTimeOff(
            first, start: EngineFixture.at("09:30"), end: EngineFixture.at("10:00"), reason: nil, by: fixture.admin)
        #expect(boards(newRecords()).first?.entries.first?.placement?.start == EngineFixture.at("10:00"))

        // Check-in, start, done and leave each report the board they leave.
        let kim = try await engine.checkIn(name: "Kim", serviceID: fixture.haircut.id, barberID: nil, phone: nil, by: fixture.admin)
        #expect(boards(newRecords()).last?.entries.map(\.walkIn.id) == [sam.id, kim.id])
        fixture.clock.set(EngineFixture.at("09:30"))
        _ = try await engine.startWalkIn(kim.id, barberID: fixture.barbers[1].id, by: fixture.admin)
        records = newRecords()
        #expect(records.first.map(Self.events)?.map(\.type) == [.appointmentCreated, .queueUpdated])
        #expect(boards(records).last?.entries.map(\.walkIn.status) == [.waiting, .serving])
        _ = try await engine.finishWalkIn(kim.id, left: false, by: fixture.admin)
        #expect(boards(newRecords()).last?.entries.map(\.walkIn.id) == [sam.id])
        _ = try await engine.finishWalkIn(sam.id, left: true, by: fixture.admin)
        #expect(boards(newRecords()).last?.entries == [])

        // Nobody waits again: bookings report no board.
        _ = try await fixture.book(0, at: EngineFixture.at("14:00"), by: fixture.admin).get()
        #expect(boards(newRecords()).isEmpty)

        // The full log replayed equals the live state, events included.
        var full = ShopState()
        for record in journal.all { for change in record.changes { full.apply(change) } }
        #expect(ShopEngine.digest(of: full) == ShopEngine.digest(of: await engine.capture().state))
    }

    /// A crash keeps a prefix of the records (a torn record is dropped whole): at every cut, the
    /// replayed state has a waitlist event exactly for each offer, expiry and claim it has, and a
    /// board event for each walk-in change, with the ids the live server gave them.
    @Test func atEveryCrashPointAnEventExistsExactlyWhenItsChangeDoes() async throws {
        let journal = RecordingJournal()
        let fixture = try await EngineFixture.make(barbers: 2, journal: journal)
        let engine = fixture.engine
        var day: [Appointment] = []
        for barber in 0..<2 { day += try await fixture.fillDay(barber) }
        let clients = try await fixture.clients(4, prefix: "k")
        var entries: [WaitlistEntry] = []
        for (index, client) in clients.enumerated() { entries.append(try await fixture.join(client, barber: index % 2 == 0 ? nil : 0)) }
        fixture.clock.set(EngineFixture.at("08:00"))
        let walkIn = try await engine.checkIn(name: "Lee Park", serviceID: fixture.haircut.id, barberID: nil, phone: nil, by: fixture.admin)
        _ = try await engine.cancel(day[2].id, reason: nil, by: fixture.admin)
        // Moves to the next day on the other barber: the time each leaves is offered in the move's record.
        _ = try await fixture.reschedule(day[20].id, to: day[20].start.adding(minutes: 24 * 60), barber: 0, by: fixture.admin).get()
        _ = try await fixture.reschedule(day[4].id, to: day[4].start.adding(minutes: 24 * 60), barber: 1, by: fixture.admin).get()
        fixture.clock.advance(minutes: 16)
        await engine.expireOffers()
        for (entry, client) in zip(entries, clients) where await engine.waitlist.read({ $0.entries[entry.id]?.status }) == .offered {
            _ = try await engine.claim(entry.id, by: client)
        }
        _ = try await engine.finishWalkIn(walkIn.id, left: true, by: fixture.admin)
        let live = fixture.engine.notifications.read { $0.events }

        let records = journal.all
        var state = ShopState()
        for record in records {
            for change in record.changes { state.apply(change) }
            var changed: [String] = []
            for prior in records where prior.lsn <= record.lsn {
                for change in prior.changes {
                    switch change {
                    case .waitlist(.offered(let hold)): changed.append("waitlist.offered \(hold.entryID)")
                    case .waitlist(.expired(let id)): changed.append("waitlist.expired \(id)")
                    case .waitlist(.booked(let id, _)): changed.append("waitlist.booked \(id)")
                    default: break
                    }
                }
            }
            let events = state.notifications.events
            let reported = events.compactMap { event in event.payload.waitlistEntry.map { "\(event.type) \($0.id)" } }
            #expect(reported == changed, "after record \(record.lsn)")
            #expect(events == Array(live.prefix(events.count)), "the same ids and data as the live server's")
        }
        // Every walk-in change carries the board in its own record.
        let walkInRecords = records.filter { $0.changes.contains { if case .queue = $0 { true } else { false } } }
        #expect(walkInRecords.count == 2)
        #expect(walkInRecords.allSatisfy { Self.events($0).map(\.type).last == .queueUpdated })
        #expect(live.contains { $0.type == .waitlistExpired } && live.contains { $0.type == .waitlistBooked })
        #expect(live.filter { $0.type == .waitlistOffered }.count >= 3)
    }

    /// Check-ins and leaves racing bookings and time off on every barber: however they
    /// interleave, the newest `queue.updated` is the board as it stands (the clock stands still,
    /// so nothing but the changes moves it). A booking that started while nobody waited and
    /// committed after a check-in read the calendars is caught by the line flag and reported.
    @Test(arguments: [1, 2, 3, 4])
    func theNewestBoardEventIsTheBoardAfterConcurrentTraffic(seed: UInt64) async throws {
        let fixture = try await EngineFixture.make(barbers: 3)
        let engine = fixture.engine
        fixture.clock.set(EngineFixture.at("08:00"))

        @Sendable func bookings(_ seed: UInt64) async {
            var random = SeededGenerator(seed: seed)
            for _ in 0..<40 {
                let barber = Int(random.next() % 3)
                let start = EngineFixture.at("09:00").adding(minutes: Int(random.next() % 16) * 30)
                if random.next() % 5 == 0 {
                    _ = try? await engine.addTimeOff(
                        fixture.barbers[barber].id, start: start, end: start.adding(minutes: 30), reason: nil, by: fixture.admin)
                } else {
                    _ = await fixture.book(barber, at: start, by: fixture.admin)
                }
            }
        }
        @Sendable func frontDesk(_ seed: UInt64) async {
            var random = SeededGenerator(seed: seed)
            for index in 0..<20 {
                if random.next() % 3 == 0, let first = await engine.waitlist.read(queue: { $0.line.first }) {
                    _ = try? await engine.finishWalkIn(first.id, left: true, by: fixture.admin)
                } else {
                    let barber = random.next() % 2 == 0 ? nil : fixture.barbers[Int(random.next() % 3)].id
                    _ = try? await engine.checkIn(
                        name: "Walk In \(index)", serviceID: fixture.haircut.id, barberID: barber, phone: nil, by: fixture.admin)
                }
            }
        }
        async let first: Void = bookings(seed * 10 + 1)
        async let second: Void = bookings(seed * 10 + 2)
        async let desk: Void = frontDesk(seed * 10 + 3)
        _ = await (first, second, desk)

        let newest = engine.notifications.read { state in
            state.events.last { $0.type == .queueUpdated }
        }
        guard case .queue(let reported) = newest?.payload else {
            Issue.record("no queue.updated was recorded")
            return
        }
        #expect(reported == (await engine.queueBoard()).board)
    }

    /// The off-gate booking's second look at the line flag, inside the calendar's turn: when it
    /// is set, the turn decides and journals nothing (the booking is then made under the gate).
    @Test func aCalendarTurnThatFindsTheLineWaitingCommitsNothing() async throws {
        let journal = RecordingJournal()
        let fixture = try await EngineFixture.make(barbers: 1, journal: journal)
        let actor = try #require(fixture.engine.router.calendar(fixture.barbers[0].id))
        let service = fixture.haircut
        let client = fixture.alice.userID
        let policy = fixture.engine.catalog.policy(now: EngineFixture.now)
        let decide: @Sendable (BarberCalendar) -> Result<(CalendarChange, Appointment), BookingError> = {
            $0.decideBook(
                id: 900, client: client, service: service, start: EngineFixture.at("10:00"), notes: nil, actor: .staff, policy: policy)
        }
        let count = journal.all.count
        let deferred = await actor.commit(unless: { true }, decide)
        let untouched = await actor.read { $0.appointments[900] }
        #expect(deferred == nil && untouched == nil && journal.all.count == count)
        let result = await actor.commit(unless: { false }, decide)
        let (booked, _) = try #require(result).get()
        #expect(booked.id == 900 && journal.all.count == count + 1)
    }

    /// While someone waits in the line, a booking and added time off are committed under the
    /// gate, each in a record with the board it leaves; each answers with what it put on the calendar.
    @Test func aBookingAndTimeOffCommittedUnderTheGateAnswerWithWhatTheyAdded() async throws {
        let journal = RecordingJournal()
        let fixture = try await EngineFixture.make(barbers: 1, journal: journal)
        let engine = fixture.engine
        let barber = fixture.barbers[0].id
        fixture.clock.set(EngineFixture.at("08:00"))
        _ = try await engine.checkIn(name: "Sam", serviceID: fixture.haircut.id, barberID: barber, phone: nil, by: fixture.admin)
        let count = journal.all.count
        let booked = try await fixture.book(0, at: EngineFixture.at("09:00"), by: fixture.admin, for: fixture.alice.userID).get()
        let timeOff = try await engine.addTimeOff(
            barber, start: EngineFixture.at("09:30"), end: EngineFixture.at("10:00"), reason: "errand", by: fixture.admin)
        let records = Self.records(journal, after: count)
        #expect(records.map { Self.events($0).map(\.type) } == [[.appointmentCreated, .queueUpdated], [.queueUpdated]])
        let calendar = try #require(await fixture.calendars().first)
        #expect(booked.start == EngineFixture.at("09:00") && booked.clientID == fixture.alice.userID)
        #expect(calendar.appointments[booked.id] == booked)
        #expect(timeOff.start == EngineFixture.at("09:30") && timeOff.reason == "errand" && calendar.timeOff == [timeOff])
    }
}
