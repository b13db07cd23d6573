/// How far email got, as part of `NotificationState` (so it shares the notification part's
/// watermark in snapshots and replay).
///
/// `events` is nil while mail is off: no event is owed then, and the ring is not held back for
/// mail. When the server starts with `--sendmail` it switches mail on (`mailSwitched`), and from
/// then on every appointment event after `acknowledged` that has no outcome in `finished` is
/// owed a mail. The reminders handed off are kept per appointment, with the start they were
/// for, until that start has passed; they survive switching mail off and on, so a reminder is
/// never sent twice for the same start.
public struct MailProgress: Hashable, Sendable, Codable {
    public var events: EventMailProgress?
    public var reminders: [AppointmentID: ReminderMark]

    public init(events: EventMailProgress? = nil, reminders: [AppointmentID: ReminderMark] = [:]) {
        self.events = events
        self.reminders = reminders
    }

    /// Off and no reminder remembered: nothing in snapshots, nothing in the state digest.
    public var isEmpty: Bool { events == nil && reminders.isEmpty }

    /// Drops the marks of appointments whose start has passed at `now` (nothing can be owed for
    /// them any more), which keeps the marks bounded by the appointments still to come.
    mutating func forgetReminders(startedBy now: Instant) {
        if reminders.values.contains(where: { $0.start <= now }) {
            reminders = reminders.filter { $0.value.start > now }
        }
    }
}

/// Like `WebhookProgress`: every event up to `acknowledged` has its mail handed off, skipped or
/// needs none; `finished` are the sequences after it that have an outcome (mails finish out of
/// order), sorted.
public struct EventMailProgress: Hashable, Sendable, Codable {
    public var acknowledged: EventSequence
    public var finished: [EventSequence]

    public init(acknowledged: EventSequence, finished: [EventSequence] = []) {
        self.acknowledged = acknowledged
        self.finished = finished
    }
}

/// The last reminder handed off for an appointment: for the appointment starting at `start`,
/// `offset` seconds before it. Every reminder of a larger offset for that start is covered by it
/// (it was due earlier).
public struct ReminderMark: Hashable, Sendable, Codable {
    public var start: Instant
    public var offset: Int64

    public init(start: Instant, offset: Int64) {
        self.start = start
        self.offset = offset
    }
}

/// How a mail ended: handed to the sendmail command (it exited 0), or skipped because it cannot
/// or need not be sent any more (the appointment has started, the client's address cannot be
/// written into a header safely).
public enum MailOutcome: Hashable, Sendable, Codable {
    case handedOff
    case skipped
}
