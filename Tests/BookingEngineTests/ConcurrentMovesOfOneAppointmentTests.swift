import BookingCore
import BookingEngine
import Foundation
import Testing

/// Several concurrent moves of one appointment to the same other barber (a double-clicked
/// "move", two staff at once) leave it on exactly one calendar, and never stop the process.
@Suite struct ConcurrentMovesOfOneAppointmentTests {
    /// Runs in a child process: a broken precondition in the engine would otherwise take the
    /// whole test run down with it.
    @Test func concurrentMovesOfOneAppointmentIntoOneCalendarKeepItOnOneCalendar() async {
        await #expect(processExitsWith: .success) {
            let fixture = try await EngineFixture.make(barbers: 2)
            for round in 0..<40 {
                let start = EngineFixture.at("09:00", plusDays: round / 16).adding(minutes: round % 16 * 30)
                let booked = try await fixture.book(0, at: start, by: fixture.alice).get()
                let targets = (0..<8).map { EngineFixture.at(String(format: "%02d:00", 9 + $0), plusDays: 1 + round) }
                let source = try #require(fixture.engine.router.calendar(fixture.barbers[0].id))
                let outcomes = await withTaskGroup(of: Result<Appointment, BookingError>?.self) { group in
                    // Keeps the source calendar busy for a moment, so the moves queue up on it and
                    // interleave instead of running one after the other.
                    group.addTask {
                        _ = await source.read { _ in usleep(20_000) }
                        return nil
                    }
                    for target in targets {
                        group.addTask { await fixture.reschedule(booked.id, to: target, barber: 1, by: fixture.admin) }
                    }
                    return await group.reduce(into: [Result<Appointment, BookingError>]()) { if let outcome = $1 { $0.append(outcome) } }
                }
                let holders = await fixture.holders(of: booked.id)
                let final = try await fixture.engine.appointment(booked.id, for: fixture.admin)
                let calendars = await fixture.calendars()
                let liveOnTarget = calendars[1].live.entries.filter { $0.id == booked.id }.count
                guard holders == [fixture.barbers[1].id], final.barberID == fixture.barbers[1].id, liveOnTarget == 1,
                    outcomes.contains(where: { (try? $0.get()) != nil }),
                    fixture.engine.index.barber(of: booked.id) == fixture.barbers[1].id
                else {
                    Issue.record("round \(round): holders \(holders), final \(final), outcomes \(outcomes)")
                    return
                }
            }
        }
    }
}
