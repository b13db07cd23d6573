import BookingCore
import BookingEngine
import Foundation
import TestSupport
import Testing

/// A move to another barber is atomic: under contention for one target interval exactly one move
/// wins, and every loser stays exactly where it was, on one calendar only.
@Suite struct CrossBarberRescheduleAtomicityTests {
    @Test(arguments: 0..<10)
    func manyMovesIntoOneTargetSlotLetExactlyOneWin(round: Int) async throws {
        let fixture = try await EngineFixture.make(barbers: 3)
        // Eight appointments on each of the first two barbers, on the hour from 09:00.
        var originals: [Appointment] = []
        for barber in 0..<2 {
            for hour in 9..<17 {
                let client = hour % 2 == 0 ? fixture.alice : fixture.bob
                originals.append(try await fixture.book(barber, at: EngineFixture.at(String(format: "%02d:00", hour)), by: client).get())
            }
        }
        let target = EngineFixture.at("12:00", plusDays: 1)
        let outcomes = await withTaskGroup(of: (AppointmentID, Result<Appointment, BookingError>).self) { group in
            for (index, original) in originals.enumerated() {
                // Half ask for the slot itself, half for an interval overlapping it.
                let start = index % 2 == 0 ? target : target.adding(minutes: 15)
                let requester = index % 3 == 0 ? fixture.admin : (original.clientID == fixture.alice.userID ? fixture.alice : fixture.bob)
                group.addTask { (original.id, await fixture.reschedule(original.id, to: start, barber: 2, by: requester)) }
            }
            return await group.reduce(into: [(AppointmentID, Result<Appointment, BookingError>)]()) { $0.append($1) }
        }
        let winners = outcomes.compactMap { try? $0.1.get() }
        #expect(winners.count == 1)
        for (_, outcome) in outcomes {
            if case .failure(let error) = outcome { #expect(error == .slotTaken) }
        }
        let winner = try #require(winners.first)
        #expect(winner.barberID == fixture.barbers[2].id)

        let calendars = await fixture.calendars()
        #expect(calendars[2].appointments.keys.sorted() == [winner.id])
        #expect(calendars[2].live.entries.map(\.id) == [winner.id])
        for original in originals {
            let holders = await fixture.holders(of: original.id)
            #expect(holders.count == 1, "appointment \(original.id) is on \(holders)")
            #expect(fixture.engine.index.barber(of: original.id) == holders.first)
            let now = try await fixture.engine.appointment(original.id, for: fixture.admin)
            if original.id == winner.id {
                #expect(now == winner)
                #expect(holders == [fixture.barbers[2].id])
            } else {
                #expect(now == original, "a losing move changed appointment \(original.id)")
            }
        }
        // The winner's old interval is free; the losers' are still taken.
        let freed = try #require(originals.first { $0.id == winner.id })
        let rebooked = await fixture.book(freed.barberID == fixture.barbers[0].id ? 0 : 1, at: freed.start, by: fixture.alice)
        #expect((try? rebooked.get()) != nil)
        let loser = try #require(originals.first { $0.id != winner.id })
        let blocked = await fixture.book(loser.barberID == fixture.barbers[0].id ? 0 : 1, at: loser.start, by: fixture.alice)
        #expect(blocked == .failure(.slotTaken))
    }

    @Test func aMoveRefusedAtTheSourceReleasesTheTargetInterval() async throws {
        let fixture = try await EngineFixture.make(barbers: 2)
        let booked = try await fixture.book(0, at: EngineFixture.at("10:00"), by: fixture.alice).get()
        // Bob may not move Alice's appointment: the move fails and barber 1 keeps 11:00 free.
        #expect(await fixture.reschedule(booked.id, to: EngineFixture.at("11:00"), barber: 1, by: fixture.bob)
            == .failure(.forbidden("appointment \(booked.id) belongs to someone else")))
        #expect(await fixture.holders(of: booked.id) == [fixture.barbers[0].id])
        #expect((try? await fixture.book(1, at: EngineFixture.at("11:00"), by: fixture.bob).get()) != nil)
    }

    @Test func aMoveIsJournaledAsOneRecordBothHalvesOrNeither() async throws {
        let journal = RecordingJournal()
        let clock = ManualClock(EngineFixture.now)
        let engine = ShopEngine(journal: journal, clock: { clock.now })
        let adminUser = try await engine.createUser(email: "a@x.test", name: "A", phone: nil, role: .admin, passwordHash: "h")
        let admin = Requester(userID: adminUser.id, role: .admin)
        let day = [WorkPeriod(start: TimeOfDay(parsing: "09:00")!, end: TimeOfDay(parsing: "17:00")!)]
        let week = try WeeklySchedule.validated(Dictionary(uniqueKeysWithValues: Weekday.allCases.map { ($0, day) })).get()
        let first = try await engine.createBarber(name: "One", account: nil)
        let second = try await engine.createBarber(name: "Two", account: nil)
        _ = try await engine.setSchedule(first.id, weekly: week, bufferMinutes: 0, by: admin)
        _ = try await engine.setSchedule(second.id, weekly: week, bufferMinutes: 0, by: admin)
        let service = try await engine.createService(name: "Cut", durationMinutes: 30, priceCents: 100, barberIDs: nil)
        let booked = try await engine.book(
            barberID: first.id, serviceID: service.id, start: EngineFixture.at("10:00"), clientID: nil, notes: nil, by: admin)
        let before = journal.lastLSN

        _ = try await engine.reschedule(booked.id, to: EngineFixture.at("11:00"), barberID: second.id, by: admin)
        let records = journal.all.filter { $0.lsn > before }.map(\.changes)
        #expect(records.count == 1)
        let changes = records.first ?? []
        #expect(changes.count == 3, "both halves and the move's event")
        #expect(changes.contains { if case .notification(.eventRecorded(let event)) = $0 { event.type == .appointmentRescheduled } else { false } })
        #expect(changes.contains(.calendar(.movedOut(barberID: first.id, id: booked.id))))
        #expect(changes.contains { if case .calendar(.movedIn(let moved)) = $0 { moved.id == booked.id && moved.barberID == second.id } else { false } })

        // A refused move journals nothing.
        let blocker = try await engine.book(
            barberID: first.id, serviceID: service.id, start: EngineFixture.at("13:00"), clientID: nil, notes: nil, by: admin)
        let count = journal.lastLSN
        do {
            _ = try await engine.reschedule(blocker.id, to: EngineFixture.at("11:00"), barberID: second.id, by: admin)
            Issue.record("moving onto a taken interval succeeded")
        } catch {
            #expect(error == .slotTaken)
        }
        #expect(journal.lastLSN == count)
    }
}
