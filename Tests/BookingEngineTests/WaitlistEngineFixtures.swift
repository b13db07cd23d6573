import BookingCore
import BookingEngine

extension EngineFixture {
    static let waitDay = CivilDate(year: 2027, month: 3, day: 2)

    /// Books barber `barber`'s whole day of 2027-03-02 (09:00-17:00, 30 minutes each) for alice;
    /// the appointments by start.
    func fillDay(_ barber: Int) async throws -> [Appointment] {
        var booked: [Appointment] = []
        for slot in 0..<16 {
            booked.append(try await engine.book(
                barberID: barbers[barber].id, serviceID: haircut.id, start: EngineFixture.at("09:00").adding(minutes: slot * 30),
                clientID: alice.userID, notes: nil, by: admin))
        }
        return booked
    }

    /// `count` new clients.
    func clients(_ count: Int, prefix: String) async throws -> [Requester] {
        var result: [Requester] = []
        for index in 0..<count {
            let user = try await engine.createUser(
                email: "\(prefix)\(index)@x.test", name: "C\(index)", phone: nil, role: .client, passwordHash: "h")
            result.append(Requester(userID: user.id, role: .client))
        }
        return result
    }

    /// A waiting entry for the haircut on 2027-03-02, with barber `barber` (nil: any).
    func join(_ requester: Requester, barber: Int?) async throws -> WaitlistEntry {
        try await engine.joinWaitlist(
            serviceID: haircut.id, barberID: barber.map { barbers[$0].id }, dateFrom: Self.waitDay, dateTo: Self.waitDay,
            timeFrom: nil, timeTo: nil, clientID: nil, by: requester)
    }

    func entries() async -> [WaitlistEntry] { await engine.waitlist.read(\.ordered) }

    /// Every hold of every calendar.
    func holds() async -> [Hold] { await calendars().flatMap { $0.holds.values } }
}
