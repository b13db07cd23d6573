import BookingCore
import Foundation
import Testing

/// Every log record kind survives a JSON round trip exactly: replay depends on it.
struct ShopChangeCodableTests {
    static let start = Fixture.utc(2027, 3, 15, 13)
    static let weekly = Fixture.schedule([
        .monday: [Fixture.period(Fixture.hm(9), Fixture.hm(12)), Fixture.period(Fixture.hm(13), Fixture.hm(17))],
        .sunday: [Fixture.period(Fixture.hm(10), Fixture.hm(24))],
    ])
    static let appointment = Appointment(
        id: 12, barberID: 3, clientID: 40, serviceID: 2, start: start, end: start.adding(minutes: 45), status: .confirmed,
        priceCents: 2_500, notes: "fade, \"short\" — ünïcode", createdAt: Instant(seconds: -5), cancelReason: nil)

    static let changes: [ShopChange] = {
        var settings = Fixture.settings(zone: "America/New_York", slot: 20, notice: 30, maxDays: 60, cutoff: 90)
        settings.name = "Bob's"
        var finished = appointment
        finished.status = .noShow
        finished.notes = nil
        finished.cancelReason = "late"
        return [
            .registry(.settingsSet(settings)),
            .registry(.userCreated(User(id: 1, email: "a@b.c", name: "A", role: .admin, phone: nil, passwordHash: "$2b$12$h"))),
            .registry(.userCreated(User(id: 2, email: "c@d.e", name: "C", role: .client, phone: "+1 555", passwordHash: "x"))),
            .registry(.serviceSaved(Fixture.service(id: 2, minutes: 45, barberIDs: nil))),
            .registry(.serviceSaved(Fixture.service(id: 3, isActive: false, barberIDs: [1, 3]))),
            .registry(.barberAdded(id: 3, userID: 9)),
            .registry(.barberAdded(id: 4, userID: nil)),
            .calendar(.barberCreated(Barber(id: 3, name: "Sam", isActive: true, userID: 9, weekly: weekly, bufferMinutes: 10))),
            .calendar(.barberCreated(Barber(id: 4, name: "Kim"))),
            .calendar(.barberUpdated(id: 3, name: "Samuel", isActive: false)),
            .calendar(.scheduleSet(barberID: 3, weekly: weekly, bufferMinutes: 5)),
            .calendar(.scheduleSet(barberID: 3, weekly: .empty, bufferMinutes: 0)),
            .calendar(.timeOffAdded(TimeOff(id: 1, barberID: 3, start: start, end: start.adding(minutes: 60), reason: "dentist"))),
            .calendar(.timeOffAdded(TimeOff(id: 2, barberID: 3, start: start, end: start.adding(minutes: 1), reason: nil))),
            .calendar(.timeOffRemoved(barberID: 3, id: 1)),
            .calendar(.booked(appointment)),
            .calendar(.cancelled(barberID: 3, id: 12, reason: "sick")),
            .calendar(.cancelled(barberID: 3, id: 12, reason: nil)),
            .calendar(.statusSet(barberID: 3, id: 12, status: .completed)),
            .calendar(.statusSet(barberID: 3, id: 12, status: .noShow)),
            .calendar(.rescheduled(barberID: 3, id: 12, start: start, end: start.adding(minutes: 30))),
            .calendar(.movedOut(barberID: 3, id: 12)),
            .calendar(.movedIn(finished)),
            .clientRecord(.notesSet(client: 2, notes: "likes it short — no clippers")),
            .clientRecord(.notesSet(client: 2, notes: "")),
            .clientRecord(.registered(client: 2, at: start)),
        ]
    }()

    @Test("each ShopChange decodes to a value equal to the original", arguments: changes)
    func roundTrip(_ change: ShopChange) throws {
        let data = try JSONEncoder().encode(change)
        #expect(try JSONDecoder().decode(ShopChange.self, from: data) == change)
    }

    @Test("a whole record of changes round-trips in order")
    func recordRoundTrip() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(Self.changes)
        let decoded = try JSONDecoder().decode([ShopChange].self, from: data)
        #expect(decoded == Self.changes)
        #expect(try encoder.encode(decoded) == data)
    }

    @Test("statuses encode as the contract's strings")
    func statusesUseContractStrings() throws {
        let encoded = try JSONEncoder().encode(AppointmentStatus.allCases)
        #expect(String(decoding: encoded, as: UTF8.self) == #"["confirmed","cancelled","completed","no_show"]"#)
        #expect(AppointmentStatus.allCases.filter(\.isLive) == [.confirmed, .completed, .noShow])
    }

    @Test("a change names the barber whose calendar it belongs to")
    func calendarChangeBarberID() {
        for case .calendar(let change) in Self.changes {
            #expect(change.barberID == 3 || change.barberID == 4)
        }
        #expect(CalendarChange.booked(Self.appointment).barberID == 3)
        #expect(CalendarChange.timeOffAdded(TimeOff(id: 1, barberID: 8, start: Self.start, end: Self.start, reason: nil)).barberID == 8)
    }
}
