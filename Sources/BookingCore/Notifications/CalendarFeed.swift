/// Whose appointments a calendar feed shows: one barber's calendar, or what one user sees.
public enum FeedOwner: Hashable, Sendable, Codable {
    case barber(BarberID)
    case user(UserID)
}

/// How often an appointment changed and when last, for a feed's `SEQUENCE` and `DTSTAMP`:
/// counted from the appointment's events (0 for one booked before events existed).
public struct AppointmentRevision: Hashable, Sendable, Codable {
    public var sequence: Int
    public var changedAt: Instant

    public init(sequence: Int, changedAt: Instant) {
        self.sequence = sequence
        self.changedAt = changedAt
    }
}
