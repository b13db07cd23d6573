import BookingCore

/// Client records for staff: the account and notes from the directory, the figures from every
/// calendar (each barber's part of a client's history, combined).
extension ShopEngine {
    /// Clients by id, matching `query` (name, email or phone, case-insensitive substring), after
    /// `afterID`, at most `limit`. Admins and barbers only.
    public func clients(matching query: String?, limit: Int?, afterID: UserID?, by requester: Requester)
        async throws(BookingError) -> [ClientRecord]
    {
        try requireStaff(requester)
        let found = await directory.clients { registry in
            var users = registry.users.values.filter { user in
                user.role == .client && user.id > (afterID ?? 0) && (query.map { ClientRecord.matches(user, query: $0) } ?? true)
            }
            users.sort { $0.id < $1.id }
            if let limit, users.count > limit { users.removeLast(users.count - limit) }
            return users
        }
        return await records(found)
    }

    /// One client's record (404 for an unknown id or a user who is not a client).
    public func client(_ id: UserID, by requester: Requester) async throws(BookingError) -> ClientRecord {
        try requireStaff(requester)
        let found = await directory.clients { registry in registry.users[id].map { $0.role == .client ? [$0] : [] } ?? [] }
        guard !found.isEmpty else { throw .notFound("client \(id) not found") }
        return await records(found)[0]
    }

    /// Replaces a client's private notes (at most `ClientRecords.notesLimit` characters).
    public func setClientNotes(_ id: UserID, notes: String, by requester: Requester) async throws(BookingError) -> ClientRecord {
        try requireStaff(requester)
        try await commitShopWide { registry in
            ClientRecords.decideSetNotes(notes, for: id, in: registry).map { [.clientRecord($0)] }
        }
        return try await client(id, by: requester)
    }

    /// A client's appointments, newest first (by start, then id): with every barber for an admin,
    /// in the barber's own calendar for a barber (what `appointments(_:for:)` lets them see); 403
    /// for clients. Found through the index of each client's appointments, not by a scan.
    public func history(ofClient id: UserID, by requester: Requester) async throws(BookingError) -> [Appointment] {
        try requireStaff(requester)
        var byBarber: [BarberID: [AppointmentID]] = [:]
        for appointment in index.appointments(of: id) {
            guard let barber = index.barber(of: appointment) else { continue }
            if requester.role == .barber, barber != requester.barberID { continue }
            byBarber[barber, default: []].append(appointment)
        }
        let ids = byBarber
        var found = await router.fanOut(ids.keys.sorted()) { calendar in
            (ids[calendar.barber.id] ?? []).compactMap { calendar.appointments[$0] }.filter { $0.clientID == id }
        }.flatMap { $0 }
        found.sort { ($0.start, $0.id) > ($1.start, $1.id) }
        return found
    }

    private func requireStaff(_ requester: Requester) throws(BookingError) {
        guard requester.role != .client else { throw .forbidden("client records are for the shop's staff") }
    }

    /// The records of `found`, their stats combined over every calendar, asked concurrently.
    private func records(_ found: [(User, notes: String, registeredAt: Instant?)]) async -> [ClientRecord] {
        let ids = found.map(\.0.id)
        let now = clock()
        let actors = router.barberIDs.compactMap { router.calendar($0) }
        let perBarber = await withTaskGroup(of: [ClientStats].self) { group in
            for actor in actors { group.addTask { await actor.clientStats(ids, now: now) } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        return found.enumerated().map { position, entry in
            let stats = perBarber.reduce(ClientStats()) { $0.combined(with: $1[position]) }
            return ClientRecord(user: entry.0, notes: entry.notes, registeredAt: entry.registeredAt, stats: stats)
        }
    }
}
