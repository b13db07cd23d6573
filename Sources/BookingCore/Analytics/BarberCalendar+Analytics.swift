/// The analytics queries of one calendar, in the time zone its figures were built for.
extension BarberCalendar {
    /// The figures of `range`, with the barber's working minutes over it.
    public func rangeFigures(in range: AnalyticsRange) -> RangeFigures {
        var result = figures.figures(in: range)
        result.workingMinutes = WorkingMinutes.of(schedule: barber.weekly, timeOff: timeOff, in: range, shopTime: figures.shopTime)
        return result
    }

    /// See `BarberFigures.clientFacts`, with the rebooking window of the contract.
    public func clientFacts(clients: [UserID], visits: [CompletedVisit]) -> ClientFacts {
        figures.clientFacts(clients: clients, visits: visits, window: AnalyticsSummary.rebookingWindowSeconds)
    }

    /// This barber's whole view of `range`: figures and facts from the same state.
    public func summaryPart(in range: AnalyticsRange) -> AnalyticsSummary.Part {
        let figures = rangeFigures(in: range)
        let (clients, visits) = AnalyticsSummary.questions([figures])
        return AnalyticsSummary.Part(
            barberID: barber.id, figures: figures, facts: clientFacts(clients: clients, visits: visits), listed: true)
    }

    /// This barber's part of `client`'s record.
    public func clientStats(_ client: UserID, now: Instant) -> ClientStats {
        figures.clients[client]?.stats(now: now) ?? ClientStats()
    }
}

/// The same figures from a whole state (replay, tests): what the engine computes across its
/// calendar actors, computed here in one place.
extension ShopState {
    /// The summary of `range` for the shop (every barber, the active ones listed) or, with
    /// `barberID`, as if the shop held only that barber's appointments; nil for an unknown barber.
    public func analyticsSummary(_ range: AnalyticsRange, barberID: BarberID? = nil) -> AnalyticsSummary? {
        let rangeStart = range.interval(in: ShopTime(settings: registry.settings)).start
        if let barberID {
            guard let calendar = calendars[barberID] else { return nil }
            return AnalyticsSummary(range: range, rangeStart: rangeStart, parts: [calendar.summaryPart(in: range)])
        }
        let ordered = orderedCalendars
        let figures = ordered.map { $0.rangeFigures(in: range) }
        let (clients, visits) = AnalyticsSummary.questions(figures)
        let parts = zip(ordered, figures).map { calendar, figures in
            AnalyticsSummary.Part(
                barberID: calendar.barber.id, figures: figures, facts: calendar.clientFacts(clients: clients, visits: visits),
                listed: calendar.barber.isActive)
        }
        return AnalyticsSummary(range: range, rangeStart: rangeStart, parts: parts)
    }

    /// `client`'s record figures over every calendar.
    public func clientStats(_ client: UserID, now: Instant) -> ClientStats {
        calendars.values.reduce(ClientStats()) { $0.combined(with: $1.clientStats(client, now: now)) }
    }
}
