import BookingCore

/// Analytics: each calendar actor keeps its barber's figures (`BarberFigures`, updated in the
/// turn that applies a change, so the booking path takes no lock and meets no other barber). A
/// summary asks the calendars it covers for their range figures concurrently, then, for the
/// figures that need every barber's view of a client (new, returning, rebooking), asks them
/// about the clients and visits of the range, and combines. A barber's view (or an admin's with
/// `barber_id`) asks one calendar once, in one turn.
///
/// A shop-wide summary taken while changes land reflects each calendar at a moment of its own.
extension ShopEngine {
    /// The figures of `range`: an admin's of the whole shop or of `barberID`, a barber's of their
    /// own calendar whatever `barberID` says; 403 for clients.
    public func summary(_ range: AnalyticsRange, barberID: BarberID?, by requester: Requester) async throws(BookingError)
        -> AnalyticsSummary
    {
        let shopTime = catalog.shopTime
        let rangeStart = range.interval(in: shopTime).start
        let single: BarberID?
        switch requester.role {
        case .client: throw .forbidden("analytics are for the shop's staff")
        case .barber:
            guard let own = requester.barberID else { throw .forbidden("this barber account has no calendar") }
            single = own
        case .admin: single = barberID
        }
        if let single {
            let part = try await calendarActor(single).summaryPart(in: range, shopTime: shopTime)
            return AnalyticsSummary(range: range, rangeStart: rangeStart, parts: [part])
        }
        let members = catalog.barberIDs.compactMap { id in router.calendar(id).map { (id: id, actor: $0) } }
        let actors = members.map(\.actor)
        let figures = await withTaskGroup(of: (Int, RangeFigures, Bool).self) { group in
            for (position, actor) in actors.enumerated() {
                group.addTask {
                    let (figures, isActive) = await actor.figures(in: range, shopTime: shopTime)
                    return (position, figures, isActive)
                }
            }
            var results = [(RangeFigures, Bool)?](repeating: nil, count: actors.count)
            for await (position, figures, isActive) in group { results[position] = (figures, isActive) }
            return results.map { $0! }
        }
        let (clients, visits) = AnalyticsSummary.questions(figures.map(\.0))
        let facts = await withTaskGroup(of: (Int, ClientFacts).self) { group in
            for (position, actor) in actors.enumerated() {
                group.addTask { (position, await actor.clientFacts(clients: clients, visits: visits)) }
            }
            var results = [ClientFacts?](repeating: nil, count: actors.count)
            for await (position, facts) in group { results[position] = facts }
            return results.map { $0! }
        }
        let parts = actors.indices.map { position in
            AnalyticsSummary.Part(
                barberID: members[position].id, figures: figures[position].0, facts: facts[position],
                listed: figures[position].1)
        }
        return AnalyticsSummary(range: range, rangeStart: rangeStart, parts: parts)
    }

    /// Brings every calendar's figures to the shop's current time zone (after a settings change).
    func adoptShopTime() async {
        let directory = directory
        for barber in router.barberIDs {
            await router.calendar(barber)?.adopt { directory.catalog.shopTime }
        }
    }
}
