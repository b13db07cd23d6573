/// The contract's `estimated_start`, pure and given `now`: walk-ins are placed in line order,
/// each at the earliest start at or after now, on its barber or (if it asked for none) on any
/// barber offering the service, where the service fits between that barber's live
/// appointments, live holds and the walk-ins placed before it (the buffer kept after each),
/// inside working hours and clear of time off. Ties go to the lower barber id.
///
/// Placing never copies a calendar: the walk-ins placed so far are kept per barber beside it
/// (`Placed`), and a start is taken when `BarberCalendar.check`, the one booking rule, accepts it
/// and it is clear of the walk-ins placed before it by the same rule (the buffer after each).
public enum WalkInEstimates {
    public struct Placement: Hashable, Sendable, Codable {
        public var barberID: BarberID
        public var start: Instant

        public init(barberID: BarberID, start: Instant) {
            self.barberID = barberID
            self.start = start
        }
    }

    /// The intervals of the walk-ins placed on one barber so far, as seconds.
    public typealias Placed = [(start: Int64, end: Int64)]

    /// The placement of each walk-in of `line` (in line order); none for one that fits nowhere
    /// within `days` days after today.
    public static func place(
        _ line: [WalkIn], calendars: [BarberCalendar], services: [ServiceID: Service], policy: BookingPolicy, days: Int = 7
    ) -> [WalkInID: Placement] {
        let byBarber = Dictionary(uniqueKeysWithValues: calendars.map { ($0.barber.id, $0) })
        let barberIDs = byBarber.keys.sorted()
        var placed: [BarberID: Placed] = [:]
        var rule = policy
        rule.settings.minNoticeMinutes = 0
        var result: [WalkInID: Placement] = [:]
        for walkIn in line {
            guard let service = services[walkIn.serviceID] else { continue }
            var best: Placement?
            for barber in walkIn.barberID.map({ [$0] }) ?? barberIDs {
                guard let calendar = byBarber[barber], BarberCalendar.bookability(of: service, on: calendar.barber) == nil,
                    let start = earliestStart(of: service, on: calendar, after: placed[barber] ?? [], policy: rule, days: days)
                else { continue }
                if best.map({ (start, barber) < ($0.start, $0.barberID) }) ?? true { best = Placement(barberID: barber, start: start) }
            }
            guard let best else { continue }
            placed[best.barberID, default: []].append((best.start.seconds, best.start.adding(minutes: service.durationMinutes).seconds))
            result[walkIn.id] = best
        }
        return result
    }

    /// The earliest start at or after `policy.now` that `check` accepts for staff (no grid, no
    /// notice) and that keeps clear of the walk-ins already `placed` on this barber. It is always
    /// one of: now, a working period's start, the end (plus buffer) of a live appointment, a live
    /// hold or a placed walk-in, the end of time off; so only those are tried, in order.
    public static func earliestStart(
        of service: Service, on calendar: BarberCalendar, after placed: Placed = [], policy: BookingPolicy, days: Int
    ) -> Instant? {
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
        for entry in calendar.live.entries(endingFrom: now - buffer, startingBefore: limit) { candidates.insert(entry.end + buffer) }
        for hold in calendar.holds.values where hold.isLive(at: policy.now) { candidates.insert(hold.end.seconds + buffer) }
        for entry in calendar.timeOff where entry.end.seconds >= now { candidates.insert(entry.end.seconds) }
        for interval in placed { candidates.insert(interval.end + buffer) }
        let length = Int64(service.durationMinutes) * 60
        for candidate in candidates.sorted() where candidate >= now && candidate < limit {
            let end = candidate + length
            guard !placed.contains(where: { candidate < $0.end + buffer && $0.start < end + buffer }) else { continue }
            let start = Instant(seconds: candidate)
            if case .success = calendar.check(start: start, service: service, actor: .staff, policy: policy) { return start }
        }
        return nil
    }
}
