import BookingCore
import Foundation
import TestSupport

/// A seeded random history of a shop, built through the calendars' own decisions (so every
/// change is one the server could have made) and kept as the log records it would write:
/// bookings, cancellations, completions, no-shows, reschedules within a calendar and moves
/// between barbers, schedule changes, time off, a barber deactivated, client notes, and a change
/// of the shop's time zone half way (one of the zones has a half-hour offset or none at all).
/// Working periods include 00:00-08:00, so daylight-saving changes fall inside them.
struct AnalyticsHistory {
    var state = ShopState()
    var records: [[ShopChange]] = []
    var generator: SeededGenerator
    let zones: (String, String)
    /// The days bookings fall on: two months around the spring changes, three weeks around the
    /// autumn ones.
    static let days: [CivilDate] =
        (0..<71).map { CivilDate(year: 2027, month: 3, day: 1).adding(days: $0) }
        + (0..<22).map { CivilDate(year: 2027, month: 10, day: 25).adding(days: $0) }
    static let clients = Array(100..<140)
    static let barbers = [1, 2, 3]
    private var nextID = 1

    init(seed: UInt64, zones: (String, String)) {
        generator = SeededGenerator(seed: seed)
        self.zones = zones
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &generator) }

    mutating func record(_ changes: [ShopChange]) {
        for change in changes { state.apply(change) }
        records.append(changes)
    }

    var policy: BookingPolicy {
        BookingPolicy(settings: state.registry.settings, shopTime: ShopTime(settings: state.registry.settings),
                      now: Instant(seconds: 1_700_000_000))
    }

    mutating func settings(zone: String) -> ShopSettings {
        var settings = state.registry.settings
        settings.timeZone = zone
        settings.maxAdvanceDays = 3660
        settings.minNoticeMinutes = 0
        return settings
    }

    mutating func weekly() -> WeeklySchedule {
        let choices: [[WorkPeriod]] = [
            [], [WorkPeriod(start: TimeOfDay(minutes: 0), end: TimeOfDay(minutes: 8 * 60))],
            [WorkPeriod(start: TimeOfDay(minutes: 9 * 60), end: TimeOfDay(minutes: 12 * 60)),
             WorkPeriod(start: TimeOfDay(minutes: 13 * 60), end: TimeOfDay(minutes: 17 * 60))],
            [WorkPeriod(start: TimeOfDay(minutes: 60), end: TimeOfDay(minutes: 4 * 60)),
             WorkPeriod(start: TimeOfDay(minutes: 20 * 60), end: TimeOfDay(minutes: 24 * 60))],
        ]
        var byDay: [Weekday: [WorkPeriod]] = [:]
        for day in Weekday.allCases { byDay[day] = choices[int(0...choices.count - 1)] }
        return try! WeeklySchedule.validated(byDay).get()
    }

    /// Sets the shop up, then makes `steps` attempts at changes (refused ones leave no record).
    mutating func run(steps: Int) {
        record([.registry(.settingsSet(settings(zone: zones.0)))])
        for (id, minutes, price) in [(1, 30, 2000), (2, 45, 3500), (3, 60, 5000)] {
            record([.registry(.serviceSaved(Service(
                id: id, name: "S\(id)", durationMinutes: minutes, priceCents: price, isActive: true, barberIDs: nil)))])
        }
        for barber in Self.barbers {
            record([.registry(.barberAdded(id: barber, userID: nil)),
                    .calendar(.barberCreated(Barber(id: barber, name: "B\(barber)", userID: nil)))])
            record([.calendar(.scheduleSet(barberID: barber, weekly: weekly(), bufferMinutes: 0))])
        }
        for step in 0..<steps {
            if step == steps / 2 { record([.registry(.settingsSet(settings(zone: zones.1)))]) }
            if step == steps * 3 / 4 { record([.calendar(.barberUpdated(id: 3, name: "B3", isActive: false))]) }
            switch int(0...99) {
            case 0..<40: book()
            case 40..<52: change { calendar, id, policy in calendar.decideCancel(id, reason: nil, by: .admin, policy: policy) }
            case 52..<67: change { calendar, id, _ in calendar.decideStatus(id, .completed, by: .admin) }
            case 67..<75: change { calendar, id, _ in calendar.decideStatus(id, .noShow, by: .admin) }
            case 75..<85: reschedule()
            case 85..<93: move()
            case 93..<95: timeOff()
            case 95..<96:
                let barber = Self.barbers[int(0...2)]
                record([.calendar(.scheduleSet(barberID: barber, weekly: weekly(), bufferMinutes: 0))])
            default:
                let client = Self.clients[int(0...Self.clients.count - 1)]
                record([.clientRecord(.notesSet(client: client, notes: int(0...3) == 0 ? "" : "likes a fade \(step)"))])
            }
        }
    }

    /// A start inside one of `barber`'s periods on a random day, on the 15-minute grid.
    mutating func start(for barber: BarberID, minutes: Int) -> Instant? {
        let day = Self.days[int(0...Self.days.count - 1)]
        let calendar = state.calendars[barber]!
        let periods = WorkingDay(date: day, schedule: calendar.barber.weekly, shopTime: policy.shopTime).periods
        guard !periods.isEmpty else { return nil }
        let period = periods[int(0...periods.count - 1)]
        let steps = Int(period.end.seconds - period.start.seconds) / 900 - minutes / 15
        guard steps >= 0 else { return nil }
        return period.start.adding(minutes: 15 * int(0...steps))
    }

    var service: Service { state.registry.services[1]! }

    mutating func book() {
        let barber = Self.barbers[int(0...2)]
        let service = state.registry.services[int(1...3)]!
        guard let start = start(for: barber, minutes: service.durationMinutes) else { return }
        let id = nextID
        if case .success(let (change, _)) = state.calendars[barber]!.decideBook(
            id: id, client: Self.clients[int(0...Self.clients.count - 1)], service: service, start: start, notes: nil,
            actor: .staff, policy: policy)
        {
            nextID += 1
            record([.calendar(change)])
        }
    }

    /// A random appointment that exists, and its barber.
    mutating func anyAppointment() -> (BarberID, Appointment)? {
        guard nextID > 1 else { return nil }
        let id = int(1...nextID - 1)
        for calendar in state.calendars.values { if let found = calendar.appointments[id] { return (calendar.barber.id, found) } }
        return nil
    }

    mutating func change(_ decide: (BarberCalendar, AppointmentID, BookingPolicy) -> Result<(CalendarChange, Appointment), BookingError>) {
        guard let (barber, appointment) = anyAppointment() else { return }
        if case .success(let (change, _)) = decide(state.calendars[barber]!, appointment.id, policy) { record([.calendar(change)]) }
    }

    mutating func reschedule() {
        guard let (barber, appointment) = anyAppointment() else { return }
        let service = state.registry.services[appointment.serviceID]!
        guard let start = start(for: barber, minutes: service.durationMinutes) else { return }
        if case .success(let (change, _)) = state.calendars[barber]!.decideReschedule(
            appointment.id, to: start, service: service, by: .admin, policy: policy)
        {
            record([.calendar(change)])
        }
    }

    mutating func move() {
        guard let (source, appointment) = anyAppointment() else { return }
        let target = Self.barbers.filter { $0 != source }[int(0...1)]
        let service = state.registry.services[appointment.serviceID]!
        guard let start = start(for: target, minutes: service.durationMinutes),
            case .success = state.calendars[source]!.decideMoveOut(appointment.id, by: .admin, policy: policy),
            case .success(let moved) = state.calendars[target]!.decideMoveIn(
                appointment, to: start, service: service, by: .admin, policy: policy)
        else { return }
        record([.calendar(.movedOut(barberID: source, id: appointment.id)), .calendar(.movedIn(moved))])
    }

    mutating func timeOff() {
        let barber = Self.barbers[int(0...2)]
        let day = Self.days[int(0...Self.days.count - 1)]
        let start = policy.shopTime.instant(on: day, at: TimeOfDay(minutes: 60 * int(0...22)))
        let id = nextID
        nextID += 1
        if case .success(let (change, _)) = state.calendars[barber]!.decideTimeOff(
            id: id, start: start, end: start.adding(minutes: 60 * int(1...30)), reason: nil)
        {
            record([.calendar(change)])
        }
    }
}

extension Requester {
    static let admin = Requester(userID: 1, role: .admin)
}
