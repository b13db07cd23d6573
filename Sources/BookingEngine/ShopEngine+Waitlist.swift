import BookingCore

/// The waitlist: entries, offers of open time, claims and expiry.
///
/// Ownership (the invariant "an entry never holds two offers, a slot is never offered to two
/// entries", across barbers): the entries live in one place, `WaitlistActor`; the holds live in
/// the calendars, where the one booking rule sees them. Every decision that offers, expires,
/// claims or cancels runs under the engine's gate (`MoveGate`), one at a time, against the
/// waitlist as it stands, inside the turn of the one calendar whose time it gives out
/// (`WaitlistOffers.decide`); so two barbers freeing time at once are decided one after the
/// other, and the second sees the first's offers. Changes that open time on a calendar (a
/// cancellation, a reschedule away, time off removed, a schedule changed) are decided under the
/// gate in that calendar's turn and journaled in one record with the offers they cause.
///
/// Events: every offer, expiry and claim carries its `waitlist.*` event in its own record, and a
/// record that moves the walk-in board carries a `queue.updated` (`RecordEvents`, read under the
/// gate before the record is decided).
extension ShopEngine {
    /// A new waiting entry: a client for themselves, staff for `clientID`.
    public func joinWaitlist(
        serviceID: ServiceID, barberID: BarberID?, dateFrom: CivilDate, dateTo: CivilDate, timeFrom: TimeOfDay?,
        timeTo: TimeOfDay?, clientID: UserID?, by requester: Requester
    ) async throws(BookingError) -> WaitlistEntry {
        let service = try service(serviceID)
        if !service.isActive { throw .validationFailed("service \(serviceID) is not offered any more") }
        if let barberID {
            if let refusal = BarberCalendar.bookability(of: service, on: try await barber(barberID)) { throw refusal }
        }
        let client = clientID ?? requester.userID
        if client != requester.userID {
            guard requester.role != .client else { throw .forbidden("only staff can put someone else on the waitlist") }
            guard user(id: client) != nil else { throw .notFound("client \(client) not found") }
        }
        let entry = WaitlistEntry(
            id: ids.waitlistEntry.next(), clientID: client, serviceID: serviceID, barberID: barberID, dateFrom: dateFrom,
            dateTo: dateTo, timeFrom: timeFrom ?? TimeOfDay(minutes: 0), timeTo: timeTo ?? TimeOfDay(minutes: 24 * 60),
            createdAt: clock())
        let (added, lsn) = try await moveGate.run { () async throws(BookingError) in
            try await waitlist.commit { $0.decideJoin(entry) }.get()
        }
        await journal.waitUntilDurable(lsn)
        return added
    }

    /// The entries `requester` may see (a client their own, staff all), by id.
    public func waitlistEntries(for requester: Requester) async -> [WaitlistEntry] {
        await waitlist.read { $0.entries(for: requester) }
    }

    /// Takes an entry off the list (its client, or staff). An offered entry's hold is released
    /// and its start passed to the next fitting entry in the same record. Already cancelled: no
    /// change; booked or expired: 409 `invalid_transition`.
    public func leaveWaitlist(_ id: WaitlistEntryID, by requester: Requester) async throws(BookingError) {
        let policy = catalog.policy(now: clock())
        let lsn = try await moveGate.run { () async throws(BookingError) -> LSN? in
            let entry = try await waitlist.read { $0.entry(id, for: requester) }.get()
            switch (entry.status, entry.offer) {
            case (.cancelled, _):
                return nil
            case (.booked, _), (.expired, _):
                throw .invalidState("waitlist entry \(id) is \(entry.status.rawValue)")
            case (.offered, let hold?):
                return await passOpenTime(
                    on: hold.barberID, policy: policy,
                    after: [.calendar(.holdReleased(barberID: hold.barberID, entryID: id)), .waitlist(.cancelled(id))])
            case (.waiting, _), (.offered, nil):  // an offered entry always has its hold (`apply`, `init(restoring:)`)
                return try await waitlist.commit { _ in .success(.cancelled(id)) }.get().1
            }
        }
        if let lsn { await journal.waitUntilDurable(lsn) }
    }

    /// Books the start an entry was offered (its client, or staff): 201 with the appointment;
    /// 409 `invalid_transition` without a live offer.
    public func claim(_ id: WaitlistEntryID, by requester: Requester) async throws(BookingError) -> Appointment {
        let policy = catalog.policy(now: clock())
        let appointmentID = ids.appointment.next()
        let (appointment, lsn) = try await moveGate.run { () async throws(BookingError) -> (Appointment, LSN) in
            let entry = try await waitlist.read { $0.entry(id, for: requester) }.get()
            guard entry.status == .offered, let hold = entry.offer, hold.isLive(at: policy.now) else {
                throw .invalidState("waitlist entry \(id) has no live offer")
            }
            let service = try service(hold.serviceID)
            let events = await recordEvents(policy: policy, turn: hold.barberID)
            let record = try await calendarActor(hold.barberID).commit(with: { calendar in
                let claim = calendar.decideClaim(id, id: appointmentID, client: entry.clientID, service: service, policy: policy)
                return claim.map { changes, booked in
                    (changes.map(ShopChange.calendar) + [.waitlist(.booked(id, appointmentID: appointmentID))], booked)
                }
            }, reporting: events).get()
            await waitlist.apply(record.changes)
            return (record.value, record.lsn)
        }
        await journal.waitUntilDurable(lsn)
        return appointment
    }

    /// Expires every offer unclaimed at `clock()` and passes its start on (to the next fitting
    /// entry, or frees it): what the server's expiry task runs. Returns how many expired.
    @discardableResult
    public func expireOffers() async -> Int {
        let policy = catalog.policy(now: clock())
        let (expired, lsn) = await moveGate.run { () async -> (Int, LSN?) in
            let due = await waitlist.read { $0.offered.compactMap(\.offer).filter { !$0.isLive(at: policy.now) } }
            var last: LSN?
            for barber in Set(due.map(\.barberID)).sorted() {
                last = await passOpenTime(on: barber, policy: policy) ?? last
            }
            return (due.count, last)
        }
        if let lsn { await journal.waitUntilDurable(lsn) }
        return expired
    }

    /// The earliest instant an offer runs out, if any is held: when the expiry task is next due.
    public func nextOfferExpiry() async -> Instant? {
        await waitlist.read { $0.offered.compactMap(\.offer?.expiresAt).min() }
    }

    // MARK: - Open time

    /// Commits a change that may open time on `barber` in one record with what that time passes
    /// to the waitlist (`WaitlistOffers.decide`), under the gate, and waits for durability.
    /// Returns the value `decide` gave with the change (the appointment as it leaves it).
    func commitOpening<Value: Sendable>(
        on barber: BarberID, _ decide: @escaping @Sendable (BarberCalendar) -> Result<(CalendarChange, Value), BookingError>
    ) async throws(BookingError) -> Value {
        let actor = try calendarActor(barber)
        let catalog = catalog
        let policy = catalog.policy(now: clock())
        let (value, lsn) = try await moveGate.run { () async throws(BookingError) -> (Value, LSN) in
            let events = await recordEvents(policy: policy, turn: barber)
            let waitlist = events.waitlist
            let record = try await actor.commit(with: { calendar in
                decide(calendar).map { change, value in
                    let changes = WaitlistOffers.decide(
                        after: [.calendar(change)], calendar: calendar, waitlist: waitlist, services: catalog.services, policy: policy)
                    return (changes, value)
                }
            }, reporting: events).get()
            await self.waitlist.apply(record.changes)
            return (record.value, record.lsn)
        }
        await journal.waitUntilDurable(lsn)
        return value
    }

    /// `commitOpening(on:)` for changes whose caller needs nothing back.
    func commitOpening(on barber: BarberID, _ decide: @escaping @Sendable (BarberCalendar) -> Result<CalendarChange, BookingError>)
        async throws(BookingError)
    {
        try await commitOpening(on: barber) { calendar in decide(calendar).map { ($0, ()) } }
    }

    /// Like `commitOpening(on:)`, on the calendar holding appointment `id` (repeated once if the
    /// appointment moved between the lookup and the commit, as `commit(onHolderOf:)`).
    func commitOpening<Value: Sendable>(
        onHolderOf id: AppointmentID, _ decide: @escaping @Sendable (BarberCalendar) -> Result<(CalendarChange, Value), BookingError>
    ) async throws(BookingError) -> Value {
        let holder = try barber(holding: id)
        do {
            return try await commitOpening(on: holder, decide)
        } catch {
            guard case .notFound = error, let moved = index.barber(of: id), moved != holder else { throw error }
            return try await commitOpening(on: moved, decide)
        }
    }

    /// Passes the open time of `barber`'s calendar to the waitlist after `leading` changes, in one
    /// record of that calendar's turn, and applies the waitlist's part. The caller holds the gate.
    /// Returns the record's LSN, nil when nothing changed.
    func passOpenTime(on barber: BarberID, policy: BookingPolicy, after leading: [ShopChange] = []) async -> LSN? {
        guard let actor = router.calendar(barber) else { return nil }
        let services = catalog.services
        let events = await recordEvents(policy: policy, turn: barber)
        let waitlist = events.waitlist
        let result = await actor.commit(with: { calendar in
            .success((WaitlistOffers.decide(after: leading, calendar: calendar, waitlist: waitlist, services: services, policy: policy), ()))
        }, reporting: events)
        guard case .success(let record) = result, !record.changes.isEmpty else { return nil }
        await self.waitlist.apply(record.changes)
        return record.lsn
    }

    /// What the events of a record about to be committed under the gate are computed from: the
    /// waitlist as it stands, and the board's inputs (the queue and every calendar) when someone
    /// waits in the walk-in line or `changingQueue`; every calendar but `turn`'s, the calendar
    /// whose turn will journal the record (it gives its own). The caller holds the gate, so the waitlist
    /// and the queue cannot change before the record; nor can the calendars while someone waits
    /// (bookings and added time off then take the gate too, `commitMovingEstimates`).
    func recordEvents(policy: BookingPolicy, changingQueue: Bool = false, turn: BarberID? = nil) async -> RecordEvents {
        let (waitlist, queue, _) = await self.waitlist.capture()
        guard changingQueue || !queue.line.isEmpty else { return RecordEvents(waitlist: waitlist, board: nil) }
        let catalog = catalog
        let calendars = await router.fanOut(catalog.barberIDs.filter { $0 != turn }) { $0 }
        return RecordEvents(
            waitlist: waitlist, board: RecordEvents.BoardInputs(queue: queue, calendars: calendars, services: catalog.services, policy: policy))
    }
}
