import BookingCore

extension ShopEngine {
    /// A new barber, with a linked `barber` user when `account` is given (one record, one turn:
    /// the email check and both creations are atomic).
    public func createBarber(name: String, account: (email: String, passwordHash: String)?) async throws(BookingError) -> Barber {
        if let problem = Barber.validateName(name) { throw problem }
        let user = account.map {
            User(id: ids.user.next(), email: User.normalizedEmail($0.email), name: name, role: .barber, phone: nil,
                 passwordHash: $0.passwordHash)
        }
        let barber = Barber(id: ids.barber.next(), name: name, userID: user?.id)
        try await commitShopWide { registry in
            var changes: [ShopChange] = []
            if let user {
                switch registry.decideCreateUser(user) {
                case .success(let change): changes.append(.registry(change))
                case .failure(let error): return .failure(error)
                }
            }
            changes.append(.registry(.barberAdded(id: barber.id, userID: user?.id)))
            changes.append(.calendar(.barberCreated(barber)))
            return .success(changes)
        }
        return barber
    }

    public func barber(_ id: BarberID) async throws(BookingError) -> Barber {
        try await calendarActor(id).read(\.barber)
    }

    /// Every barber (or the active ones), by id.
    public func barbers(activeOnly: Bool) async -> [Barber] {
        await router.fanOut(catalog.barberIDs) { $0.barber }.filter { !activeOnly || $0.isActive }
    }

    /// Renames or (de)activates a barber.
    public func updateBarber(_ id: BarberID, name: String?, isActive: Bool?) async throws(BookingError) -> Barber {
        if let name, let problem = Barber.validateName(name) { throw problem }
        try await commitOpening(on: id) { calendar in
            .success(.barberUpdated(id: id, name: name ?? calendar.barber.name, isActive: isActive ?? calendar.barber.isActive))
        }
        return try await barber(id)
    }

    /// Replaces a barber's weekly schedule and buffer (admin, or that barber); time it opens is
    /// offered to the waitlist in the same record.
    public func setSchedule(_ id: BarberID, weekly: WeeklySchedule, bufferMinutes: Int, by requester: Requester)
        async throws(BookingError) -> Barber
    {
        guard requester.manages(barber: id) else { throw .forbidden("only an admin or this barber can change the schedule") }
        if let problem = Barber.validateBuffer(bufferMinutes) { throw problem }
        try await commitOpening(on: id) { _ in .success(.scheduleSet(barberID: id, weekly: weekly, bufferMinutes: bufferMinutes)) }
        return try await barber(id)
    }

    /// Adds time off to a barber's calendar (admin, or that barber).
    public func addTimeOff(_ barber: BarberID, start: Instant, end: Instant, reason: String?, by requester: Requester)
        async throws(BookingError) -> TimeOff
    {
        guard requester.manages(barber: barber) else { throw .forbidden("only an admin or this barber can add time off") }
        let id = ids.timeOff.next()
        return try await commitMovingEstimates(on: barber, policy: catalog.policy(now: clock())) {
            $0.decideTimeOff(id: id, start: start, end: end, reason: reason)
        }
    }

    /// A barber's time off, by start (admin, or that barber).
    public func timeOff(of barber: BarberID, for requester: Requester) async throws(BookingError) -> [TimeOff] {
        guard requester.manages(barber: barber) else { throw .forbidden("only an admin or this barber can see the time off") }
        return try await calendarActor(barber).read(\.timeOff)
    }

    /// Removes time off (admin, or that barber); the time it opens is offered to the waitlist in
    /// the same record.
    public func removeTimeOff(_ barber: BarberID, id: TimeOffID, by requester: Requester) async throws(BookingError) {
        guard requester.manages(barber: barber) else { throw .forbidden("only an admin or this barber can remove time off") }
        try await commitOpening(on: barber) { $0.decideRemoveTimeOff(id) }
    }
}
