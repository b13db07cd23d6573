/// A change to the walk-in queue, as a value: decided by `WalkInQueue`, logged, and applied by
/// `WalkInQueue.apply`, live or on replay. A start travels in the same record as the
/// appointment it books.
public enum QueueChange: Hashable, Sendable, Codable {
    case checkedIn(WalkIn)
    /// Serving begins: `barberID` serves, `appointmentID` is booked in the same record.
    case started(WalkInID, barberID: BarberID, appointmentID: AppointmentID)
    case done(WalkInID)
    case left(WalkInID)
}
