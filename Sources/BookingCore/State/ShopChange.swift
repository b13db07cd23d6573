/// Everything that changes the state, as one log record holds it: the changes of one request,
/// applied in order and all-or-nothing on replay.
public enum ShopChange: Hashable, Sendable, Codable {
    case registry(RegistryChange)
    case calendar(CalendarChange)
    case waitlist(WaitlistChange)
    case queue(QueueChange)
    case clientRecord(ClientRecordChange)
    /// Events, webhook endpoints and delivery outcomes (`NotificationJournal` applies these).
    case notification(NotificationChange)
}
