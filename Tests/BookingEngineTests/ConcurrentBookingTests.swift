import BookingCore
import BookingEngine
import Testing

@Suite struct ConcurrentBookingTests {
    @Test func manyTasksBookingOneSlotYieldExactlyOneSuccess() async throws {
        let fixture = try await EngineFixture.make(barbers: 1)
        let barber = fixture.barbers[0].id
        let outcomes = await withTaskGroup(of: Result<Appointment, BookingError>.self) { group in
            for attempt in 0..<500 {
                // Half the requests ask for the exact slot, half for intervals overlapping it.
                let start = EngineFixture.at(attempt % 2 == 0 ? "10:00" : "10:15")
                group.addTask {
                    do throws(BookingError) {
                        return .success(try await fixture.engine.book(
                            barberID: barber, serviceID: fixture.haircut.id, start: start, clientID: nil, notes: nil,
                            by: fixture.alice))
                    } catch {
                        return .failure(error)
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let successes = outcomes.compactMap { try? $0.get() }
        #expect(successes.count == 1)
        #expect(outcomes.filter { $0 == Result<Appointment, BookingError>.failure(.slotTaken) }.count == 499)
        let stored = try await fixture.engine.appointments(AppointmentQuery(), for: fixture.admin)
        #expect(stored.count == 1)
    }

    @Test func concurrentBookingsOfDistinctSlotsAllSucceedAndNeverOverlap() async throws {
        let fixture = try await EngineFixture.make(barbers: 4)
        let starts = stride(from: 9 * 60, to: 17 * 60, by: 30).map { Instant(seconds: EngineFixture.at("00:00").seconds + Int64($0 * 60)) }
        let results = await withTaskGroup(of: Bool.self) { group in
            for barber in fixture.barbers {
                for start in starts {
                    for client in [fixture.alice, fixture.bob] {
                        group.addTask {
                            (try? await fixture.engine.book(
                                barberID: barber.id, serviceID: fixture.haircut.id, start: start, clientID: nil, notes: nil,
                                by: client)) != nil
                        }
                    }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.filter { $0 }.count == fixture.barbers.count * starts.count)
        let all = try await fixture.engine.appointments(AppointmentQuery(), for: fixture.admin)
        #expect(Set(all.map(\.id)).count == all.count)
        for barber in fixture.barbers {
            let mine = all.filter { $0.barberID == barber.id }.sorted { $0.start < $1.start }
            #expect(mine.count == starts.count)
            for (a, b) in zip(mine, mine.dropFirst()) { #expect(a.end <= b.start) }
        }
    }
}
