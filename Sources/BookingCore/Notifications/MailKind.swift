/// What a mail is about, which makes its `Message-ID` (`<apt-12.confirmation@host>`).
public enum MailKind: Hashable, Sendable {
    case confirmation
    /// A move to a new time or barber; `revision` is the appointment's SEQUENCE after it.
    case rescheduled(revision: Int)
    case cancellation
    /// `offset` seconds before `start`.
    case reminder(offset: Int64, start: Instant)

    /// The kind of mail an event asks for, nil when it asks for none (completed, no-show, and the
    /// types of other areas).
    public static func of(_ event: Event, revision: Int) -> MailKind? {
        switch event.type {
        case .appointmentCreated: .confirmation
        case .appointmentRescheduled: .rescheduled(revision: revision)
        case .appointmentCancelled: .cancellation
        default: nil
        }
    }

    /// Whether an event of `type` is owed a mail.
    static func isMailed(_ type: EventType) -> Bool {
        type == .appointmentCreated || type == .appointmentRescheduled || type == .appointmentCancelled
    }

    /// The left part of the `Message-ID`: stable per appointment and kind (and revision, or
    /// reminder offset and start), so a mail sent again after a crash carries the same id.
    public func messageIDLocalPart(appointment: AppointmentID) -> String {
        switch self {
        case .confirmation: "apt-\(appointment).confirmation"
        case .rescheduled(let revision): "apt-\(appointment).rescheduled.\(revision)"
        case .cancellation: "apt-\(appointment).cancellation"
        case .reminder(let offset, let start): "apt-\(appointment).reminder.\(offset)s.\(start.seconds)"
        }
    }
}
