/// A change to the notification state, as a value recorded in the log (change tags 0x30-0x3F,
/// docs/log-format.md) and applied by `NotificationState.apply`, live or on replay.
public enum NotificationChange: Hashable, Sendable, Codable {
    /// An event, numbered; recorded in the same log record as the change it reports.
    case eventRecorded(Event)
    /// A webhook endpoint created or edited (the whole endpoint, secret included).
    case webhookSaved(WebhookEndpoint)
    case webhookDeleted(WebhookID)
    /// The outcome of delivering one event to one endpoint: delivered (a 2xx), or given up after
    /// retrying for a day. Only outcomes are logged, never single attempts, so the log grows
    /// with events, not with a receiver's failures. Written by older builds: this one writes
    /// `deliveryEnded`, which says the same and more (this one still reads and applies it).
    case deliveryFinished(webhook: WebhookID, event: EventSequence, outcome: DeliveryOutcome)
    /// A calendar feed's token for `owner` (only its SHA-256 is kept), revoking the previous one.
    case feedIssued(owner: FeedOwner, tokenHash: [UInt8])
    /// Email switched on (the server started with `--sendmail`: owed a mail for every
    /// appointment event recorded from now on) or off (started without it: nothing is owed, the
    /// reminders handed off are kept). `at` is the clock then; reminder marks of appointments
    /// that started by then are dropped.
    case mailSwitched(on: Bool, at: Instant)
    /// The mail of one event ended: handed to sendmail (exit 0) or skipped. Logged once, never
    /// per attempt, so a failing sendmail does not grow the log.
    case mailFinished(event: EventSequence, outcome: MailOutcome)
    /// The reminder `offset` seconds before `start` of `appointment` ended (handed off or
    /// skipped); `at` is the clock then, and marks of appointments started by then are dropped.
    case reminderFinished(appointment: AppointmentID, start: Instant, offset: Int64, outcome: MailOutcome, at: Instant)
    /// A delivery ended, as `deliveryFinished` (its outcome, once, never per attempt), with its
    /// final attempt as the deliveries list shows it, which `NotificationState` keeps (the newest
    /// `NotificationState.retainedEndedDeliveries` per endpoint).
    case deliveryEnded(webhook: WebhookID, EndedDelivery)
}

public enum DeliveryOutcome: Hashable, Sendable, Codable {
    case delivered
    case givenUp
}

/// One finished delivery to an endpoint, as `NotificationChange.deliveryEnded` records it.
public struct DeliveryFinished: Hashable, Sendable {
    public var webhook: WebhookID
    public var delivery: EndedDelivery

    public init(webhook: WebhookID, delivery: EndedDelivery) {
        self.webhook = webhook
        self.delivery = delivery
    }
}
