import BookingCore
import BookingEngine
import Foundation
import Testing

/// A cancel racing a move of the same appointment to another barber never leaves it on two
/// calendars, and the final state is what the successful operations say it is.
@Suite struct CancelRescheduleRaceTests {
    @Test(arguments: [false, true])
    func cancelAndMoveOfOneAppointmentSettleOnOneCalendar(asClient: Bool) async throws {
        let fixture = try await EngineFixture.make(barbers: 2)
        let target = fixture.barbers[1].id
        var outcomes: [String: Int] = [:]
        for round in 0..<16 {
            let start = EngineFixture.at(String(format: "%02d:%02d", 9 + round / 2, round % 2 * 30))
            let booked = try await fixture.book(0, at: start, by: fixture.alice).get()
            let requester = asClient ? fixture.alice : fixture.admin
            let moveTo = start.adding(minutes: 24 * 60)
            async let cancelled = fixture.cancel(booked.id, by: requester)
            async let moved = fixture.reschedule(booked.id, to: moveTo, barber: 1, by: requester)
            let (cancel, move) = await (cancelled, moved)

            let holders = await fixture.holders(of: booked.id)
            #expect(holders.count == 1, "round \(round): on \(holders) after cancel \(cancel), move \(move)")
            #expect(fixture.engine.index.barber(of: booked.id) == holders.first)
            let final = try await fixture.engine.appointment(booked.id, for: fixture.admin)
            let didCancel = (try? cancel.get()) != nil
            let didMove = (try? move.get()) != nil
            #expect(didCancel || didMove, "round \(round): neither succeeded: \(cancel), \(move)")
            #expect((final.status == .cancelled) == didCancel, "round \(round): \(final.status) after cancel \(cancel)")
            #expect((final.barberID == target) == didMove, "round \(round): on \(final.barberID) after move \(move)")
            if didMove { #expect(final.start == moveTo) } else { #expect(final.start == start) }
            if case .failure(let error) = move, didCancel {
                #expect(error == .invalidTransition(from: .cancelled, action: "reschedule"))
            }
            outcomes["cancel \(didCancel) move \(didMove)", default: 0] += 1

            // Nothing is left held on either calendar: each interval is taken exactly when the appointment is live there.
            let calendars = await fixture.calendars()
            #expect(calendars[1].live.entries.contains { $0.id == booked.id } == (didMove && !didCancel))
            #expect(calendars[0].live.entries.contains { $0.id == booked.id } == (!didMove && !didCancel))
            #expect(calendars[0].live.entries.allSatisfy { calendars[0].appointments[$0.id] != nil })
            #expect(calendars[1].live.entries.allSatisfy { calendars[1].appointments[$0.id] != nil })
            let rebook = await fixture.book(1, at: moveTo, by: fixture.bob)
            #expect(((try? rebook.get()) != nil) == !(didMove && !didCancel), "round \(round): \(rebook)")
        }
        #expect(outcomes.values.reduce(0, +) == 16)
    }

    @Test func aCompletedOrCancelledAppointmentNeverMoves() async throws {
        let fixture = try await EngineFixture.make(barbers: 2)
        let done = try await fixture.book(0, at: EngineFixture.at("10:00"), by: fixture.alice).get()
        _ = try await fixture.engine.setStatus(done.id, .completed, by: fixture.admin)
        #expect(await fixture.reschedule(done.id, to: EngineFixture.at("11:00"), barber: 1, by: fixture.admin)
            == .failure(.invalidTransition(from: .completed, action: "reschedule")))
        let gone = try await fixture.book(0, at: EngineFixture.at("12:00"), by: fixture.alice).get()
        _ = try await fixture.cancel(gone.id, by: fixture.alice).get()
        #expect(await fixture.reschedule(gone.id, to: EngineFixture.at("11:00"), barber: 1, by: fixture.alice)
            == .failure(.invalidTransition(from: .cancelled, action: "reschedule")))
        #expect(await fixture.holders(of: done.id) == [fixture.barbers[0].id])
        #expect(await fixture.holders(of: gone.id) == [fixture.barbers[0].id])
        #expect(await fixture.calendars()[1].appointments.isEmpty)
    }
}
