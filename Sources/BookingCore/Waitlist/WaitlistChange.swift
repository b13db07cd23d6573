/// A change to the waitlist, as a value: decided by `Waitlist` (and by the offer decisions of
/// `WaitlistOffers`), logged, and applied by `Waitlist.apply`, live or on replay. A change that
/// takes or gives back a calendar's time travels in the same record as the calendar's
/// `.holdPlaced` / `.holdReleased` / `.booked`, so replay sees both or neither.
public enum WaitlistChange: Hashable, Sendable, Codable {
    /// A new entry, `waiting`.
    case entryAdded(WaitlistEntry)
    /// The entry `hold.entryID` is offered `hold`'s start; the hold is placed in the same record.
    case offered(Hold)
    /// The offer ran out unclaimed; its hold is released in the same record.
    case expired(WaitlistEntryID)
    /// The offer was claimed: the appointment is booked in the same record.
    case booked(WaitlistEntryID, appointmentID: AppointmentID)
    /// The client (or staff) took the entry off the list; a hold it had is released in the same record.
    case cancelled(WaitlistEntryID)

    /// The entry this change is about.
    public var entryID: WaitlistEntryID {
        switch self {
        case .entryAdded(let entry): entry.id
        case .offered(let hold): hold.entryID
        case .expired(let id), .booked(let id, _), .cancelled(let id): id
        }
    }
}
