/// The figures of `GET /api/v2/analytics/summary` (../shared/API.md, "Analytics and client
/// records"), combined from the range figures of the barbers it covers.
///
/// A barber's view covers that barber alone, so every figure, "new" and "returning" clients and
/// rebooking included, is computed as if the shop held only their appointments. The shop's view
/// covers every barber, active or not; its `barbers` list (and so its working minutes and
/// utilisation) holds the active ones.
public struct AnalyticsSummary: Sendable, Equatable {
    public struct Totals: Sendable, Equatable {
        public var counts = StatusCounts()
        public var revenueBookedCents = 0
        public var revenueCompletedCents = 0
        public var averageTicketCents = 0
        public var cancellationRate = 0.0
        public var noShowRate = 0.0
        public var newClients = 0
        public var returningClients = 0
        public var rebookingRate = 0.0
        public var bookedMinutes = 0
        public var workingMinutes = 0
        public var utilisation = 0.0

        public init() {}
    }

    public struct Day: Sendable, Equatable {
        public var date: CivilDate
        public var totals: DayTotals

        public init(date: CivilDate, totals: DayTotals) {
            self.date = date
            self.totals = totals
        }
    }

    public struct BarberLine: Sendable, Equatable {
        public var barberID: BarberID
        public var counts: StatusCounts
        public var revenueCompletedCents: Int
        public var bookedMinutes: Int
        public var workingMinutes: Int
        public var utilisation: Double

        public init(barberID: BarberID, counts: StatusCounts, revenueCompletedCents: Int, bookedMinutes: Int,
                    workingMinutes: Int, utilisation: Double) {
            self.barberID = barberID
            self.counts = counts
            self.revenueCompletedCents = revenueCompletedCents
            self.bookedMinutes = bookedMinutes
            self.workingMinutes = workingMinutes
            self.utilisation = utilisation
        }
    }

    public struct ServiceLine: Sendable, Equatable {
        public var serviceID: ServiceID
        public var appointments: Int
        public var revenueCompletedCents: Int

        public init(serviceID: ServiceID, appointments: Int, revenueCompletedCents: Int) {
            self.serviceID = serviceID
            self.appointments = appointments
            self.revenueCompletedCents = revenueCompletedCents
        }
    }

    /// A completed appointment counts as rebooked when its client has another live appointment
    /// starting after its end and at most this long after it (42 days of 24 hours).
    public static let rebookingWindowSeconds: Int64 = 42 * 24 * 3600

    public var range: AnalyticsRange
    public var totals = Totals()
    public var days: [Day] = []
    public var barbers: [BarberLine] = []
    public var services: [ServiceLine] = []
    public var hours = [[Int]](repeating: [Int](repeating: 0, count: 24), count: 7)

    /// One barber's part: their range figures, their facts about the range's clients and visits
    /// (`BarberFigures.clientFacts` for the clients and visits of every part), and whether they
    /// are listed in `barbers`.
    public struct Part: Sendable {
        public var barberID: BarberID
        public var figures: RangeFigures
        public var facts: ClientFacts
        public var listed: Bool

        public init(barberID: BarberID, figures: RangeFigures, facts: ClientFacts, listed: Bool) {
            self.barberID = barberID
            self.figures = figures
            self.facts = facts
            self.listed = listed
        }
    }

    /// The clients and completed visits whose facts each part must carry, in the order the facts
    /// are read back: the union of the parts' active clients (sorted) and their visits in order.
    public static func questions(_ figures: [RangeFigures]) -> (clients: [UserID], visits: [CompletedVisit]) {
        var clients = Set<UserID>()
        var visits: [CompletedVisit] = []
        for part in figures {
            clients.formUnion(part.activeClients)
            visits.append(contentsOf: part.completedVisits)
        }
        return (clients.sorted(), visits)
    }

    /// Combines `parts`, whose facts answer `questions(parts.map(\.figures))`. `rangeStart` is the
    /// instant `range.from` begins in the shop's time zone.
    public init(range: AnalyticsRange, rangeStart: Instant, parts: [Part]) {
        self.range = range
        var dayTotals = [DayTotals](repeating: DayTotals(), count: range.dayCount)
        var services: [ServiceID: ServiceFigures] = [:]
        for part in parts {
            for (index, day) in part.figures.days.enumerated() { dayTotals[index] += day }
            for (service, figures) in part.figures.services {
                services[service, default: ServiceFigures()].appointments += figures.appointments
                services[service, default: ServiceFigures()].revenueCompletedCents &+= figures.revenueCompletedCents
            }
            for weekday in 0..<7 {
                for hour in 0..<24 { hours[weekday][hour] += part.figures.hours[weekday][hour] }
            }
            if part.listed {
                var line = DayTotals()
                for day in part.figures.days { line += day }
                barbers.append(BarberLine(
                    barberID: part.barberID, counts: line.counts, revenueCompletedCents: line.revenueCompletedCents,
                    bookedMinutes: line.bookedMinutes, workingMinutes: part.figures.workingMinutes,
                    utilisation: Self.utilisation(line.bookedMinutes, part.figures.workingMinutes)))
                totals.workingMinutes += part.figures.workingMinutes
            }
        }
        barbers.sort { $0.barberID < $1.barberID }
        self.services = services.keys.sorted().map {
            ServiceLine(serviceID: $0, appointments: services[$0]!.appointments, revenueCompletedCents: services[$0]!.revenueCompletedCents)
        }
        var all = DayTotals()
        for (offset, day) in dayTotals.enumerated() {
            days.append(Day(date: range.from.adding(days: offset), totals: day))
            all += day
        }
        totals.counts = all.counts
        totals.revenueBookedCents = all.revenueBookedCents
        totals.revenueCompletedCents = all.revenueCompletedCents
        totals.bookedMinutes = all.bookedMinutes
        totals.averageTicketCents = all.counts.completed == 0 ? 0 : all.revenueCompletedCents / all.counts.completed
        totals.cancellationRate = Self.rate(all.counts.cancelled, all.counts.appointments)
        totals.noShowRate = Self.rate(all.counts.noShow, all.counts.completed + all.counts.noShow)
        totals.utilisation = Self.utilisation(all.bookedMinutes, totals.workingMinutes)

        // A client active in the range is new when their first live start (over the parts) is
        // in the range, returning when it is before. (Facts asked in a later turn than the
        // figures may find no live start left: such a client is counted in neither.)
        let (clients, visits) = Self.questions(parts.map(\.figures))
        for client in clients {
            guard let first = parts.compactMap({ $0.facts.firstLiveStart[client] }).min() else { continue }
            if first < rangeStart.seconds { totals.returningClients += 1 } else { totals.newClients += 1 }
        }
        var rebooked = 0
        for position in visits.indices where parts.contains(where: { $0.facts.rebooked[position] }) { rebooked += 1 }
        totals.rebookingRate = Self.rate(rebooked, visits.count)
    }

    /// Booked ÷ working minutes as a rate. Booked minutes can exceed the working minutes of the
    /// *current* schedule (hours cut after bookings were made); the rate then stays at 1.
    public static func utilisation(_ booked: Int, _ working: Int) -> Double { rate(min(booked, working), working) }

    /// `numerator ÷ denominator` rounded to 4 decimals (half away from zero); 0 when the
    /// denominator is 0.
    public static func rate(_ numerator: Int, _ denominator: Int) -> Double {
        guard denominator != 0 else { return 0 }
        return (Double(numerator) * 10_000 / Double(denominator)).rounded(.toNearestOrAwayFromZero) / 10_000
    }
}
