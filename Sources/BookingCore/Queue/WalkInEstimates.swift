/// The contract's `estimated_start`, pure and given `now`: walk-ins are placed in line order,
/// each at the earliest start at or after now, on its barber or (if it asked for none) on any
/// barber offering the service, where the service fits between that barber's live
/// appointments, live holds and the walk-ins placed before it (the buffer kept after each),
/// inside working hours and clear of time off. Ties go to the lower barber id.
///
/// Placing is done on copies of the calendars: each placed walk-in is booked on its barber's
/// copy as an appointment with an id below zero (ids of real appointments are positive), so the
/// next walk-in's search is `BarberCalendar.check`, the one booking rule, and sees it.
public enum WalkInEstimates {
    public struct Placement: Hashable, Sendable, Codable {
        public var barberID: BarberID
        public var start: Instant

        public init(barberID: BarberID, start: Instant) {
            self.barberID = barberID
            self.start = start
        }
    }

    /// The placement of each walk-in of `line` (in line order); none for one that fits nowhere
    /// within `days` days after today.
    public static func place(
        _ line: [WalkIn], calendars: [BarberCalendar], services: [ServiceID: Service], policy: BookingPolicy, days: Int = 7
    ) -> [WalkInID: Placement] {
        var working = Dictionary(uniqueKeysWithValues: calendars.map { ($0.barber.id, $0) })
        var rule = policy
        rule.settings.minNoticeMinutes = 0
        var placeholder: AppointmentID = -1
        var result: [WalkInID: Placement] = [:]
        for walkIn in line {
            guard let service = services[walkIn.serviceID] else { continue }
            let barbers = walkIn.barberID.map { [$0] } ?? working.keys.sorted()
            var best: Placement?
            for barber in barbers {
                guard let calendar = working[barber], BarberCalendar.bookability(of: service, on: calendar.barber) == nil,
                    let start = earliestStart(of: service, on: calendar, policy: rule, days: days)
                else { continue }
                if best.map({ (start, barber) < ($0.start, $0.barberID) }) ?? true { best = Placement(barberID: barber, start: start) }
            }
            guard let best else { continue }
            working[best.barberID]!.apply(.booked(Appointment(
                id: placeholder, barberID: best.barberID, clientID: 0, serviceID: service.id, start: best.start,
                end: best.start.adding(minutes: service.durationMinutes), status: .confirmed, priceCents: 0, notes: nil,
                createdAt: policy.now)))
            placeholder -= 1
            result[walkIn.id] = best
        }
        return result
    }

    /// The earliest start at or after `policy.now` that `check` accepts for staff (no grid, no
    /// notice). It is always one of: now, a working period's start, the end (plus buffer) of a
    /// live appointment or live hold, the end of time off; so only those are tried, in order.
    public static func earliestStart(of service: Service, on calendar: BarberCalendar, policy: BookingPolicy, days: Int) -> Instant? {
        let now = policy.now.seconds
        let buffer = Int64(calendar.barber.bufferMinutes) * 60
        let today = policy.shopTime.localDate(of: policy.now)
        let limit = policy.shopTime.instant(on: today.adding(days: days + 1), at: TimeOfDay(minutes: 0)).seconds
        var candidates: Set<Int64> = [now]
        for offset in 0...days {
            for period in WorkingDay(date: today.adding(days: offset), schedule: calendar.barber.weekly, shopTime: policy.shopTime).periods {
                candidates.insert(period.start.seconds)
            }
        }
        for entry in calendar.live.entries where entry.end + buffer >= now { candidates.insert(entry.end + buffer) }
        for hold in calendar.holds.values where hold.isLive(at: policy.now) { candidates.insert(hold.end.seconds + buffer) }
        for entry in calendar.timeOff where entry.end.seconds >= now { candidates.insert(entry.end.seconds) }
        for candidate in candidates.sorted() where candidate >= now && candidate < limit {
            let start = Instant(seconds: candidate)
            if case .success = calendar.check(start: start, service: service, actor: .staff, policy: policy) { return start }
        }
        return nil
    }
}
