/// The number of an event: allocated in log order (1, 2, 3, … with no gaps), recorded with the
/// event in the log, so an event has the same id after any restart and in every redelivery.
public typealias EventSequence = Int64

/// What an event says, typed per area; its JSON is `"data"` of the contract's `Event`.
public enum EventPayload: Hashable, Sendable, Codable {
    /// `{"appointment": Appointment}`, the appointment as it stands after the change.
    case appointment(Appointment)
    /// `{"entry": WaitlistEntry}`, the waitlist entry as it stands after the change.
    case waitlistEntry(WaitlistEntry)
    /// `{"entries": [QueueEntry]}`, the walk-in board as the record left it.
    case queue(QueueBoard)

    /// The appointment the event is about, if any (for per-role filtering).
    public var appointment: Appointment? {
        switch self {
        case .appointment(let appointment): appointment
        case .waitlistEntry, .queue: nil
        }
    }

    /// The waitlist entry the event is about, if any (for per-role filtering).
    public var waitlistEntry: WaitlistEntry? {
        switch self {
        case .waitlistEntry(let entry): entry
        case .appointment, .queue: nil
        }
    }
}

/// One event of the contract: `{"id","type","created_at","data"}`.
public struct Event: Hashable, Sendable, Codable {
    public var sequence: EventSequence
    public var type: EventType
    public var createdAt: Instant
    public var payload: EventPayload

    public init(sequence: EventSequence, type: EventType, createdAt: Instant, payload: EventPayload) {
        self.sequence = sequence
        self.type = type
        self.createdAt = createdAt
        self.payload = payload
    }

    /// The id of the contract: `evt_` and the sequence number.
    public var id: String { Event.id(of: sequence) }

    public static func id(of sequence: EventSequence) -> String { "evt_\(sequence)" }

    /// The sequence named by an event id, or nil when `id` is not one this server gives out.
    public static func sequence(of id: String) -> EventSequence? {
        guard id.hasPrefix("evt_"), let number = EventSequence(id.dropFirst(4)), number > 0, String(number) == id.dropFirst(4)
        else { return nil }
        return number
    }
}

/// An event before the log numbered it: what a change produces inside its actor turn (the
/// waitlist's and the queue's: `RecordEvents`).
public struct EventDraft: Hashable, Sendable {
    public var type: EventType
    public var payload: EventPayload

    public init(type: EventType, payload: EventPayload) {
        self.type = type
        self.payload = payload
    }

    /// The event of an appointment change, given the appointment as it stands after it; nil for
    /// changes that are not about an appointment or are half of a move (`movedOut`; the move's
    /// event comes with `movedIn`).
    public static func of(_ change: CalendarChange, appointment: Appointment?) -> EventDraft? {
        guard let appointment else { return nil }
        let type: EventType
        switch change {
        case .booked: type = .appointmentCreated
        case .cancelled: type = .appointmentCancelled
        case .rescheduled, .movedIn: type = .appointmentRescheduled
        case .statusSet(_, _, .completed): type = .appointmentCompleted
        case .statusSet(_, _, .noShow): type = .appointmentNoShow
        case .statusSet(_, _, .confirmed), .statusSet(_, _, .cancelled), .movedOut, .barberCreated, .barberUpdated, .scheduleSet, .timeOffAdded,
            .holdPlaced, .holdReleased,
            .timeOffRemoved:
            return nil
        }
        return EventDraft(type: type, payload: .appointment(appointment))
    }
}
