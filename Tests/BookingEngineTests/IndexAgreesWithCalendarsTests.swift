import BookingCore
import BookingEngine
import TestSupport
import Testing

/// After a seeded random run of bookings, cancellations, moves and status changes, the appointment
/// index and the tally of appointments by status agree with the calendars, the calendars agree with a model built from the answers, and
/// no calendar holds overlapping live intervals.
@Suite struct IndexAgreesWithCalendarsTests {
    enum Operation: Sendable {
        case book(barber: Int, start: Instant, requester: Requester, client: UserID?)
        case cancel(AppointmentID, by: Requester)
        case reschedule(AppointmentID, to: Instant, barber: Int?, by: Requester)
        case mark(AppointmentID, AppointmentStatus, by: Requester)
    }

    struct World {
        let fixture: EngineFixture
        let carol: Requester
        var clients: [Requester] { [fixture.alice, fixture.bob, carol] }
        var requesters: [Requester] {
            clients + [fixture.admin] + fixture.barbers.indices.map { fixture.barberRequester($0) }
        }

        static func make() async throws -> World {
            let fixture = try await EngineFixture.make(barbers: 3, bufferMinutes: 10)
            let carol = try await fixture.engine.createUser(email: "carol@x.test", name: "C", phone: nil, role: .client, passwordHash: "h")
            return World(fixture: fixture, carol: Requester(userID: carol.id, role: .client))
        }

        /// A random operation; `known` are the appointment ids booked so far.
        func randomOperation(known: [AppointmentID], using generator: inout SeededGenerator) -> Operation {
            let minute = Int.random(in: 0..<32, using: &generator) * 15 + (Bool.random(using: &generator) ? 0 : 5)
            let start = EngineFixture.at("09:00", plusDays: Int.random(in: 0..<3, using: &generator)).adding(minutes: minute)
            let requester = requesters.randomElement(using: &generator)!
            let barber = Int.random(in: 0..<fixture.barbers.count, using: &generator)
            guard let id = known.randomElement(using: &generator), Int.random(in: 0..<10, using: &generator) >= 4 else {
                let client = requester.role == .client ? nil : clients.randomElement(using: &generator)!.userID
                return .book(barber: barber, start: start, requester: requester, client: client)
            }
            switch Int.random(in: 0..<6, using: &generator) {
            case 0, 1: return .cancel(id, by: requester)
            case 2: return .reschedule(id, to: start, barber: nil, by: requester)
            case 3: return .reschedule(id, to: start, barber: barber, by: requester)
            case 4: return .mark(id, .completed, by: requester)
            default: return .mark(id, .noShow, by: requester)
            }
        }

        /// Runs one operation; its answer, as a result.
        func run(_ operation: Operation) async -> Result<Appointment, BookingError> {
            do throws(BookingError) {
                switch operation {
                case .book(let barber, let start, let requester, let client):
                    return .success(try await fixture.engine.book(
                        barberID: fixture.barbers[barber].id, serviceID: fixture.haircut.id, start: start, clientID: client, notes: nil,
                        by: requester))
                case .cancel(let id, let requester):
                    return .success(try await fixture.engine.cancel(id, reason: "r", by: requester))
                case .reschedule(let id, let start, let barber, let requester):
                    return .success(try await fixture.engine.reschedule(
                        id, to: start, barberID: barber.map { fixture.barbers[$0].id }, by: requester))
                case .mark(let id, let status, let requester):
                    return .success(try await fixture.engine.setStatus(id, status, by: requester))
                }
            } catch {
                return .failure(error)
            }
        }

        /// Checks the engine against `model` (every appointment as the successful answers left it).
        func expectConsistent(with model: [AppointmentID: Appointment], after step: Int,
                              sourceLocation: SourceLocation = #_sourceLocation) async throws {
            let calendars = await fixture.calendars()
            var seen: [AppointmentID: BarberID] = [:]
            for calendar in calendars {
                for (id, appointment) in calendar.appointments {
                    #expect(seen[id] == nil, "step \(step): \(id) on \(seen[id] ?? 0) and \(calendar.barber.id)", sourceLocation: sourceLocation)
                    seen[id] = calendar.barber.id
                    #expect(appointment.barberID == calendar.barber.id, sourceLocation: sourceLocation)
                    #expect(fixture.engine.index.barber(of: id) == calendar.barber.id, "step \(step): index of \(id)",
                            sourceLocation: sourceLocation)
                    #expect(model[id] == appointment, "step \(step): \(id) differs from the answers", sourceLocation: sourceLocation)
                }
                // `live` holds exactly the live appointments, and they keep the buffer between them.
                let live = calendar.appointments.values.filter(\.status.isLive).sorted { $0.start < $1.start }
                #expect(calendar.live.entries.map(\.id) == live.map(\.id), "step \(step): live set", sourceLocation: sourceLocation)
                for (a, b) in zip(live, live.dropFirst()) {
                    #expect(a.end.adding(minutes: calendar.barber.bufferMinutes) <= b.start, "step \(step): \(a.id) and \(b.id) overlap",
                            sourceLocation: sourceLocation)
                }
            }
            #expect(Set(seen.keys) == Set(model.keys), "step \(step): calendars and answers disagree on ids", sourceLocation: sourceLocation)

            let everything = try await fixture.engine.appointments(AppointmentQuery(), for: fixture.admin)
            #expect(everything.map(\.id).sorted() == model.keys.sorted(), sourceLocation: sourceLocation)
            var byStatus = Dictionary(uniqueKeysWithValues: AppointmentStatus.allCases.map { ($0, 0) })
            for appointment in everything { byStatus[appointment.status, default: 0] += 1 }
            #expect(fixture.engine.index.tally.counts == byStatus, "step \(step): tally", sourceLocation: sourceLocation)
            for client in clients {
                let expected = model.values.filter { $0.clientID == client.userID }
                #expect(Set(fixture.engine.index.appointments(of: client.userID)) == Set(expected.map(\.id)),
                        "step \(step): client index of \(client.userID)", sourceLocation: sourceLocation)
                let listed = try await fixture.engine.appointments(AppointmentQuery(), for: client)
                #expect(listed == everything.filter { $0.clientID == client.userID }, "step \(step): listing of \(client.userID)",
                        sourceLocation: sourceLocation)
            }
            for index in fixture.barbers.indices {
                let listed = try await fixture.engine.appointments(AppointmentQuery(), for: fixture.barberRequester(index))
                #expect(listed == everything.filter { $0.barberID == fixture.barbers[index].id }, sourceLocation: sourceLocation)
            }
        }
    }

    @Test(arguments: [1, 42, 2027, 90_210])
    func aSequentialRandomRunKeepsIndexAndCalendarsInAgreement(seed: UInt64) async throws {
        let world = try await World.make()
        var generator = SeededGenerator(seed: seed)
        var model: [AppointmentID: Appointment] = [:]
        var successes = 0
        for step in 0..<600 {
            let operation = world.randomOperation(known: Array(model.keys).sorted(), using: &generator)
            if case .success(let appointment) = await world.run(operation) {
                model[appointment.id] = appointment
                successes += 1
            }
            if step % 150 == 149 { try await world.expectConsistent(with: model, after: step) }
            if step % 100 == 99 { world.fixture.clock.advance(minutes: 7 * 60) }
        }
        // The run must actually exercise the engine, not just collect refusals.
        #expect(successes > 100)
        #expect(model.values.contains { $0.status == .cancelled })
        #expect(model.values.contains { $0.status == .completed || $0.status == .noShow })
        #expect(model.values.contains { $0.barberID == world.fixture.barbers[2].id })
    }

    @Test(arguments: [7, 99])
    func concurrentBatchesOnDistinctAppointmentsKeepIndexAndCalendarsInAgreement(seed: UInt64) async throws {
        let world = try await World.make()
        var generator = SeededGenerator(seed: seed)
        var model: [AppointmentID: Appointment] = [:]
        for batch in 0..<40 {
            // Each batch touches every existing appointment at most once, so its operations commute.
            var operations: [Operation] = []
            var touched: Set<AppointmentID> = []
            while operations.count < 12 {
                let operation = world.randomOperation(known: Array(model.keys).sorted(), using: &generator)
                switch operation {
                case .book: operations.append(operation)
                case .cancel(let id, _), .reschedule(let id, _, _, _), .mark(let id, _, _):
                    if touched.insert(id).inserted { operations.append(operation) }
                }
            }
            let results = await withTaskGroup(of: Result<Appointment, BookingError>.self) { group in
                for operation in operations { group.addTask { await world.run(operation) } }
                return await group.reduce(into: [Result<Appointment, BookingError>]()) { $0.append($1) }
            }
            for case .success(let appointment) in results { model[appointment.id] = appointment }
            try await world.expectConsistent(with: model, after: batch)
        }
        #expect(model.count > 40)
    }
}
