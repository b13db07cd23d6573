/// Who sees which event on the live stream (`/api/v2/events/stream`); webhooks are the admin's
/// and get every event they subscribe to.
extension Requester {
    /// Admins and barbers: they see the walk-in board whole (full names, phones).
    public var isStaff: Bool { role != .client }

    /// An appointment's event: its client, its barber, an admin. A waitlist entry's: its client,
    /// an admin, and a barber when the entry is for them or for any barber. The walk-in board
    /// (`queue.updated`): everyone, staff whole and others in the public view (shortened names,
    /// no phones; the stream's encoder chooses the view by `isStaff`).
    public func canSee(_ event: Event) -> Bool {
        switch event.payload {
        case .appointment(let appointment):
            canAccess(appointment)
        case .waitlistEntry(let entry):
            switch role {
            case .admin: true
            case .barber: entry.barberID == nil || entry.barberID == barberID
            case .client: entry.clientID == userID
            }
        case .queue:
            true
        }
    }
}
