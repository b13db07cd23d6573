import BookingCore
import BookingEngine
import TestSupport
import Testing

/// Events come from the log: each appointment change carries its event in its own record, the
/// events are numbered in log order, and replaying the records rebuilds the same events.
@Suite struct EventLogTests {
    /// The events of each record, and the calendar changes beside them.
    static func eventsByRecord(_ journal: RecordingJournal) -> [(changes: [CalendarChange], events: [Event])] {
        journal.all.map { record in
            (
                record.changes.compactMap { if case .calendar(let change) = $0 { change } else { nil } },
                record.changes.compactMap { if case .notification(.eventRecorded(let event)) = $0 { event } else { nil } }
            )
        }
    }

    @Test func everyAppointmentChangeCarriesItsEventInTheSameRecord() async throws {
        let journal = RecordingJournal()
        let fixture = try await EngineFixture.make(barbers: 2, journal: journal)
        let before = journal.all.count
        let booked = try await fixture.book(0, at: EngineFixture.at("10:00"), by: fixture.alice).get()
        let second = try await fixture.book(0, at: EngineFixture.at("11:00"), by: fixture.alice).get()
        _ = try await fixture.reschedule(booked.id, to: EngineFixture.at("12:00"), barber: nil, by: fixture.alice).get()
        let moved = try await fixture.reschedule(booked.id, to: EngineFixture.at("13:00"), barber: 1, by: fixture.admin).get()
        _ = try await fixture.engine.setStatus(moved.id, .completed, by: fixture.admin)
        _ = try await fixture.engine.setStatus(second.id, .noShow, by: fixture.admin)
        let third = try await fixture.book(1, at: EngineFixture.at("15:00"), by: fixture.bob).get()
        _ = try await fixture.cancel(third.id, by: fixture.bob).get()

        let records = Self.eventsByRecord(journal).dropFirst(before)
        #expect(records.count == 8, "one record per change, the move included")
        let expected: [EventType] = [
            .appointmentCreated, .appointmentCreated, .appointmentRescheduled, .appointmentRescheduled, .appointmentCompleted,
            .appointmentNoShow, .appointmentCreated, .appointmentCancelled,
        ]
        for (record, type) in zip(records, expected) {
            #expect(record.events.count == 1)
            #expect(record.events.first?.type == type)
        }
        let events = records.flatMap(\.events)
        #expect(events.map(\.sequence) == Array(1...8), "numbered in log order without gaps")
        #expect(events.allSatisfy { $0.createdAt == EngineFixture.now })
        // The payload is the appointment as it stands after the change.
        let calendars = await fixture.calendars()
        #expect(events[3].payload == .appointment(moved))
        #expect(events[3].payload.appointment?.barberID == fixture.barbers[1].id)
        #expect(events[4].payload.appointment?.status == .completed)
        #expect(events[4].payload.appointment == calendars[1].appointments[moved.id])
        #expect(events[7].payload.appointment?.status == .cancelled)
        // The move's record holds both halves and one event.
        #expect(records[records.startIndex + 3].changes.count == 2)
    }

    @Test func refusedChangesRecordNoEvent() async throws {
        let journal = RecordingJournal()
        let fixture = try await EngineFixture.make(barbers: 1, journal: journal)
        _ = try await fixture.book(0, at: EngineFixture.at("10:00"), by: fixture.alice).get()
        let count = journal.all.count
        let clash = await fixture.book(0, at: EngineFixture.at("10:00"), by: fixture.bob)
        #expect(clash == .failure(.slotTaken))
        #expect(journal.all.count == count)
        #expect(fixture.engine.notifications.read { $0.lastSequence } == 1)
    }

    @Test func replayingTheRecordsRebuildsTheSameEvents() async throws {
        let journal = RecordingJournal()
        let fixture = try await EngineFixture.make(barbers: 2, journal: journal)
        let endpoint = try await fixture.engine.createWebhook(
            url: "https://hooks.example.com/a", events: ["appointment.created"], description: "", secret: [1, 2, 3])
        for hour in 9..<16 {
            let booked = try await fixture.book(hour % 2, at: EngineFixture.at("\(hour < 10 ? "0" : "")\(hour):00"), by: fixture.alice).get()
            if hour % 3 == 0 { _ = try await fixture.cancel(booked.id, by: fixture.alice).get() }
        }
        func ended(_ event: EventSequence, _ outcome: DeliveryOutcome) -> EndedDelivery {
            EndedDelivery(
                event: event, type: .appointmentCreated, outcome: outcome, attempt: outcome == .delivered ? 1 : 9,
                statusCode: outcome == .delivered ? 204 : nil, error: outcome == .delivered ? nil : "refused", durationMilliseconds: 4,
                at: fixture.clock.now)
        }
        await fixture.engine.recordDeliveries([.init(webhook: endpoint.id, delivery: ended(3, .delivered))])
        await fixture.engine.recordDeliveries([
            .init(webhook: endpoint.id, delivery: ended(1, .givenUp)), .init(webhook: endpoint.id + 1, delivery: ended(2, .delivered)),
        ])
        #expect(
            journal.all.last?.changes == [.notification(.deliveryEnded(webhook: endpoint.id, ended(1, .givenUp)))],
            "one record; the outcome for an endpoint that does not exist is left out")
        #expect(fixture.engine.notifications.read { $0.endedDeliveries(endpoint.id) } == [ended(3, .delivered), ended(1, .givenUp)])
        let live = await fixture.engine.capture()

        var image = StateImage()
        for record in journal.all { image.replay(record.changes, lsn: record.lsn) }
        #expect(image.state.notifications == live.state.notifications)
        #expect(ShopEngine.digest(of: image.state) == ShopEngine.digest(of: live.state))
        #expect(image.state.notifications.events.map(\.id) == (1...10).map { "evt_\($0)" })

        // A restored engine numbers new events after the recovered ones.
        let restored = ShopEngine(journal: RecordingJournal(), clock: { fixture.clock.now })
        await restored.load(image.state)
        let user = try await restored.createUser(email: "c@x.test", name: "C", phone: nil, role: .client, passwordHash: "h")
        _ = try await restored.book(
            barberID: fixture.barbers[0].id, serviceID: fixture.haircut.id, start: EngineFixture.at("16:00"), clientID: nil, notes: nil,
            by: Requester(userID: user.id, role: .client))
        #expect(restored.notifications.read { $0.lastSequence } == 11)
    }
}
