import BookingCore
import BookingEngine
import TestSupport
import Testing

/// A capture taken while requests run, plus the log after it, must equal the full log replayed:
/// the property snapshots rely on.
@Suite struct StateCaptureTests {
    /// Random bookings, cancellations, reschedules (within and across barbers) and schedule
    /// changes from concurrent tasks, with a capture in the middle.
    @Test(arguments: [1, 2, 3, 4])
    func captureDuringTrafficPlusLogTailEqualsFullReplay(seed: UInt64) async throws {
        let journal = RecordingJournal()
        let fixture = try await EngineFixture.make(barbers: 3, journal: journal)
        let engine = fixture.engine
        let barbers = fixture.barbers.map(\.id)
        let clients = [fixture.alice, fixture.bob]

        @Sendable func traffic(_ seed: UInt64, operations: Int) async {
            var random = SeededGenerator(seed: seed)
            var mine: [AppointmentID] = []
            for _ in 0..<operations {
                let client = clients[Int(random.next() % 2)]
                let barber = barbers[Int(random.next() % UInt64(barbers.count))]
                let start = EngineFixture.at("09:00").adding(minutes: Int(random.next() % 16) * 30)
                switch random.next() % 5 {
                case 0, 1:
                    if let booked = try? await engine.book(
                        barberID: barber, serviceID: fixture.haircut.id, start: start, clientID: client.userID, notes: nil,
                        by: fixture.admin)
                    {
                        mine.append(booked.id)
                    }
                case 2:
                    if let id = mine.randomElement(using: &random) {
                        _ = try? await engine.cancel(id, reason: "r", by: fixture.admin)
                    }
                case 3:
                    if let id = mine.randomElement(using: &random) {
                        _ = try? await engine.reschedule(id, to: start, barberID: barber, by: fixture.admin)
                    }
                default:
                    _ = try? await engine.addTimeOff(
                        barber, start: start.adding(minutes: 600), end: start.adding(minutes: 630), reason: nil, by: fixture.admin)
                }
            }
        }

        async let first: Void = traffic(seed * 10 + 1, operations: 150)
        async let second: Void = traffic(seed * 10 + 2, operations: 150)
        async let image = { () async -> StateImage in
            await Task.yield()
            return await engine.capture()
        }()
        let captured = await image
        _ = await (first, second)

        var full = ShopState()
        for record in journal.all { for change in record.changes { full.apply(change) } }
        let live = await engine.capture().state
        #expect(ShopEngine.digest(of: full) == ShopEngine.digest(of: live))

        var restored = captured
        for record in journal.all where record.lsn > captured.coveredLSN { restored.replay(record.changes, lsn: record.lsn) }
        #expect(ShopEngine.digest(of: restored.state) == ShopEngine.digest(of: full))
        #expect(live.calendars.values.reduce(0) { $0 + $1.appointments.count } > 0)
    }

    @Test func loadingAStateRestoresQueriesIndexesAndIDAllocation() async throws {
        let journal = RecordingJournal()
        let fixture = try await EngineFixture.make(barbers: 2, journal: journal)
        let booked = try await fixture.engine.book(
            barberID: fixture.barbers[1].id, serviceID: fixture.haircut.id, start: EngineFixture.at("11:00"), clientID: nil,
            notes: "n", by: fixture.alice)
        let cancelled = try await fixture.engine.book(
            barberID: fixture.barbers[0].id, serviceID: fixture.haircut.id, start: EngineFixture.at("11:00"), clientID: nil,
            notes: nil, by: fixture.alice)
        _ = try await fixture.engine.cancel(cancelled.id, reason: nil, by: fixture.alice)
        let state = await fixture.engine.capture().state

        let restored = ShopEngine(clock: { fixture.clock.now })
        await restored.load(state)
        #expect(restored.index.tally.counts == [.confirmed: 1, .cancelled: 1, .completed: 0, .noShow: 0])
        #expect(ShopEngine.digest(of: await restored.capture().state) == ShopEngine.digest(of: state))
        #expect(try await restored.appointment(booked.id, for: fixture.alice) == booked)
        #expect(try await restored.appointments(AppointmentQuery(), for: fixture.alice).map(\.id).sorted() == [booked.id, cancelled.id].sorted())
        await #expect(throws: BookingError.slotTaken) {
            try await restored.book(
                barberID: fixture.barbers[1].id, serviceID: fixture.haircut.id, start: EngineFixture.at("11:00"), clientID: nil,
                notes: nil, by: fixture.bob)
        }
        let next = try await restored.book(
            barberID: fixture.barbers[1].id, serviceID: fixture.haircut.id, start: EngineFixture.at("12:00"), clientID: nil,
            notes: nil, by: fixture.bob)
        #expect(next.id > booked.id)
        let user = try await restored.createUser(email: "new@x.test", name: "N", phone: nil, role: .client, passwordHash: "h")
        #expect(state.registry.users[user.id] == nil)
        // Users are read without the directory: the loaded ones and the new one are there.
        let registry = await restored.directory.registry
        #expect(registry.users.count == state.registry.users.count + 1)
        for expected in registry.users.values { #expect(restored.user(id: expected.id) == expected) }
        #expect(restored.user(id: user.id) == user)
        #expect(restored.user(id: user.id + 1) == nil)
    }
}
