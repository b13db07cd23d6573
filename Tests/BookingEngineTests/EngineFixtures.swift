import BookingCore
import BookingEngine
import Synchronization
import TestSupport

/// An engine with a UTC shop, `barbers` barbers working 09:00-17:00 every day, one 30-minute
/// service, an admin and two clients; `now` is 2027-03-01T00:00:00Z.
struct EngineFixture {
    let engine: ShopEngine
    let clock: ManualClock
    let barbers: [Barber]
    let haircut: Service
    let admin: Requester
    let alice: Requester
    let bob: Requester

    static let now = RFC3339.parse("2027-03-01T00:00:00Z")!

    static func make(barbers count: Int = 2, bufferMinutes: Int = 0, journal: any ChangeJournal = MemoryJournal())
        async throws -> EngineFixture
    {
        let clock = ManualClock(now)
        let engine = ShopEngine(journal: journal, clock: { clock.now })
        let adminUser = try await engine.createUser(email: "admin@x.test", name: "A", phone: nil, role: .admin, passwordHash: "h")
        let admin = Requester(userID: adminUser.id, role: .admin)
        let day = [WorkPeriod(start: TimeOfDay(parsing: "09:00")!, end: TimeOfDay(parsing: "17:00")!)]
        let week = try WeeklySchedule.validated(Dictionary(uniqueKeysWithValues: Weekday.allCases.map { ($0, day) })).get()
        var barbers: [Barber] = []
        for index in 0..<count {
            let barber = try await engine.createBarber(name: "Barber \(index)", account: nil)
            barbers.append(try await engine.setSchedule(barber.id, weekly: week, bufferMinutes: bufferMinutes, by: admin))
        }
        let haircut = try await engine.createService(name: "Haircut", durationMinutes: 30, priceCents: 2500, barberIDs: nil)
        let alice = try await engine.createUser(email: "alice@x.test", name: "Alice", phone: nil, role: .client, passwordHash: "h")
        let bob = try await engine.createUser(email: "bob@x.test", name: "Bob", phone: nil, role: .client, passwordHash: "h")
        return EngineFixture(
            engine: engine, clock: clock, barbers: barbers, haircut: haircut, admin: admin,
            alice: Requester(userID: alice.id, role: .client), bob: Requester(userID: bob.id, role: .client))
    }

    /// `HH:MM` UTC on 2027-03-02.
    static func at(_ time: String) -> Instant { RFC3339.parse("2027-03-02T\(time):00Z")! }
}

extension EngineFixture {
    /// `HH:MM` UTC on 2027-03-02 plus `days`.
    static func at(_ time: String, plusDays days: Int) -> Instant { at(time).adding(minutes: days * 24 * 60) }

    /// A barber user's view of barber `index`.
    func barberRequester(_ index: Int) -> Requester {
        Requester(userID: 10_000 + barbers[index].id, role: .barber, barberID: barbers[index].id)
    }

    /// Books the haircut, as a result instead of a throw.
    func book(_ barber: Int, at start: Instant, by requester: Requester, for client: UserID? = nil)
        async -> Result<Appointment, BookingError>
    {
        do throws(BookingError) {
            return .success(try await engine.book(
                barberID: barbers[barber].id, serviceID: haircut.id, start: start, clientID: client, notes: nil, by: requester))
        } catch {
            return .failure(error)
        }
    }

    func reschedule(_ id: AppointmentID, to start: Instant, barber: Int?, by requester: Requester)
        async -> Result<Appointment, BookingError>
    {
        do throws(BookingError) {
            return .success(try await engine.reschedule(id, to: start, barberID: barber.map { barbers[$0].id }, by: requester))
        } catch {
            return .failure(error)
        }
    }

    func cancel(_ id: AppointmentID, by requester: Requester) async -> Result<Appointment, BookingError> {
        do throws(BookingError) {
            return .success(try await engine.cancel(id, reason: nil, by: requester))
        } catch {
            return .failure(error)
        }
    }

    /// Every barber's calendar as it stands, in barber order.
    func calendars() async -> [BarberCalendar] {
        var result: [BarberCalendar] = []
        for barber in barbers {
            guard let actor = engine.router.calendar(barber.id) else { preconditionFailure("no calendar for \(barber.id)") }
            result.append(await actor.read { $0 })
        }
        return result
    }

    /// The calendars that hold appointment `id`, by barber id.
    func holders(of id: AppointmentID) async -> [BarberID] {
        await calendars().filter { $0.appointments[id] != nil }.map(\.barber.id)
    }
}
