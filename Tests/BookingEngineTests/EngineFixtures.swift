import BookingCore
import BookingEngine
import Synchronization

/// A clock tests move by hand.
final class TestClock: Sendable {
    private let current: Mutex<Instant>
    init(_ start: Instant) { current = Mutex(start) }
    var now: Instant { current.withLock { $0 } }
    func advance(minutes: Int) { current.withLock { $0 = $0.adding(minutes: minutes) } }
}

/// An engine with a UTC shop, `barbers` barbers working 09:00-17:00 every day, one 30-minute
/// service, an admin and two clients; `now` is 2027-03-01T00:00:00Z.
struct EngineFixture {
    let engine: ShopEngine
    let clock: TestClock
    let barbers: [Barber]
    let haircut: Service
    let admin: Requester
    let alice: Requester
    let bob: Requester

    static let now = RFC3339.parse("2027-03-01T00:00:00Z")!

    static func make(barbers count: Int = 2, bufferMinutes: Int = 0, journal: any ChangeJournal = MemoryJournal())
        async throws -> EngineFixture
    {
        let clock = TestClock(now)
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
