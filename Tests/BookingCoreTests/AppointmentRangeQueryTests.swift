import BookingCore
import TestSupport
import Testing

/// `BarberCalendar.appointments(overlapping:_:)` (backed by `Timeline`) against brute force:
/// every appointment, any status, with `start < to && end > from`, ordered by (start, id).
struct AppointmentRangeQueryTests {
    static func brute(_ calendar: BarberCalendar, _ from: Instant?, _ to: Instant?) -> [AppointmentID] {
        calendar.appointments.values
            .filter { appointment in
                (to.map { appointment.start < $0 } ?? true) && (from.map { appointment.end > $0 } ?? true)
            }
            .sorted { ($0.start, $0.id) < ($1.start, $1.id) }
            .map(\.id)
    }

    /// A calendar built only through `apply`, with live and cancelled appointments (cancelled ones
    /// may share starts and overlap), some very long ones, reschedules, and status changes.
    static func randomCalendar(seed: UInt64) -> BarberCalendar {
        var rng = SeededGenerator(seed: seed)
        var calendar = Fixture.calendar(weekly: .empty)
        let base = Fixture.utc(2027, 3, 1)
        var nextID = 1
        for _ in 0..<300 {
            let start = base.adding(minutes: Int.random(in: 0..<(14 * 24 * 4), using: &rng) * 15)
            let minutes = Int.random(in: 0..<10, using: &rng) == 0 ? Int.random(in: 1...1_440, using: &rng)
                : Int.random(in: 1...8, using: &rng) * 15
            let end = start.adding(minutes: minutes)
            let free = calendar.live.conflict(start: start.seconds, end: end.seconds, buffer: 0) == nil
            switch Int.random(in: 0..<6, using: &rng) {
            case 0...2 where free:
                calendar.apply(.booked(Appointment(
                    id: nextID, barberID: 1, clientID: 100, serviceID: 1, start: start, end: end, status: .confirmed,
                    priceCents: 100, notes: nil, createdAt: base)))
                nextID += 1
            case 3:
                calendar.apply(.booked(Appointment(
                    id: nextID, barberID: 1, clientID: 100, serviceID: 1, start: start, end: end, status: .cancelled,
                    priceCents: 100, notes: nil, createdAt: base)))
                nextID += 1
            case 4:
                let confirmed = calendar.appointments.values.filter { $0.status == .confirmed }.map(\.id).sorted()
                if let id = confirmed.randomElement(using: &rng) {
                    if Bool.random(using: &rng) {
                        calendar.apply(.cancelled(barberID: 1, id: id, reason: nil))
                    } else {
                        calendar.apply(.statusSet(barberID: 1, id: id, status: .completed))
                    }
                }
            case 5:
                let confirmed = calendar.appointments.values.filter { $0.status == .confirmed }.map(\.id).sorted()
                if let id = confirmed.randomElement(using: &rng),
                    calendar.live.conflict(start: start.seconds, end: end.seconds, buffer: 0, ignoring: id) == nil
                {
                    calendar.apply(.rescheduled(barberID: 1, id: id, start: start, end: end))
                }
            default:
                break
            }
        }
        return calendar
    }

    @Test("range queries agree with brute-force filtering, ordered by (start, id)", arguments: 1...8 as ClosedRange<UInt64>)
    func rangeQueriesMatchBruteForce(seed: UInt64) {
        let calendar = Self.randomCalendar(seed: seed)
        #expect(calendar.appointments.count > 100)
        var rng = SeededGenerator(seed: seed &* 7_919)
        let base = Fixture.utc(2027, 2, 27)
        var mismatches: [String] = []
        for _ in 0..<1_000 {
            let from = base.adding(minutes: Int.random(in: 0..<(18 * 24 * 60), using: &rng))
            let to = from.adding(minutes: Int.random(in: 1...(3 * 24 * 60), using: &rng))
            let actual = calendar.appointments(overlapping: from, to).map(\.id)
            let expected = Self.brute(calendar, from, to)
            if actual != expected { mismatches.append("[\(from.seconds), \(to.seconds)): \(actual) vs \(expected)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test("open-ended range queries agree with brute force", arguments: 1...4 as ClosedRange<UInt64>)
    func openEndedQueriesMatchBruteForce(seed: UInt64) {
        let calendar = Self.randomCalendar(seed: seed)
        let middle = Fixture.utc(2027, 3, 8, 10, 7)
        #expect(calendar.appointments(overlapping: nil, nil).map(\.id) == Self.brute(calendar, nil, nil))
        #expect(calendar.appointments(overlapping: middle, nil).map(\.id) == Self.brute(calendar, middle, nil))
        #expect(calendar.appointments(overlapping: nil, middle).map(\.id) == Self.brute(calendar, nil, middle))
    }

    @Test("a range overlaps an appointment only when it starts before the end and ends after the start")
    func rangeBoundariesAreHalfOpen() {
        var calendar = Fixture.calendar(weekly: .empty)
        let start = Fixture.utc(2027, 3, 15, 10)
        let end = Fixture.utc(2027, 3, 15, 11)
        calendar.apply(.booked(Appointment(
            id: 1, barberID: 1, clientID: 100, serviceID: 1, start: start, end: end, status: .confirmed,
            priceCents: 100, notes: nil, createdAt: start)))
        #expect(calendar.appointments(overlapping: end, end.adding(minutes: 60)).isEmpty)
        #expect(calendar.appointments(overlapping: start.adding(minutes: -60), start).isEmpty)
        #expect(calendar.appointments(overlapping: end.adding(seconds: -1), end.adding(minutes: 60)).map(\.id) == [1])
        #expect(calendar.appointments(overlapping: start.adding(minutes: -60), start.adding(seconds: 1)).map(\.id) == [1])
        #expect(calendar.appointments(overlapping: start.adding(minutes: 20), start.adding(minutes: 30)).map(\.id) == [1])
    }

    @Test("appointments with the same start are ordered by id")
    func sameStartOrdersById() {
        var calendar = Fixture.calendar(weekly: .empty)
        let start = Fixture.utc(2027, 3, 15, 10)
        for (id, status) in [(9, AppointmentStatus.cancelled), (3, .cancelled), (5, .confirmed), (4, .cancelled)] {
            calendar.apply(.booked(Appointment(
                id: id, barberID: 1, clientID: 100, serviceID: 1, start: start, end: start.adding(minutes: 30),
                status: status, priceCents: 100, notes: nil, createdAt: start)))
        }
        #expect(calendar.appointments(overlapping: nil, nil).map(\.id) == [3, 4, 5, 9])
    }
}
