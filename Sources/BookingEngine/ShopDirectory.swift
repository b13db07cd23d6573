import BookingCore

/// The isolation domain of shop-wide state (settings, users, services, barber roster, client
/// records): a thin shell that owns a `ShopRegistry` and the `ClientRecords`, separate from every
/// calendar.
///
/// Why this is safe: the registry is only touched on this actor. Uniqueness checks (an email) and
/// the change they guard happen in one turn of `commit`. After each change to what the catalog
/// holds the actor publishes a fresh `ShopCatalog` (`PublishedCatalog`), which request handlers
/// read without a lock and without hopping here; a new user is added to `users` in its turn,
/// which they read without hopping here either.
public actor ShopDirectory {
    public private(set) var registry = ShopRegistry()
    public private(set) var clientRecords = ClientRecords()
    private let journal: any ChangeJournal
    private let notifications: NotificationJournal
    private let router: CalendarRouter
    private let index: AppointmentIndex
    private let published: PublishedCatalog
    /// The registry's users, for reads that do not come here (`UserTable`).
    public nonisolated let users = UserTable()

    public init(journal: any ChangeJournal, notifications: NotificationJournal, router: CalendarRouter, index: AppointmentIndex) {
        self.journal = journal
        self.notifications = notifications
        self.router = router
        self.index = index
        self.published = PublishedCatalog(ShopCatalog(ShopRegistry()))
    }

    /// The newest published catalog; callable from any isolation.
    public nonisolated var catalog: ShopCatalog { published.current }

    /// Decides changes against the registry and, if allowed, applies and journals them as one
    /// record, in one turn. The changes may be registry changes, client record changes and
    /// `.barberCreated` calendar changes (a new barber's calendar is created here); returns the
    /// value `decide` gave with them (what the caller answers with, typed) and the LSN to await.
    public func commit<Value: Sendable>(_ decide: @Sendable (ShopRegistry) -> Result<([ShopChange], Value), BookingError>)
        -> Result<(Value, LSN), BookingError>
    {
        decide(registry).map { changes, value in
            for change in changes { apply(change) }
            return (value, journal.append(changes))
        }
    }

    /// Applies one change, live or on replay.
    public func apply(_ change: ShopChange) {
        switch change {
        case .registry(.userCreated(let user)):
            // Nothing the catalog holds changes: no new catalog.
            registry.apply(.userCreated(user))
            users.add(user)
        case .registry(let change):
            registry.apply(change)
            published.publish(ShopCatalog(registry))
        case .clientRecord(let change):
            clientRecords.apply(change)
        case .calendar(.barberCreated(let barber)):
            let calendar = BarberCalendar(barber: barber, shopTime: ShopTime(settings: registry.settings))
            router.add(CalendarActor(calendar: calendar, journal: notifications, index: index), for: barber.id)
        case .calendar(let other):
            preconditionFailure("calendar change \(other) must go to the barber's calendar, not the directory")
        case .waitlist, .queue:
            preconditionFailure("waitlist and queue changes go to the waitlist actor, not the directory")
        case .notification(let other):
            preconditionFailure("notification change \(other) must go to the notification journal, not the directory")
        }
    }

    /// The registry, the client records and the journal's newest LSN, read in one turn (see
    /// `StateImage`).
    public func capture() -> (ShopRegistry, ClientRecords, LSN) { (registry, clientRecords, journal.lastLSN) }

    /// Replaces the registry and the client records by recovered ones, before the server serves,
    /// and publishes the registry.
    func restore(_ recovered: ShopRegistry, clientRecords: ClientRecords) {
        registry = recovered
        self.clientRecords = clientRecords
        users.restore(recovered.users.values)
        published.publish(ShopCatalog(registry))
    }

    /// Clients (users with role `client`) by id, with their records, read in one turn.
    func clients(_ select: @Sendable (ShopRegistry) -> [User]) -> [(User, notes: String, registeredAt: Instant?)] {
        select(registry).map { ($0, clientRecords.notes[$0.id] ?? "", clientRecords.registeredAt[$0.id]) }
    }
    public func user(email: String) -> User? { registry.user(email: email) }
}
