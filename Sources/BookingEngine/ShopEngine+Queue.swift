import BookingCore
import Synchronization

/// The walk-in queue: check in, the board with estimates, start, done, leave. The line lives
/// with the waitlist (`WaitlistActor`); every change to it runs under the engine's gate
/// (`MoveGate`), and a start books its appointment in the same record, in the barber's turn.
/// Every record that changes the board carries the board it leaves as a `queue.updated` event
/// (`RecordEvents`).
extension ShopEngine {
    /// A walk-in checked in by the front desk (admin or barber).
    public func checkIn(name: String, serviceID: ServiceID, barberID: BarberID?, phone: String?, by requester: Requester)
        async throws(BookingError) -> WalkIn
    {
        guard requester.role != .client else { throw .forbidden("only staff check walk-ins in") }
        if let problem = TextLimits.violation(phone, field: "phone", max: TextLimits.phone) { throw problem }
        let service = try service(serviceID)
        if !service.isActive { throw .validationFailed("service \(serviceID) is not offered any more") }
        if let barberID {
            if let refusal = BarberCalendar.bookability(of: service, on: try await barber(barberID)) { throw refusal }
        }
        let walkIn = WalkIn(
            id: ids.walkIn.next(), name: name, phone: phone, serviceID: serviceID, barberID: barberID, checkedInAt: clock())
        let catalog = catalog
        let policy = catalog.policy(now: clock())
        let (added, lsn) = try await moveGate.run { () async throws(BookingError) -> (WalkIn, LSN) in
            // Before the calendars are read: a booking whose calendar turn comes after the read
            // sees it in that turn and is made under the gate, with the board (`commitMovingEstimates`).
            lineWaiting.store(true, ordering: .sequentiallyConsistent)
            let calendars = await router.fanOut(catalog.barberIDs) { $0 }
            let result = await waitlist.commit(
                queue: { $0.decideCheckIn(walkIn) }, calendars: calendars, services: catalog.services, policy: policy)
            await updateLineWaiting()
            return try result.get()
        }
        await journal.waitUntilDurable(lsn)
        return added
    }

    /// The board at the engine's now: the line in order with estimates, then who is served.
    public func queueBoard() async -> (board: QueueBoard, now: Instant) {
        let catalog = catalog
        let policy = catalog.policy(now: clock())
        let queue = await waitlist.read(queue: { $0 })
        guard !queue.line.isEmpty else {
            return (QueueBoard(queue: queue, calendars: [], services: catalog.services, policy: policy), policy.now)
        }
        let calendars = await router.fanOut(catalog.barberIDs) { $0 }
        return (QueueBoard(queue: queue, calendars: calendars, services: catalog.services, policy: policy), policy.now)
    }

    /// Starts serving a waiting walk-in on `barberID` (admin, or that barber; the front desk may
    /// give a walk-in who asked for someone else to whoever is free): books the service
    /// from now on that barber, in one record with the start; 409 `slot_taken` if it does not
    /// fit before the barber's next live appointment (or a hold). The appointment's client is
    /// the staff member who started it (a walk-in has no account); its notes name the walk-in.
    public func startWalkIn(_ id: WalkInID, barberID: BarberID, by requester: Requester) async throws(BookingError) -> WalkIn {
        guard requester.manages(barber: barberID) else { throw .forbidden("only an admin or that barber can start a walk-in") }
        let actor = try calendarActor(barberID)
        let policy = catalog.policy(now: clock())
        let rule = { () -> BookingPolicy in
            var rule = policy
            rule.settings.minNoticeMinutes = 0
            return rule
        }()
        let appointmentID = ids.appointment.next()
        let (started, lsn) = try await moveGate.run { () async throws(BookingError) -> (WalkIn, LSN) in
            let walkIn = try await waitlist.read(queue: { $0.decideStart(id) }).get()
            let service = try service(walkIn.serviceID)
            let events = await recordEvents(policy: policy, changingQueue: true, turn: barberID)
            let start = QueueChange.started(id, barberID: barberID, appointmentID: appointmentID)
            let record = try await actor.commit(with: { calendar in
                calendar.decideBook(
                    id: appointmentID, client: requester.userID, service: service, start: policy.now,
                    notes: "walk-in: \(walkIn.name)", actor: .staff, policy: rule
                ).map { booked, _ in ([.calendar(booked), .queue(start)], ()) }
            }, reporting: events).get()
            let started = await waitlist.apply(queue: start)
            await updateLineWaiting()
            return (started, record.lsn)
        }
        await journal.waitUntilDurable(lsn)
        return started
    }

    /// `done` (from serving) or `left` (from waiting); admin or barber. Done also completes the
    /// walk-in's appointment if it is still confirmed, in the same record, so the chair's
    /// remaining time is counted as served and the appointment leaves the open ones.
    public func finishWalkIn(_ id: WalkInID, left: Bool, by requester: Requester) async throws(BookingError) -> WalkIn {
        guard requester.role != .client else { throw .forbidden("only staff change the queue") }
        let catalog = catalog
        let policy = catalog.policy(now: clock())
        let (walkIn, lsn) = try await moveGate.run { () async throws(BookingError) -> (WalkIn, LSN) in
            let current = try await waitlist.read(queue: { $0.walkIn(id) }).get()
            guard !left, let barberID = current.barberID, let appointmentID = current.appointmentID else {
                let calendars = await router.fanOut(catalog.barberIDs) { $0 }
                let result = await waitlist.commit(
                    queue: { $0.decideFinish(id, left: left) }, calendars: calendars, services: catalog.services, policy: policy)
                await updateLineWaiting()
                return try result.get()
            }
            let finish = try await waitlist.read(queue: { $0.decideFinish(id, left: false) }).get()
            let events = await recordEvents(policy: policy, changingQueue: true, turn: barberID)
            let record = try await calendarActor(barberID).commit(with: { calendar in
                guard calendar.appointments[appointmentID]?.status == .confirmed else { return .success(([.queue(finish)], ())) }
                return .success(([.calendar(.statusSet(barberID: barberID, id: appointmentID, status: .completed)), .queue(finish)], ()))
            }, reporting: events).get()
            return (await waitlist.apply(queue: finish), record.lsn)
        }
        await journal.waitUntilDurable(lsn)
        return walkIn
    }

    /// Sets `lineWaiting` to whether anyone waits now. The caller holds the gate.
    func updateLineWaiting() async {
        let waiting = await waitlist.read(queue: { !$0.line.isEmpty })
        lineWaiting.store(waiting, ordering: .sequentiallyConsistent)
    }
}
