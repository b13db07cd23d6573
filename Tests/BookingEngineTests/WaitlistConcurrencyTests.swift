import BookingCore
import BookingEngine
import Testing

/// One freed slot and many hands reaching for it; several barbers freeing time at once for
/// "any barber" entries: exactly one winner, never a double booking, never one slot offered to
/// two entries or two offers to one entry.
@Suite struct WaitlistConcurrencyTests {
    @Test func manyClientsClaimingAndBookingOneFreedSlotYieldExactlyOneAppointment() async throws {
        let fixture = try await EngineFixture.make(barbers: 1)
        let day = try await fixture.fillDay(0)
        let waiting = try await fixture.clients(20, prefix: "w")
        var entries: [WaitlistEntry] = []
        for client in waiting { entries.append(try await fixture.join(client, barber: 0)) }
        let bookers = try await fixture.clients(20, prefix: "b")

        let freed = day[2]  // 10:00
        _ = try await fixture.engine.cancel(freed.id, reason: nil, by: fixture.admin)
        // Within the cancellation itself, the oldest entry got the start.
        let offered = await fixture.entries().filter { $0.status == .offered }
        #expect(offered.map(\.id) == [entries[0].id])
        #expect(offered.first?.offer?.start == freed.start)

        enum Outcome: Equatable { case claimed(AppointmentID), booked(AppointmentID), refused(String) }
        let outcomes = await withTaskGroup(of: Outcome.self) { group in
            for round in 0..<5 {
                for (client, entry) in zip(waiting, entries) {
                    group.addTask {
                        do throws(BookingError) {
                            return .claimed(try await fixture.engine.claim(entry.id, by: client).id)
                        } catch {
                            return .refused(error.code)
                        }
                    }
                }
                for booker in bookers {
                    let start = freed.start.adding(minutes: round % 2 == 0 ? 0 : 15)
                    group.addTask {
                        do throws(BookingError) {
                            return .booked(try await fixture.engine.book(
                                barberID: fixture.barbers[0].id, serviceID: fixture.haircut.id, start: start, clientID: nil,
                                notes: nil, by: booker).id)
                        } catch {
                            return .refused(error.code)
                        }
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let claims = outcomes.compactMap { if case .claimed(let id) = $0 { id } else { nil } }
        #expect(claims.count == 1)
        #expect(!outcomes.contains { if case .booked = $0 { true } else { false } })
        #expect(outcomes.filter { $0 == .refused("slot_taken") }.count == 100)
        #expect(outcomes.filter { $0 == .refused("invalid_transition") }.count == 99)

        let calendar = await fixture.calendars()[0]
        let live = calendar.appointments.values.filter { $0.status.isLive }.sorted { $0.start < $1.start }
        #expect(live.count == 16)
        for (a, b) in zip(live, live.dropFirst()) { #expect(a.end <= b.start) }
        let winner = live.first { $0.start == freed.start }
        #expect(winner?.id == claims.first && winner?.clientID == waiting[0].userID)
        #expect(calendar.holds.isEmpty)
        let final = await fixture.entries()
        #expect(final.first?.status == .booked && final.first?.appointmentID == claims.first)
        #expect(final.dropFirst().allSatisfy { $0.status == .waiting })
    }

    @Test(arguments: [1, 2, 3])
    func barbersFreeingTimeAtOnceNeverOfferASlotTwiceOrAnEntryTwice(round: Int) async throws {
        let fixture = try await EngineFixture.make(barbers: 3)
        var days: [[Appointment]] = []
        for barber in 0..<3 { days.append(try await fixture.fillDay(barber)) }
        let clients = try await fixture.clients(8, prefix: "r\(round)-")
        var entries: [WaitlistEntry] = []
        for client in clients { entries.append(try await fixture.join(client, barber: nil)) }
        // Twelve cancellations across the three barbers, all at once.
        let freed = (0..<3).flatMap { barber in [1, 5, 9, 13].map { days[barber][($0 + round) % 16] } }
        await withTaskGroup(of: Void.self) { group in
            for appointment in freed {
                group.addTask { _ = await fixture.cancel(appointment.id, by: fixture.admin) }
            }
        }
        let final = await fixture.entries()
        let holds = await fixture.holds()
        // Twelve starts freed, eight entries: every entry was offered exactly one, each its own.
        #expect(final.allSatisfy { $0.status == .offered })
        #expect(holds.count == entries.count)
        #expect(Set(holds.map(\.entryID)) == Set(entries.map(\.id)))
        #expect(Set(holds.map { "\($0.barberID)@\($0.start.seconds)" }).count == holds.count)
        for entry in final { #expect(holds.first { $0.entryID == entry.id } == entry.offer) }
        let freedSlots = Set(freed.map { "\($0.barberID)@\($0.start.seconds)" })
        #expect(holds.allSatisfy { freedSlots.contains("\($0.barberID)@\($0.start.seconds)") })
    }

    @Test func anyBarberEntryIsOfferedOnceWhenTwoBarbersFreeTheSameHour() async throws {
        let fixture = try await EngineFixture.make(barbers: 2)
        let first = try await fixture.fillDay(0)
        let second = try await fixture.fillDay(1)
        let client = try await fixture.clients(1, prefix: "any")[0]
        let entry = try await fixture.join(client, barber: nil)
        async let a = fixture.cancel(first[4].id, by: fixture.admin)
        async let b = fixture.cancel(second[4].id, by: fixture.admin)
        _ = await (a, b)
        let holds = await fixture.holds()
        #expect(holds.map(\.entryID) == [entry.id])
        #expect(await fixture.entries().first?.status == .offered)
        // The other barber's freed start is bookable by anyone.
        let other = holds[0].barberID == fixture.barbers[0].id ? 1 : 0
        #expect((try? await fixture.book(other, at: first[4].start, by: fixture.bob).get()) != nil)
    }
}
