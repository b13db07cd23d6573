import BookingCore
import BookingEngine
import TestSupport
import Testing

/// The waitlist and the queue in the log: the full log replayed, and a capture taken during
/// traffic plus the log after it, both equal the live state with entries, holds, claims and
/// walk-ins in it.
@Suite struct WaitlistReplayTests {
    @Test(arguments: [1, 2, 3])
    func captureDuringWaitlistTrafficPlusTailEqualsFullReplay(seed: UInt64) async throws {
        let journal = RecordingJournal()
        let fixture = try await EngineFixture.make(barbers: 2, journal: journal)
        let engine = fixture.engine
        var days: [Appointment] = []
        for barber in 0..<2 { days += try await fixture.fillDay(barber) }
        let clients = try await fixture.clients(6, prefix: "s\(seed)-")
        let appointments = days
        // Working hours on 2027-03-01, so walk-ins can be started on its empty day.
        fixture.clock.set(RFC3339.parse("2027-03-01T09:00:00Z")!)

        @Sendable func traffic(_ seed: UInt64) async {
            var random = SeededGenerator(seed: seed)
            for _ in 0..<60 {
                let client = clients[Int(random.next() % UInt64(clients.count))]
                switch random.next() % 8 {
                case 6:
                    _ = try? await engine.checkIn(
                        name: "Walk In", serviceID: fixture.haircut.id, barberID: nil, phone: nil, by: fixture.admin)
                case 7:
                    if let walkIn = await engine.waitlist.read(queue: { $0.line.first }) {
                        if random.next() % 2 == 0 {
                            _ = try? await engine.startWalkIn(walkIn.id, barberID: fixture.barbers[1].id, by: fixture.admin)
                        } else {
                            _ = try? await engine.finishWalkIn(walkIn.id, left: true, by: fixture.admin)
                        }
                    }
                case 0, 1:
                    _ = try? await fixture.join(client, barber: random.next() % 2 == 0 ? nil : Int(random.next() % 2))
                case 2:
                    _ = await fixture.cancel(appointments[Int(random.next() % UInt64(appointments.count))].id, by: fixture.admin)
                case 3:
                    for entry in await engine.waitlistEntries(for: client) where entry.status == .offered {
                        _ = try? await engine.claim(entry.id, by: client)
                    }
                case 4:
                    if let entry = await engine.waitlistEntries(for: client).randomElement(using: &random) {
                        try? await engine.leaveWaitlist(entry.id, by: client)
                    }
                default:
                    fixture.clock.advance(minutes: 4)
                    await engine.expireOffers()
                }
            }
        }

        async let first: Void = traffic(seed * 10 + 1)
        async let second: Void = traffic(seed * 10 + 2)
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
        #expect(!live.waitlist.isEmpty && live.walkIns.walkIns.values.contains { $0.status == .serving })

        var restored = captured
        for record in journal.all where record.lsn > captured.coveredLSN { restored.replay(record.changes, lsn: record.lsn) }
        #expect(ShopEngine.digest(of: restored.state) == ShopEngine.digest(of: full))

        // A state loaded into a fresh engine keeps every entry and hold, and ids go on above them.
        let reloaded = ShopEngine(clock: { fixture.clock.now })
        await reloaded.load(live)
        #expect(ShopEngine.digest(of: await reloaded.capture().state) == ShopEngine.digest(of: live))
        let next = try await reloaded.joinWaitlist(
            serviceID: fixture.haircut.id, barberID: nil, dateFrom: EngineFixture.waitDay, dateTo: EngineFixture.waitDay,
            timeFrom: nil, timeTo: nil, clientID: nil, by: clients[0])
        #expect(next.id > (live.waitlist.entries.keys.max() ?? 0))
    }
}
