import BookingCore
import Synchronization

extension ShopEngine {
    /// Books `serviceID` with `barberID` at `start`, for the requester or (staff only) for `clientID`.
    /// An `idempotencyKey` is stored with the booking (see `appointment(bookedWith:by:)`).
    public func book(
        barberID: BarberID, serviceID: ServiceID, start: Instant, clientID: UserID?, notes: String?, by requester: Requester,
        idempotencyKey: String? = nil
    ) async throws(BookingError) -> Appointment {
        let catalog = self.catalog
        guard let service = catalog.services[serviceID] else { throw .notFound("service \(serviceID) not found") }
        let actor = requester.bookingActor(on: barberID)
        let client = clientID ?? requester.userID
        if client != requester.userID {
            guard actor == .staff else { throw .forbidden("only an admin or this barber can book for someone else") }
            guard user(id: client) != nil else { throw .notFound("client \(client) not found") }
        }
        let id = ids.appointment.next()
        let policy = catalog.policy(now: clock())
        let tag = idempotencyKey.map { IdempotencyTag(user: requester.userID, key: $0) }
        return try await commitMovingEstimates(on: barberID, policy: policy) {
            $0.decideBook(
                id: id, client: client, service: service, start: start, notes: notes, actor: actor, policy: policy,
                idempotency: tag)
        }
    }

    /// Commits a change that takes time on `barber` (a booking, time off) and waits for
    /// durability. While nobody waits in the walk-in line it is the plain one-turn commit, off
    /// the gate. While someone waits it may move an estimate: it is committed under the gate
    /// with the board it leaves (`queue.updated`) in the same record. The line flag is read
    /// again inside the calendar's turn: a check-in sets it before it reads this calendar, so a
    /// turn that still reads `false` comes before that read (the check-in's board includes the
    /// change), and one that reads `true` commits nothing and takes the gate instead. Returns
    /// the value `decide` gave with the change (the appointment booked, the time off added).
    func commitMovingEstimates<Value: Sendable>(
        on barber: BarberID, policy: BookingPolicy,
        _ decide: @escaping @Sendable (BarberCalendar) -> Result<(CalendarChange, Value), BookingError>
    ) async throws(BookingError) -> Value {
        let actor = try calendarActor(barber)
        if !lineWaiting.load(ordering: .sequentiallyConsistent),
            let result = await actor.commit(unless: { self.lineWaiting.load(ordering: .sequentiallyConsistent) }, decide)
        {
            let (value, lsn) = try result.get()
            await journal.waitUntilDurable(lsn)
            return value
        }
        let (value, lsn) = try await moveGate.run { () async throws(BookingError) -> (Value, LSN) in
            let events = await recordEvents(policy: policy, turn: barber)
            let record = try await actor.commit(
                with: { calendar in decide(calendar).map { change, value in ([.calendar(change)], value) } }, reporting: events
            ).get()
            return (record.value, record.lsn)
        }
        await journal.waitUntilDurable(lsn)
        return value
    }

    /// The appointment `user` booked with `key`, as it stands now: survives restarts, because the
    /// key is part of the logged booking.
    public func appointment(bookedWith key: String, by user: UserID) async -> Appointment? {
        let tag = IdempotencyTag(user: user, key: key)
        guard let id = index.appointment(bookedWith: tag), let barber = index.barber(of: id), let actor = router.calendar(barber)
        else { return nil }
        return await actor.read { $0.appointments[id] }
    }

    /// One appointment, for its client, its barber or an admin (403 for anyone else).
    public func appointment(_ id: AppointmentID, for requester: Requester) async throws(BookingError) -> Appointment {
        try await calendarActor(holding: id).read { $0.appointment(id, for: requester) }.get()
    }

    /// Cancels; clients only up to the cut-off. The interval is free again when this returns, or
    /// held for the oldest waitlist entry it fits (in the same record).
    public func cancel(_ id: AppointmentID, reason: String?, by requester: Requester) async throws(BookingError) -> Appointment {
        let policy = catalog.policy(now: clock())
        return try await commitOpening(onHolderOf: id) { $0.decideCancel(id, reason: reason, by: requester, policy: policy) }
    }

    /// Marks an appointment `completed` or `no_show` (its barber or an admin).
    public func setStatus(_ id: AppointmentID, _ status: AppointmentStatus, by requester: Requester) async throws(BookingError)
        -> Appointment
    {
        try await commit(onHolderOf: id) { $0.decideStatus(id, status, by: requester) }
    }

    /// Moves an appointment to `start`, optionally to another barber. Atomic: on any failure the
    /// old booking stands unchanged.
    ///
    /// A move between barbers holds the new interval on the target calendar first, then commits
    /// on the source calendar, which re-checks the appointment and journals both halves as one
    /// record, with the offers of the time left on the source to the waitlist and the events of
    /// all of it; if the source refuses, the hold is released. While the move is in flight a reader
    /// may briefly see the appointment on both calendars; the log never does. Moves run one at a
    /// time with state captures (`MoveGate`).
    public func reschedule(_ id: AppointmentID, to start: Instant, barberID: BarberID?, by requester: Requester)
        async throws(BookingError) -> Appointment
    {
        let sourceID = try barber(holding: id)
        let source = try calendarActor(sourceID)
        let current = try await source.read { $0.appointment(id, for: requester) }.get()
        let service = try service(current.serviceID)
        let policy = catalog.policy(now: clock())
        let targetID = barberID ?? sourceID
        if targetID == sourceID {
            return try await commitOpening(on: sourceID) {
                $0.decideReschedule(id, to: start, service: service, by: requester, policy: policy)
            }
        }
        let target = try calendarActor(targetID)
        let services = catalog.services
        let (moved, lsn) = try await moveGate.run { () async throws(BookingError) -> (Appointment, LSN) in
            // Read before the target holds the interval: the board's inputs are the calendars before the move.
            let events = await recordEvents(policy: policy, turn: sourceID)
            let original = try await source.read { $0.decideMoveOut(id, by: requester, policy: policy) }.get()
            let moved = try await target.hold {
                $0.decideMoveIn(original, to: start, service: service, by: requester, policy: policy)
            }.get()
            switch await source.commitMoveOut(id, movedIn: moved, by: requester, policy: policy, services: services, reporting: events) {
            case .success(let (lsn, changes)):
                await waitlist.apply(changes)
                return (moved, lsn)
            case .failure(let error):
                await target.release(id)
                throw error
            }
        }
        await journal.waitUntilDurable(lsn)
        return moved
    }

    /// Appointments the requester may see that match `query`, by start then id: an admin all, a
    /// barber their own calendar, a client their own bookings.
    public func appointments(_ query: AppointmentQuery, for requester: Requester) async throws(BookingError) -> [Appointment] {
        var found: [Appointment]
        switch requester.role {
        case .admin:
            let barbers = query.barberID.map { [$0] } ?? catalog.barberIDs
            found = await router.fanOut(barbers) { calendar in
                calendar.appointments(overlapping: query.from, query.to).filter(query.matches)
            }.flatMap { $0 }
        case .barber:
            guard let own = requester.barberID else { return [] }
            if let asked = query.barberID, asked != own { throw .forbidden("a barber sees only their own calendar") }
            found = try await calendarActor(own).read { calendar in
                calendar.appointments(overlapping: query.from, query.to).filter(query.matches)
            }
        case .client:
            var byBarber: [BarberID: [AppointmentID]] = [:]
            for id in index.appointments(of: requester.userID) {
                if let barber = index.barber(of: id) { byBarber[barber, default: []].append(id) }
            }
            let barbers = byBarber.keys.sorted()
            let idsByBarber = byBarber
            found = await router.fanOut(barbers) { calendar in
                (idsByBarber[calendar.barber.id] ?? []).compactMap { calendar.appointments[$0] }
                    .filter { $0.clientID == requester.userID && query.matches($0) }
            }.flatMap { $0 }
        }
        found.sort { ($0.start, $0.id) < ($1.start, $1.id) }
        if let afterID = query.afterID {
            let cursor = try await appointment(afterID, for: requester)
            found.removeAll { ($0.start, $0.id) <= (cursor.start, cursor.id) }
        }
        if let limit = query.limit, found.count > limit { found.removeLast(found.count - limit) }
        return found
    }

    /// Commits on the calendar that holds appointment `id`. If the appointment moved to another
    /// barber between the lookup and the commit, the commit finds nothing there; the lookup is
    /// then repeated once, so a move in flight never turns into a wrong 404. Returns the value
    /// `decide` gave with the change.
    func commit<Value: Sendable>(
        onHolderOf id: AppointmentID, _ decide: @Sendable (BarberCalendar) -> Result<(CalendarChange, Value), BookingError>
    ) async throws(BookingError) -> Value {
        let holder = try barber(holding: id)
        do {
            return try await commit(on: holder, decide)
        } catch {
            guard case .notFound = error, let moved = index.barber(of: id), moved != holder else { throw error }
            return try await commit(on: moved, decide)
        }
    }

    func barber(holding id: AppointmentID) throws(BookingError) -> BarberID {
        guard let barber = index.barber(of: id) else { throw .notFound("appointment \(id) not found") }
        return barber
    }

    func calendarActor(holding id: AppointmentID) throws(BookingError) -> CalendarActor {
        try calendarActor(barber(holding: id))
    }
}
