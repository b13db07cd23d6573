import BookingCore

/// The isolation domain of one barber's calendar: a thin shell that owns a `BarberCalendar`.
///
/// Why this is safe: every read and every change of the calendar runs on this actor. A booking's
/// check and its write happen inside one call of `commit`, which has no `await`, so two
/// overlapping requests for this barber are decided one after the other and cannot both pass.
public actor CalendarActor {
    public private(set) var calendar: BarberCalendar
    private let journal: NotificationJournal
    private let index: AppointmentIndex

    public init(calendar: BarberCalendar, journal: NotificationJournal, index: AppointmentIndex) {
        self.calendar = calendar
        self.journal = journal
        self.index = index
    }

    /// Decides a change against the current calendar and, if allowed, applies and journals it
    /// with the event it produces (`EventDraft.of`) in the same record, in one turn. Returns the
    /// value `decide` gave with the change (what the caller answers with, typed: the appointment
    /// booked, the time off added) and the LSN to await.
    public func commit<Value: Sendable>(_ decide: @Sendable (BarberCalendar) -> Result<(CalendarChange, Value), BookingError>)
        -> Result<(Value, LSN), BookingError>
    {
        decide(calendar).map { change, value in
            apply(change)
            let appointment = change.appointmentID.flatMap { calendar.appointments[$0] }
            let events = EventDraft.of(change, appointment: appointment).map { [$0] } ?? []
            return (value, journal.append([.calendar(change)], events: events))
        }
    }

    /// Like `commit(_:)`, unless `deferred()` is true at the start of the turn: then nothing is
    /// decided or journaled and the answer is nil (the caller commits another way).
    public func commit<Value: Sendable>(
        unless deferred: @Sendable () -> Bool, _ decide: @Sendable (BarberCalendar) -> Result<(CalendarChange, Value), BookingError>
    ) -> Result<(Value, LSN), BookingError>? {
        deferred() ? nil : commit(decide)
    }

    /// Decides calendar changes together with changes of another part that must share their
    /// record (the waitlist's offers, expiries and claims, a walk-in's start), applies the
    /// calendar's here and journals all of them as one record with their events, in one turn:
    /// each appointment change's (a claim's booking is an `appointment.created`, a cancellation
    /// that opens time an `appointment.cancelled`), then the waitlist's and the board's
    /// (`events`, read under the gate before this turn). The caller applies the other parts
    /// afterwards, under the engine's gate (see `WaitlistActor`). Returns the value `decide`
    /// gave with the changes (what the caller answers with, typed), the record's changes and the
    /// LSN to await. No changes decided: nothing is journaled, and the LSN is the journal's
    /// newest (as `NotificationJournal.commit`), which covers everything the decision read.
    public func commit<Value: Sendable>(
        with decide: @Sendable (BarberCalendar) -> Result<([ShopChange], Value), BookingError>, reporting events: RecordEvents
    ) -> Result<(value: Value, changes: [ShopChange], lsn: LSN), BookingError> {
        decide(calendar).map { changes, value in
            guard !changes.isEmpty else { return (value, [], journal.lastLSN) }
            let boardBefore = events.boardBefore(turn: calendar)
            for case .calendar(let change) in changes { apply(change) }
            let drafts = changes.compactMap { change -> EventDraft? in
                guard case .calendar(let change) = change else { return nil }
                return EventDraft.of(change, appointment: change.appointmentID.flatMap { calendar.appointments[$0] })
            } + events.drafts(of: changes, boardBefore: boardBefore, after: calendar)
            return (value, changes, journal.append(changes, events: drafts))
        }
    }

    /// The target half of a move between barbers: decides where the appointment lands here
    /// (`BarberCalendar.decideMoveIn`) and applies its `movedIn` in one turn, without journaling
    /// it; the interval is held until the source commits the move (`commitMoveOut`, which
    /// journals both halves) or the mover calls `release`. Returns the appointment as it lands.
    public func hold(_ decide: @Sendable (BarberCalendar) -> Result<Appointment, BookingError>) -> Result<Appointment, BookingError> {
        decide(calendar).map { moved in
            apply(.movedIn(moved))
            return moved
        }
    }

    /// Undoes a `hold` whose move failed at the source.
    public func release(_ id: AppointmentID) { apply(.movedOut(barberID: calendar.barber.id, id: id)) }

    /// The source half of a move between barbers: re-checks in this turn that the appointment can
    /// still move, then takes it out and journals the whole move (`movedOut` + `movedIn` of
    /// `moved`, the appointment as the target's `hold` placed it) as one record with the move's
    /// event, so replay sees both halves and the event, or none. The time the appointment leaves
    /// is passed to the waitlist in the same record (`WaitlistOffers`, against `events.waitlist`,
    /// read under the gate), so no crash can leave it unoffered; the record's changes are
    /// returned for the caller to apply to the waitlist.
    public func commitMoveOut(
        _ id: AppointmentID, movedIn moved: Appointment, by requester: Requester, policy: BookingPolicy,
        services: [ServiceID: Service], reporting events: RecordEvents
    ) -> Result<(lsn: LSN, changes: [ShopChange]), BookingError> {
        calendar.decideMoveOut(id, by: requester, policy: policy).map { _ in
            let boardBefore = events.boardBefore(turn: calendar)
            let movedOut = CalendarChange.movedOut(barberID: calendar.barber.id, id: id)
            let movedIn = CalendarChange.movedIn(moved)
            apply(movedOut)
            index.record(movedIn)
            let offers = WaitlistOffers.decide(calendar: calendar, waitlist: events.waitlist, services: services, policy: policy)
            for case .calendar(let change) in offers { apply(change) }
            let changes: [ShopChange] = [.calendar(movedOut), .calendar(movedIn)] + offers
            let drafts = (EventDraft.of(movedIn, appointment: moved).map { [$0] } ?? [])
                + events.drafts(of: changes, boardBefore: boardBefore, after: calendar)
            return (journal.append(changes, events: drafts), changes)
        }
    }

    /// The calendar and the journal's newest LSN, read in one turn: the calendar reflects every
    /// record of its own up to that LSN and none after it (see `StateImage`).
    public func capture() -> (BarberCalendar, LSN) { (calendar, journal.lastLSN) }

    // MARK: - Analytics

    /// The figures of `range` in the shop's time zone `shopTime` (rebuilt first if they were kept
    /// for another zone), and whether the barber is active.
    public func figures(in range: AnalyticsRange, shopTime: ShopTime) -> (RangeFigures, isActive: Bool) {
        calendar.adopt(shopTime)
        return (calendar.rangeFigures(in: range), calendar.barber.isActive)
    }

    /// See `BarberCalendar.clientFacts`.
    public func clientFacts(clients: [UserID], visits: [CompletedVisit]) -> ClientFacts {
        calendar.clientFacts(clients: clients, visits: visits)
    }

    /// This barber's whole view of `range` in one turn, so its figures and facts agree.
    public func summaryPart(in range: AnalyticsRange, shopTime: ShopTime) -> AnalyticsSummary.Part {
        calendar.adopt(shopTime)
        return calendar.summaryPart(in: range)
    }

    /// This barber's part of each client's record.
    public func clientStats(_ clients: [UserID], now: Instant) -> [ClientStats] {
        clients.map { calendar.clientStats($0, now: now) }
    }

    /// Rebuilds the figures for the shop's time zone as `current` gives it in this turn, so that
    /// after the last of several concurrent zone changes every calendar holds the newest zone.
    public func adopt(_ current: @Sendable () -> ShopTime) { calendar.adopt(current()) }

    /// Runs a read-only query against the calendar.
    public func read<T: Sendable>(_ query: @Sendable (BarberCalendar) -> T) -> T { query(calendar) }

    private func apply(_ change: CalendarChange) {
        calendar.apply(change)
        if case .movedIn = change { return }  // the index follows a move once it is committed
        index.record(change)
    }
}
