/// One barber's whole calendar as a value: profile, working rules, time off and appointments.
///
/// This is the pure state machine behind a `CalendarActor`. `decide…` methods check a request
/// against the rules and return the `CalendarChange` that would carry it out, without changing
/// anything; `apply` carries a change out. The actor calls both in one turn, so a check is never
/// stale when its change lands. Decisions that give the caller something to answer with (a
/// booking, a claim, a cancellation, a status, a reschedule, time off) return it beside the
/// change, typed: the appointment or time off exactly as `apply` of the change leaves it (both
/// take an appointment's edits from the same helpers, at the end of this file). A move's two
/// halves (`decideMoveOut`, `decideMoveIn`) return the appointment as it leaves the source and
/// as it lands on the target; the actors build their `movedOut` and `movedIn` changes from those.
///
/// Invariants (asserted by `LiveIntervals.insert`, checked by tests):
/// - live appointments never overlap;
/// - `live` holds exactly the live appointments, `timeline` holds every appointment;
/// - a hold is placed only where `check` accepts it, so a live hold never overlaps a live
///   appointment or another live hold (buffers included).
public struct BarberCalendar: Sendable {
    public private(set) var barber: Barber
    /// Time off, sorted by start.
    public private(set) var timeOff: [TimeOff] = []
    public private(set) var appointments: [AppointmentID: Appointment] = [:]
    public private(set) var live = LiveIntervals()
    /// Starts held for waitlist offers, by entry (few at a time: one per offered entry).
    public private(set) var holds: [WaitlistEntryID: Hold] = [:]
    private var timeline = Timeline()
    /// The analytics of this calendar, kept current by `apply` (derived: see `BarberFigures`).
    public private(set) var figures: BarberFigures

    public init(barber: Barber, shopTime: ShopTime = .utc) {
        self.barber = barber
        self.figures = BarberFigures(shopTime: shopTime)
    }

    /// A calendar read back from a snapshot, its indexes built in bulk: the same value as
    /// `init(barber:)` followed by `timeOffAdded` for each entry of `timeOff` and `movedIn` for
    /// each appointment, in O(n log n) instead of one sorted insertion each.
    ///
    /// Throws, never traps, on what `apply` would refuse: an entry of another barber, an
    /// appointment id twice, an empty or overlapping live interval, an interval whose length does
    /// not fit in 64 bits.
    public init(barber: Barber, timeOff: [TimeOff], appointments: [Appointment], shopTime: ShopTime = .utc)
        throws(StateInconsistency)
    {
        self.barber = barber
        for entry in timeOff where entry.barberID != barber.id {
            throw StateInconsistency("time off \(entry.id) of barber \(entry.barberID) in the calendar of \(barber.id)")
        }
        // One `timeOffAdded` after another keeps entries sorted by start, ties in the order added.
        self.timeOff = timeOff.enumerated().sorted { ($0.element.start, $0.offset) < ($1.element.start, $1.offset) }.map(\.element)
        var byID: [AppointmentID: Appointment] = [:]
        byID.reserveCapacity(appointments.count)
        var liveEntries: [LiveIntervals.Entry] = []
        liveEntries.reserveCapacity(appointments.count)
        var keys: [Timeline.Key] = []
        keys.reserveCapacity(appointments.count)
        var longest: Int64 = 0
        for appointment in appointments {
            let (id, start, end) = (appointment.id, appointment.start.seconds, appointment.end.seconds)
            guard appointment.barberID == barber.id else {
                throw StateInconsistency("appointment \(id) of barber \(appointment.barberID) in the calendar of \(barber.id)")
            }
            let (length, overflow) = end.subtractingReportingOverflow(start)
            guard !overflow else { throw StateInconsistency("appointment \(id) has an interval too long to measure") }
            guard byID.updateValue(appointment, forKey: id) == nil else {
                throw StateInconsistency("appointment id \(id) appears twice")
            }
            if appointment.status.isLive { liveEntries.append(.init(start: start, end: end, id: id)) }
            keys.append(Timeline.Key(start: start, id: id))
            longest = max(longest, length)
        }
        self.appointments = byID
        self.live = try LiveIntervals(restoring: liveEntries)
        self.timeline = Timeline(restoring: keys, longest: longest)
        self.figures = BarberFigures(shopTime: shopTime, appointments: appointments)
    }

    /// Rebuilds the figures for the shop's time zone `shopTime` if they were built for another.
    public mutating func adopt(_ shopTime: ShopTime) {
        guard shopTime.identifier != figures.zoneIdentifier else { return }
        figures = BarberFigures(shopTime: shopTime, appointments: appointments.values)
    }

    // MARK: - The booking rule (one path for slots and bookings)

    /// Checks that `service` starting at `start` can be booked on this calendar now, and returns its end.
    ///
    /// This is the only booking rule: `slots(on:service:policy:)` lists a start exactly when this
    /// returns success for it, and every booking and reschedule goes through it. Order of checks,
    /// and so which error wins: barber and service bookable, notice, horizon, working hours, slot
    /// grid (clients only), time off, other appointments, live holds (but the hold of `claiming`,
    /// the entry whose offer this booking takes).
    public func check(
        start: Instant, service: Service, actor: BookingActor, policy: BookingPolicy,
        moving: AppointmentID? = nil, claiming: WaitlistEntryID? = nil, day: WorkingDay? = nil
    ) -> Result<Instant, BookingError> {
        if let refusal = Self.bookability(of: service, on: barber) { return .failure(refusal) }
        if start < policy.earliestStart { return .failure(.tooSoon) }
        if start > policy.latestStart { return .failure(.tooFar) }
        let end = start.adding(minutes: service.durationMinutes)
        let day = day ?? WorkingDay(date: policy.shopTime.localDate(of: start), schedule: barber.weekly, shopTime: policy.shopTime)
        guard let period = day.period(containing: start, end) else {
            return .failure(.outsideHours("the interval is not inside the barber's working hours"))
        }
        if actor == .client, (start.seconds - period.start.seconds) % Int64(policy.settings.slotIntervalMinutes * 60) != 0 {
            return .failure(.validationFailed("start is not on the shop's \(policy.settings.slotIntervalMinutes)-minute slot grid"))
        }
        if timeOff.contains(where: { $0.start < end && start < $0.end }) {
            return .failure(.outsideHours("the barber is off at that time"))
        }
        let buffer = Int64(barber.bufferMinutes) * 60
        if live.conflict(start: start.seconds, end: end.seconds, buffer: buffer, ignoring: moving) != nil {
            return .failure(.slotTaken)
        }
        if !holds.isEmpty, holds.values.contains(where: { hold in
            hold.entryID != claiming && hold.isLive(at: policy.now)
                && hold.conflicts(start: start.seconds, end: end.seconds, buffer: buffer)
        }) {
            return .failure(.slotTaken)
        }
        return .success(end)
    }

    /// Why `service` cannot be booked with `barber` at all, or nil when it can.
    public static func bookability(of service: Service, on barber: Barber) -> BookingError? {
        if !barber.isActive { return .validationFailed("barber \(barber.id) is not taking bookings") }
        if !service.isActive { return .validationFailed("service \(service.id) is not offered any more") }
        if !service.isOffered(by: barber.id) {
            return .validationFailed("barber \(barber.id) does not offer service \(service.id)")
        }
        return nil
    }

    /// The starts on `date` a client could book `service` at now: each working period stepped by
    /// the slot interval from its start, kept exactly when `check` accepts it. A start in the
    /// day's last period may end in the next day's first (`WorkingDay.overnight`).
    public func slots(on date: CivilDate, service: Service, policy: BookingPolicy) -> [Instant] {
        guard Self.bookability(of: service, on: barber) == nil else { return [] }
        let day = WorkingDay(date: date, schedule: barber.weekly, shopTime: policy.shopTime)
        let step = Int64(policy.settings.slotIntervalMinutes) * 60
        var result: [Instant] = []
        for period in day.periods {
            let latestEnd = day.latestEnd(startingIn: period)
            var start = period.start
            while start < period.end, start.adding(minutes: service.durationMinutes) <= latestEnd {
                if case .success = check(start: start, service: service, actor: .client, policy: policy, day: day) {
                    result.append(start)
                }
                start = start.adding(seconds: step)
            }
        }
        return result
    }

    // MARK: - Decisions

    /// A booking of `service` at `start` for `client`, if `check` allows it: the `booked` change
    /// and the appointment it books.
    public func decideBook(
        id: AppointmentID, client: UserID, service: Service, start: Instant, notes: String?,
        actor: BookingActor, policy: BookingPolicy, idempotency: IdempotencyTag? = nil
    ) -> Result<(CalendarChange, Appointment), BookingError> {
        check(start: start, service: service, actor: actor, policy: policy).map { end in
            let appointment = Appointment(
                id: id, barberID: barber.id, clientID: client, serviceID: service.id, start: start, end: end,
                status: .confirmed, priceCents: service.priceCents, notes: notes, createdAt: policy.now,
                idempotency: idempotency)
            return (.booked(appointment), appointment)
        }
    }

    /// Books the start held for `entryID` (the claim of its offer) as an appointment for `client`,
    /// in one record with the hold's release: the two changes and the appointment booked.
    /// Refused (409 `invalid_transition`) without a live
    /// hold of that entry here. The hold kept the start for the entry, so the minimum notice, which
    /// the offer met when it was made, is not asked again; the start must still be ahead, and
    /// every other rule of `check` applies.
    public func decideClaim(
        _ entryID: WaitlistEntryID, id: AppointmentID, client: UserID, service: Service, policy: BookingPolicy
    ) -> Result<([CalendarChange], Appointment), BookingError> {
        guard let hold = holds[entryID], hold.isLive(at: policy.now), hold.serviceID == service.id else {
            return .failure(.invalidState("waitlist entry \(entryID) has no live offer"))
        }
        var claimPolicy = policy
        claimPolicy.settings.minNoticeMinutes = 0
        return check(start: hold.start, service: service, actor: .staff, policy: claimPolicy, claiming: entryID).map { end in
            let appointment = Appointment(
                id: id, barberID: barber.id, clientID: client, serviceID: service.id, start: hold.start, end: end,
                status: .confirmed, priceCents: service.priceCents, notes: nil, createdAt: policy.now)
            return ([.holdReleased(barberID: barber.id, entryID: entryID), .booked(appointment)], appointment)
        }
    }

    /// The appointment `id` if `requester` may see it: 404 when unknown here, 403 when not theirs.
    public func appointment(_ id: AppointmentID, for requester: Requester) -> Result<Appointment, BookingError> {
        guard let appointment = appointments[id] else { return .failure(.notFound("appointment \(id) not found")) }
        guard requester.canAccess(appointment) else {
            return .failure(.forbidden("appointment \(id) belongs to someone else"))
        }
        return .success(appointment)
    }

    /// The appointment a requester wants to change, with the checks every change shares:
    /// access, a `confirmed` status, and for clients the cancellation cut-off.
    private func changeable(_ id: AppointmentID, by requester: Requester, action: String, policy: BookingPolicy)
        -> Result<Appointment, BookingError>
    {
        appointment(id, for: requester).flatMap { appointment in
            guard appointment.status == .confirmed else {
                return .failure(.invalidTransition(from: appointment.status, action: action))
            }
            if requester.bookingActor(on: appointment.barberID) == .client,
                !policy.clientMayChange(appointment)
            {
                return .failure(.cancellationClosed)
            }
            return .success(appointment)
        }
    }

    /// A cancellation: the change and the appointment as it leaves it.
    public func decideCancel(_ id: AppointmentID, reason: String?, by requester: Requester, policy: BookingPolicy)
        -> Result<(CalendarChange, Appointment), BookingError>
    {
        changeable(id, by: requester, action: "cancel", policy: policy).map { appointment in
            (.cancelled(barberID: barber.id, id: id, reason: reason), appointment.cancelled(reason: reason))
        }
    }

    /// `complete` and `no_show`: the barber or an admin, from `confirmed` only. The change and
    /// the appointment as it leaves it.
    public func decideStatus(_ id: AppointmentID, _ status: AppointmentStatus, by requester: Requester)
        -> Result<(CalendarChange, Appointment), BookingError>
    {
        precondition(status == .completed || status == .noShow)
        return appointment(id, for: requester).flatMap { appointment in
            guard requester.manages(barber: barber.id) else {
                return .failure(.forbidden("only the barber or an admin can mark an appointment \(status.rawValue)"))
            }
            guard appointment.status == .confirmed else {
                return .failure(.invalidTransition(
                    from: appointment.status, action: status == .completed ? "complete" : "mark as no-show"))
            }
            return .success((.statusSet(barberID: barber.id, id: id, status: status), appointment.marked(status)))
        }
    }

    /// Moving an appointment to another start on this same calendar: the change and the
    /// appointment as it leaves it.
    public func decideReschedule(
        _ id: AppointmentID, to start: Instant, service: Service, by requester: Requester, policy: BookingPolicy
    ) -> Result<(CalendarChange, Appointment), BookingError> {
        changeable(id, by: requester, action: "reschedule", policy: policy).flatMap { appointment in
            check(start: start, service: service, actor: requester.bookingActor(on: barber.id), policy: policy, moving: id)
                .map { end in
                    (.rescheduled(barberID: barber.id, id: id, start: start, end: end), appointment.rescheduled(start: start, end: end))
                }
        }
    }

    /// The first half of a move to another barber, on the source calendar: the appointment as it
    /// stands, if the requester may move it.
    public func decideMoveOut(_ id: AppointmentID, by requester: Requester, policy: BookingPolicy)
        -> Result<Appointment, BookingError>
    {
        changeable(id, by: requester, action: "reschedule", policy: policy)
    }

    /// The second half of a move, on the target calendar: `appointment` placed at `start` here,
    /// as it lands (its change is `movedIn` of it).
    public func decideMoveIn(
        _ appointment: Appointment, to start: Instant, service: Service, by requester: Requester, policy: BookingPolicy
    ) -> Result<Appointment, BookingError> {
        // Already here: a concurrent move of the same appointment got in first.
        guard appointments[appointment.id] == nil else { return .failure(.slotTaken) }
        return check(start: start, service: service, actor: requester.bookingActor(on: barber.id), policy: policy).map { end in
            var moved = appointment.rescheduled(start: start, end: end)
            moved.barberID = barber.id
            return moved
        }
    }

    /// Time off from `start` to `end`: the change and the time off it adds.
    public func decideTimeOff(id: TimeOffID, start: Instant, end: Instant, reason: String?)
        -> Result<(CalendarChange, TimeOff), BookingError>
    {
        guard start < end else { return .failure(.validationFailed("time off must end after it starts")) }
        let timeOff = TimeOff(id: id, barberID: barber.id, start: start, end: end, reason: reason)
        return .success((.timeOffAdded(timeOff), timeOff))
    }

    public func decideRemoveTimeOff(_ id: TimeOffID) -> Result<CalendarChange, BookingError> {
        timeOff.contains { $0.id == id }
            ? .success(.timeOffRemoved(barberID: barber.id, id: id))
            : .failure(.notFound("time off \(id) not found"))
    }

    // MARK: - Queries

    /// Appointments overlapping `[from, to)`, by start then id.
    public func appointments(overlapping from: Instant?, _ to: Instant?) -> [Appointment] {
        let low = from?.seconds ?? Int64.min
        let high = to?.seconds ?? Int64.max
        return timeline.candidates(from: low, to: high).compactMap { key in
            guard let appointment = appointments[key.id], appointment.end.seconds > low else { return nil }
            return appointment
        }
    }

    // MARK: - Applying changes

    /// Carries out a change decided by this calendar (or read back from the log).
    ///
    /// Preconditions: the change is for this barber and was valid against the current state;
    /// anything else is a bug or a corrupt log, and stops the process.
    public mutating func apply(_ change: CalendarChange) {
        precondition(change.barberID == barber.id, "change for barber \(change.barberID) applied to \(barber.id)")
        let id = change.appointmentID
        if let id, let before = appointments[id] { figures.remove(before) }
        applyToCalendar(change)
        if let id, let after = appointments[id] { figures.add(after) }
    }

    private mutating func applyToCalendar(_ change: CalendarChange) {
        switch change {
        case .barberCreated(let barber):
            self.barber = barber
        case .barberUpdated(_, let name, let isActive):
            barber.name = name
            barber.isActive = isActive
        case .scheduleSet(_, let weekly, let bufferMinutes):
            barber.weekly = weekly
            barber.bufferMinutes = bufferMinutes
        case .timeOffAdded(let entry):
            let index = timeOff.firstIndex { $0.start > entry.start } ?? timeOff.endIndex
            timeOff.insert(entry, at: index)
        case .timeOffRemoved(_, let id):
            timeOff.removeAll { $0.id == id }
        case .booked(let appointment), .movedIn(let appointment):
            insert(appointment)
        case .cancelled(_, let id, let reason):
            let appointment = existing(id)
            precondition(appointment.status == .confirmed, "cancelling appointment \(id) in state \(appointment.status)")
            live.remove(start: appointment.start.seconds, id: id)
            appointments[id] = appointment.cancelled(reason: reason)
        case .statusSet(_, let id, let status):
            let appointment = existing(id)
            precondition(status.isLive && appointment.status == .confirmed, "invalid status change of \(id)")
            appointments[id] = appointment.marked(status)
        case .rescheduled(_, let id, let start, let end):
            insert(remove(id).rescheduled(start: start, end: end))
        case .movedOut(_, let id):
            _ = remove(id)
        case .holdPlaced(let hold):
            precondition(holds.updateValue(hold, forKey: hold.entryID) == nil, "entry \(hold.entryID) holds two starts")
        case .holdReleased(_, let entryID):
            precondition(holds.removeValue(forKey: entryID) != nil, "releasing a hold entry \(entryID) does not have")
        }
    }

    /// Puts holds read back from a snapshot into this calendar; throws on a hold of another
    /// barber or one entry holding twice. Overlaps are not re-checked: a hold's liveness depends
    /// on an instant a snapshot does not have, and `check` refuses whatever overlaps a live one.
    public mutating func restore(holds list: [Hold]) throws(StateInconsistency) {
        for hold in list {
            guard hold.barberID == barber.id else {
                throw StateInconsistency("hold of barber \(hold.barberID) in the calendar of \(barber.id)")
            }
            guard hold.start < hold.end else { throw StateInconsistency("hold of entry \(hold.entryID) has an empty interval") }
            guard holds.updateValue(hold, forKey: hold.entryID) == nil else {
                throw StateInconsistency("entry \(hold.entryID) holds two starts")
            }
        }
    }

    private func existing(_ id: AppointmentID) -> Appointment {
        guard let appointment = appointments[id] else { preconditionFailure("appointment \(id) missing from barber \(barber.id)") }
        return appointment
    }

    private mutating func insert(_ appointment: Appointment) {
        let previous = appointments.updateValue(appointment, forKey: appointment.id)
        precondition(previous == nil, "appointment id \(appointment.id) reused")
        if appointment.status.isLive {
            live.insert(start: appointment.start.seconds, end: appointment.end.seconds, id: appointment.id)
        }
        timeline.insert(start: appointment.start.seconds, end: appointment.end.seconds, id: appointment.id)
    }

    private mutating func remove(_ id: AppointmentID) -> Appointment {
        let appointment = existing(id)
        if appointment.status.isLive { live.remove(start: appointment.start.seconds, id: id) }
        timeline.remove(start: appointment.start.seconds, id: id)
        appointments[id] = nil
        return appointment
    }
}

/// The edits a change makes to an appointment already on a calendar: the one place both the
/// decisions (which answer with the appointment as their change leaves it) and `apply` take them
/// from, so the two cannot differ.
extension Appointment {
    fileprivate func cancelled(reason: String?) -> Appointment {
        var appointment = self
        appointment.status = .cancelled
        appointment.cancelReason = reason
        return appointment
    }

    fileprivate func marked(_ status: AppointmentStatus) -> Appointment {
        var appointment = self
        appointment.status = status
        return appointment
    }

    fileprivate func rescheduled(start: Instant, end: Instant) -> Appointment {
        var appointment = self
        appointment.start = start
        appointment.end = end
        return appointment
    }
}
