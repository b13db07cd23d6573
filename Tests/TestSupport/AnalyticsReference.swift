import BookingCore
import Foundation

/// The analytics of ../shared/API.md computed the slow, obvious way, straight from a list of
/// appointments with Foundation's calendar: the figures the live aggregates must equal. It shares
/// no code with `BarberFigures`, `WorkingMinutes` or `AnalyticsSummary.init` (working minutes
/// are counted minute by minute).
public enum AnalyticsReference {
    public struct Barber: Sendable {
        public var id: BarberID
        public var isActive: Bool
        public var weekly: WeeklySchedule
        public var timeOff: [TimeOff]

        public init(id: BarberID, isActive: Bool, weekly: WeeklySchedule, timeOff: [TimeOff]) {
            self.id = id
            self.isActive = isActive
            self.weekly = weekly
            self.timeOff = timeOff
        }
    }

    /// Every barber and appointment of `state`.
    public static func inputs(of state: ShopState) -> (barbers: [Barber], appointments: [Appointment]) {
        let calendars = state.orderedCalendars
        return (
            calendars.map { Barber(id: $0.barber.id, isActive: $0.barber.isActive, weekly: $0.barber.weekly, timeOff: $0.timeOff) },
            calendars.flatMap { $0.appointments.values }
        )
    }

    public static func summary(
        zone: TimeZone, range: AnalyticsRange, barbers allBarbers: [Barber], appointments all: [Appointment],
        barberID: BarberID? = nil
    ) -> AnalyticsSummary {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        func local(_ instant: Instant) -> DateComponents {
            calendar.dateComponents([.year, .month, .day, .hour, .weekday], from: instant.date)
        }
        func date(_ instant: Instant) -> CivilDate {
            let c = local(instant)
            return CivilDate(year: c.year!, month: c.month!, day: c.day!)
        }
        let considered = barberID.map { id in all.filter { $0.barberID == id } } ?? all
        let listed = allBarbers.filter { barberID == nil ? $0.isActive : $0.id == barberID }.sorted { $0.id < $1.id }
        let inRange = considered.filter { (range.from...range.to).contains(date($0.start)) }

        var summary = AnalyticsSummary(range: range, rangeStart: Instant(seconds: 0), parts: [])
        summary.days = range.dates.map { day in
            AnalyticsSummary.Day(date: day, totals: totals(of: inRange.filter { date($0.start) == day }))
        }
        let all = totals(of: inRange)
        var t = AnalyticsSummary.Totals()
        t.counts = all.counts
        t.revenueBookedCents = all.revenueBookedCents
        t.revenueCompletedCents = all.revenueCompletedCents
        t.bookedMinutes = all.bookedMinutes
        t.averageTicketCents = all.counts.completed == 0 ? 0 : all.revenueCompletedCents / all.counts.completed
        t.cancellationRate = rate(all.counts.cancelled, all.counts.appointments)
        t.noShowRate = rate(all.counts.noShow, all.counts.completed + all.counts.noShow)
        summary.barbers = listed.map { barber in
            let mine = totals(of: inRange.filter { $0.barberID == barber.id })
            let working = workingMinutes(barber, range: range, calendar: calendar)
            return AnalyticsSummary.BarberLine(
                barberID: barber.id, counts: mine.counts, revenueCompletedCents: mine.revenueCompletedCents,
                bookedMinutes: mine.bookedMinutes, workingMinutes: working,
                utilisation: working == 0 ? 0 : rate(min(mine.bookedMinutes, working), working))
        }
        t.workingMinutes = summary.barbers.reduce(0) { $0 + $1.workingMinutes }
        t.utilisation = rate(min(t.bookedMinutes, t.workingMinutes), t.workingMinutes)

        let liveStarts = Dictionary(grouping: considered.filter { $0.status != .cancelled }, by: \.clientID).mapValues { $0.map(\.start) }
        let activeClients = Set(inRange.filter { $0.status != .cancelled }.map(\.clientID))
        for client in activeClients {
            let first = liveStarts[client]!.min()!
            if date(first) < range.from { t.returningClients += 1 } else { t.newClients += 1 }
        }
        let completed = inRange.filter { $0.status == .completed }
        let rebooked = completed.filter { visit in
            (liveStarts[visit.clientID] ?? []).contains { start in
                start > visit.end && start.seconds <= visit.end.seconds + 42 * 24 * 3600
            }
        }
        t.rebookingRate = rate(rebooked.count, completed.count)
        summary.totals = t

        var services: [ServiceID: (Int, Int)] = [:]
        for appointment in inRange {
            var entry = services[appointment.serviceID, default: (0, 0)]
            entry.0 += 1
            if appointment.status == .completed { entry.1 += appointment.priceCents }
            services[appointment.serviceID] = entry
        }
        summary.services = services.keys.sorted().map {
            AnalyticsSummary.ServiceLine(serviceID: $0, appointments: services[$0]!.0, revenueCompletedCents: services[$0]!.1)
        }
        var hours = [[Int]](repeating: [Int](repeating: 0, count: 24), count: 7)
        for appointment in inRange where appointment.status != .cancelled {
            let c = local(appointment.start)
            hours[(c.weekday! + 5) % 7][c.hour!] += 1  // Foundation: 1 = Sunday
        }
        summary.hours = hours
        return summary
    }

    /// A client's record figures from `appointments` at `now`.
    public static func clientStats(_ client: UserID, appointments: [Appointment], now: Instant) -> ClientStats {
        let mine = appointments.filter { $0.clientID == client }
        let completed = mine.filter { $0.status == .completed }
        return ClientStats(
            visits: completed.count, noShows: mine.filter { $0.status == .noShow }.count,
            cancellations: mine.filter { $0.status == .cancelled }.count,
            lifetimeValueCents: completed.reduce(0) { $0 + $1.priceCents }, firstVisit: completed.map(\.start).min(),
            lastVisit: completed.map(\.start).max(),
            nextAppointment: mine.filter { $0.status == .confirmed && $0.start >= now }.map(\.start).min())
    }

    static func totals(of appointments: [Appointment]) -> DayTotals {
        var totals = DayTotals()
        for appointment in appointments {
            totals.counts.count(appointment.status, sign: 1)
            if appointment.status != .cancelled {
                totals.revenueBookedCents += appointment.priceCents
                totals.bookedMinutes += Int(appointment.end.seconds - appointment.start.seconds) / 60
            }
            if appointment.status == .completed { totals.revenueCompletedCents += appointment.priceCents }
        }
        return totals
    }

    /// Minute by minute: each minute of each scheduled period not inside any time off.
    static func workingMinutes(_ barber: Barber, range: AnalyticsRange, calendar: Calendar) -> Int {
        var minutes = 0
        for day in range.dates {
            for period in barber.weekly.periods(on: day.weekday) {
                func resolve(_ time: TimeOfDay) -> Int64 {
                    let whole = time.minutes == 24 * 60
                    let on = whole ? day.adding(days: 1) : day
                    let m = whole ? 0 : time.minutes
                    let components = DateComponents(year: on.year, month: on.month, day: on.day, hour: m / 60, minute: m % 60)
                    return Int64(calendar.date(from: components)!.timeIntervalSince1970)
                }
                var minute = resolve(period.start)
                let end = resolve(period.end)
                let near = barber.timeOff.filter { $0.start.seconds < end && $0.end.seconds > minute }
                while minute < end {
                    if !near.contains(where: { $0.start.seconds <= minute && minute < $0.end.seconds }) { minutes += 1 }
                    minute += 60
                }
            }
        }
        return minutes
    }

    /// Rounded to 4 decimals (half up), 0 for a zero denominator, as the contract defines rates:
    /// in integers, then scaled.
    public static func rate(_ numerator: Int, _ denominator: Int) -> Double {
        guard denominator > 0 else { return 0 }
        let tenThousandths = (2 * numerator * 10_000 + denominator) / (2 * denominator)
        return Double(tenThousandths) / 10_000
    }
}
