/// What the waitlist tells the outside world: the contract's `waitlist.offered`,
/// `waitlist.expired` and `waitlist.booked`, each with the entry as it stands after the change
/// (`data: {"entry": WaitlistEntry}`). Derived from the applied changes of one record
/// (`Waitlist.events(of:)`), so an event exists exactly when its change was committed.
public enum WaitlistEvent: Hashable, Sendable {
    case offered(WaitlistEntry)
    case expired(WaitlistEntry)
    case booked(WaitlistEntry)

    /// The contract's event type.
    public var type: String {
        switch self {
        case .offered: "waitlist.offered"
        case .expired: "waitlist.expired"
        case .booked: "waitlist.booked"
        }
    }

    public var entry: WaitlistEntry {
        switch self {
        case .offered(let entry), .expired(let entry), .booked(let entry): entry
        }
    }
}
