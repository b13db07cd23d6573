import BookingCore

/// The walk-in queue: check in, the board with estimates, start, done, leave. The line lives
/// with the waitlist (`WaitlistActor`); every change to it runs under the engine's gate
/// (`MoveGate`), and a start books its appointment in the same record, in the barber's turn.
extension ShopEngine {
    /// The board: the line and who is served, with each waiting walk-in's placement
    /// (`WalkInEstimates`) at the engine's now.
    public struct QueueBoard: Sendable {
        public var walkIns: [WalkIn]
        public var placements: [WalkInID: WalkInEstimates.Placement]
        public var now: Instant
    }

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
        let (added, lsn) = try await moveGate.run { () async throws(BookingError) in
            try await waitlist.commit(queue: { $0.decideCheckIn(walkIn) }).get()
        }
        await journal.waitUntilDurable(lsn)
        return added
    }

    /// The line in order, then who is being served, with the estimates of the waiting.
    public func queueBoard() async -> QueueBoard {
        let catalog = catalog
        let policy = catalog.policy(now: clock())
        let walkIns = await waitlist.read(queue: { $0.board })
        let line = walkIns.filter { $0.status == .waiting }
        guard !line.isEmpty else { return QueueBoard(walkIns: walkIns, placements: [:], now: policy.now) }
        let calendars = await router.fanOut(catalog.barberIDs) { $0 }
        return QueueBoard(
            walkIns: walkIns, placements: WalkInEstimates.place(line, calendars: calendars, services: catalog.services, policy: policy),
            now: policy.now)
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
            let record = try await actor.commit(with: { calendar in
                calendar.decideBook(
                    id: appointmentID, client: requester.userID, service: service, start: policy.now,
                    notes: "walk-in: \(walkIn.name)", actor: .staff, policy: rule
                ).map { booked in
                    [.calendar(booked), .queue(.started(id, barberID: barberID, appointmentID: appointmentID))]
                }
            }).get()
            _ = await waitlist.apply(record.changes)
            return (await waitlist.read(queue: { $0.walkIns[id]! }), record.lsn!)
        }
        await journal.waitUntilDurable(lsn)
        return started
    }

    /// `done` (from serving) or `left` (from waiting); admin or barber. Done also completes the
    /// walk-in's appointment if it is still confirmed, in the same record, so the chair's
    /// remaining time is counted as served and the appointment leaves the open ones.
    public func finishWalkIn(_ id: WalkInID, left: Bool, by requester: Requester) async throws(BookingError) -> WalkIn {
        guard requester.role != .client else { throw .forbidden("only staff change the queue") }
        let (walkIn, lsn) = try await moveGate.run { () async throws(BookingError) -> (WalkIn, LSN) in
            let current = try await waitlist.read(queue: { $0.walkIn(id) }).get()
            guard !left, let barberID = current.barberID, let appointmentID = current.appointmentID else {
                return try await waitlist.commit(queue: { $0.decideFinish(id, left: left) }).get()
            }
            let finish = try await waitlist.read(queue: { $0.decideFinish(id, left: false) }).get()
            let record = try await calendarActor(barberID).commit(with: { calendar in
                guard calendar.appointments[appointmentID]?.status == .confirmed else { return .success([.queue(finish)]) }
                return .success([.calendar(.statusSet(barberID: barberID, id: appointmentID, status: .completed)), .queue(finish)])
            }).get()
            _ = await waitlist.apply(record.changes)
            return (await waitlist.read(queue: { $0.walkIns[id]! }), record.lsn!)
        }
        await journal.waitUntilDurable(lsn)
        return walkIn
    }
}
