/// One client's appointments with one barber, as the client figures need them: counts by
/// outcome, lifetime value, and the starts of their live, confirmed and completed ones in order.
public struct ClientHistory: Sendable, Equatable {
    /// Every appointment of this client here, any status (the history is dropped at zero).
    public var appointments = 0
    public var visits = 0
    public var noShows = 0
    public var cancellations = 0
    public var lifetimeValueCents = 0
    public var live = SortedStarts()
    public var confirmed = SortedStarts()
    public var completed = SortedStarts()

    public init() {}

    mutating func count(_ appointment: Appointment, sign: Int) {
        let (start, id) = (appointment.start.seconds, appointment.id)
        func update(_ starts: inout SortedStarts) {
            if sign > 0 { starts.insert(start: start, id: id) } else { starts.remove(start: start, id: id) }
        }
        appointments += sign
        if appointment.status.isLive { update(&live) }
        switch appointment.status {
        case .confirmed: update(&confirmed)
        case .completed:
            visits += sign
            lifetimeValueCents &+= appointment.priceCents &* sign
            update(&completed)
        case .noShow: noShows += sign
        case .cancelled: cancellations += sign
        }
    }

    /// This barber's part of the client's record, with the next confirmed start from `now`.
    public func stats(now: Instant) -> ClientStats {
        ClientStats(
            visits: visits, noShows: noShows, cancellations: cancellations, lifetimeValueCents: lifetimeValueCents,
            firstVisit: completed.first.map { Instant(seconds: $0.start) },
            lastVisit: completed.last.map { Instant(seconds: $0.start) },
            nextAppointment: confirmed.firstStart(atOrAfter: now.seconds).map(Instant.init(seconds:)))
    }
}

/// A client's record figures: completed visits, no-shows, cancellations, Σ completed prices, the
/// starts of the earliest and latest completed, and the earliest confirmed start from now.
public struct ClientStats: Sendable, Equatable {
    public var visits = 0
    public var noShows = 0
    public var cancellations = 0
    public var lifetimeValueCents = 0
    public var firstVisit: Instant?
    public var lastVisit: Instant?
    public var nextAppointment: Instant?

    public init(visits: Int = 0, noShows: Int = 0, cancellations: Int = 0, lifetimeValueCents: Int = 0,
                firstVisit: Instant? = nil, lastVisit: Instant? = nil, nextAppointment: Instant? = nil) {
        self.visits = visits
        self.noShows = noShows
        self.cancellations = cancellations
        self.lifetimeValueCents = lifetimeValueCents
        self.firstVisit = firstVisit
        self.lastVisit = lastVisit
        self.nextAppointment = nextAppointment
    }

    /// The record over several barbers: sums, and the earliest or latest of each instant.
    public func combined(with other: ClientStats) -> ClientStats {
        func pick(_ a: Instant?, _ b: Instant?, _ better: (Instant, Instant) -> Instant) -> Instant? {
            switch (a, b) {
            case (let a?, let b?): better(a, b)
            case (let a?, nil): a
            case (nil, let b): b
            }
        }
        return ClientStats(
            visits: visits + other.visits, noShows: noShows + other.noShows, cancellations: cancellations + other.cancellations,
            lifetimeValueCents: lifetimeValueCents + other.lifetimeValueCents,
            firstVisit: pick(firstVisit, other.firstVisit, min), lastVisit: pick(lastVisit, other.lastVisit, max),
            nextAppointment: pick(nextAppointment, other.nextAppointment, min))
    }
}
