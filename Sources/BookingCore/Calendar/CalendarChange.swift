/// A change to one barber's calendar, as a value: decided by `BarberCalendar`'s `decide…`
/// methods, recorded by the log, and applied by `BarberCalendar.apply`, live or on replay.
///
/// Every change carries all it needs (ids, instants, reasons), so applying one never consults a
/// clock or an allocator and replay is deterministic.
public enum CalendarChange: Hashable, Sendable, Codable {
    case barberCreated(Barber)
    case barberUpdated(id: BarberID, name: String, isActive: Bool)
    case scheduleSet(barberID: BarberID, weekly: WeeklySchedule, bufferMinutes: Int)
    case timeOffAdded(TimeOff)
    case timeOffRemoved(barberID: BarberID, id: TimeOffID)
    case booked(Appointment)
    case cancelled(barberID: BarberID, id: AppointmentID, reason: String?)
    case statusSet(barberID: BarberID, id: AppointmentID, status: AppointmentStatus)
    /// Moves an appointment within one calendar.
    case rescheduled(barberID: BarberID, id: AppointmentID, start: Instant, end: Instant)
    /// Takes an appointment out of this calendar because it moves to another barber.
    case movedOut(barberID: BarberID, id: AppointmentID)
    /// Puts an appointment moved from another barber into this calendar.
    case movedIn(Appointment)
    /// Holds a start for a waitlist entry's offer (see `Hold`).
    case holdPlaced(Hold)
    /// Gives a hold's interval back: claimed, expired, or its entry cancelled.
    case holdReleased(barberID: BarberID, entryID: WaitlistEntryID)

    /// The barber whose calendar this change belongs to.
    public var barberID: BarberID {
        switch self {
        case .barberCreated(let barber): barber.id
        case .barberUpdated(let id, _, _): id
        case .scheduleSet(let id, _, _), .timeOffRemoved(let id, _), .cancelled(let id, _, _),
            .statusSet(let id, _, _), .rescheduled(let id, _, _, _), .movedOut(let id, _):
            id
        case .timeOffAdded(let timeOff): timeOff.barberID
        case .booked(let appointment), .movedIn(let appointment): appointment.barberID
        case .holdPlaced(let hold): hold.barberID
        case .holdReleased(let id, _): id
        }
    }

    /// The appointment this change is about, if any.
    public var appointmentID: AppointmentID? {
        switch self {
        case .barberCreated, .barberUpdated, .scheduleSet, .timeOffAdded, .timeOffRemoved, .holdPlaced, .holdReleased: nil
        case .booked(let appointment), .movedIn(let appointment): appointment.id
        case .cancelled(_, let id, _), .statusSet(_, let id, _), .rescheduled(_, let id, _, _), .movedOut(_, let id): id
        }
    }
}
