/// The analytics of one barber's calendar, kept current by `BarberCalendar.apply` in the same
/// step that changes an appointment: figures per shop-local day of the start, and a history per
/// client.
///
/// Each change is applied as "take the appointment as it was away, add it as it now is", so a
/// reschedule to another day, a move to another barber (`movedOut` here, `movedIn` there), a
/// cancellation or a status change is counted once, under its current day and status.
///
/// The days are those of `shopTime`, the shop's time zone when the figures were built. When the
/// shop's time zone changes, every day moves, so the figures are rebuilt from the appointments
/// (`adopting`). They are derived data: never logged, never in a snapshot, never in the digest.
public struct BarberFigures: Sendable {
    public private(set) var shopTime: ShopTime
    /// By day number (days since 1970-01-01 of the shop-local calendar).
    public private(set) var days: [Int: DayFigures] = [:]
    public private(set) var clients: [UserID: ClientHistory] = [:]

    public init(shopTime: ShopTime) { self.shopTime = shopTime }

    /// The figures of `appointments`, built in one pass.
    public init(shopTime: ShopTime, appointments: some Sequence<Appointment>) {
        self.shopTime = shopTime
        for appointment in appointments { add(appointment) }
    }

    public var zoneIdentifier: String { shopTime.identifier }

    public mutating func add(_ appointment: Appointment) { count(appointment, sign: 1) }
    public mutating func remove(_ appointment: Appointment) { count(appointment, sign: -1) }

    private mutating func count(_ appointment: Appointment, sign: Int) {
        let local = appointment.start.seconds &+ Int64(shopTime.offsetSeconds(at: appointment.start))
        let day = Int(RFC3339.floorDiv(local, 86_400))
        // 0..<86_400 seconds into the day; wrapping, as `day * 86_400` can pass Int64.min for the
        // most extreme instants, where the wrapped difference is still the true one.
        let hour = Int(local &- Int64(day) &* 86_400) / 3600
        var figures = days.removeValue(forKey: day) ?? DayFigures()
        figures.count(appointment, hour: hour, sign: sign)
        if figures.counts.appointments != 0 { days[day] = figures }
        var history = clients.removeValue(forKey: appointment.clientID) ?? ClientHistory()
        history.count(appointment, sign: sign)
        if history.appointments != 0 { clients[appointment.clientID] = history }
    }

    // MARK: - Queries

    /// The figures of the days of `range`: cost O(days + services + clients active in the range),
    /// independent of how many appointments the calendar holds.
    public func figures(in range: AnalyticsRange) -> RangeFigures {
        var result = RangeFigures()
        result.days.reserveCapacity(range.dayCount)
        var active = Set<UserID>()
        for dayNumber in range.dayNumbers {
            guard let day = days[dayNumber] else {
                result.days.append(DayTotals())
                continue
            }
            result.days.append(DayTotals(day))
            let weekday = (dayNumber % 7 + 7 + 3) % 7  // 0 = Monday; 1970-01-01 was a Thursday
            for hour in 0..<24 { result.hours[weekday][hour] += day.liveByHour[hour] }
            for (service, figures) in day.services {
                result.services[service, default: ServiceFigures()].appointments += figures.appointments
                result.services[service, default: ServiceFigures()].revenueCompletedCents &+= figures.revenueCompletedCents
            }
            active.formUnion(day.liveClients.keys)
            result.completedVisits.append(contentsOf: day.completedVisits.values)
        }
        result.activeClients = active
        return result
    }

    /// For each of `clients`, the start of their first live appointment here (absent if none);
    /// for each of `visits`, whether the client has a live appointment here starting after the
    /// visit's end and at most `window` seconds after it. O(log) per client and per visit.
    public func clientFacts(clients: [UserID], visits: [CompletedVisit], window: Int64) -> ClientFacts {
        var facts = ClientFacts(rebooked: [Bool](repeating: false, count: visits.count))
        for client in clients {
            if let first = self.clients[client]?.live.first { facts.firstLiveStart[client] = first.start }
        }
        for (position, visit) in visits.enumerated() {
            let (limit, overflow) = visit.end.addingReportingOverflow(window)
            if let next = self.clients[visit.client]?.live.firstStart(after: visit.end), overflow || next <= limit {
                facts.rebooked[position] = true
            }
        }
        return facts
    }
}

/// One day's totals of a barber, without the per-client parts.
public struct DayTotals: Sendable, Equatable {
    public var counts = StatusCounts()
    public var revenueBookedCents = 0
    public var revenueCompletedCents = 0
    public var bookedMinutes = 0

    public init() {}

    init(_ day: DayFigures) {
        counts = day.counts
        revenueBookedCents = day.revenueBookedCents
        revenueCompletedCents = day.revenueCompletedCents
        bookedMinutes = day.bookedMinutes
    }

    static func += (lhs: inout DayTotals, rhs: DayTotals) {
        lhs.counts += rhs.counts
        lhs.revenueBookedCents &+= rhs.revenueBookedCents
        lhs.revenueCompletedCents &+= rhs.revenueCompletedCents
        lhs.bookedMinutes &+= rhs.bookedMinutes
    }
}

/// One barber's figures over a range, as `AnalyticsSummary` combines them.
public struct RangeFigures: Sendable {
    /// One entry per date of the range, in order.
    public var days: [DayTotals] = []
    public var services: [ServiceID: ServiceFigures] = [:]
    /// Live appointments by start weekday (Monday first) × hour.
    public var hours = [[Int]](repeating: [Int](repeating: 0, count: 24), count: 7)
    /// Clients with a live appointment starting in the range.
    public var activeClients = Set<UserID>()
    public var completedVisits: [CompletedVisit] = []
    /// Working minutes of the barber over the range (filled in by the calendar).
    public var workingMinutes = 0

    public init() {}
}

/// What one barber knows about some clients (see `BarberFigures.clientFacts`).
public struct ClientFacts: Sendable {
    public var firstLiveStart: [UserID: Int64] = [:]
    public var rebooked: [Bool]

    public init(rebooked: [Bool]) { self.rebooked = rebooked }
}
