import BookingCore
import Synchronization

/// The booking engine: the calendars, the shop directory and the indexes, behind one API that
/// the HTTP front calls. It holds no state of its own beyond references; each operation routes to
/// the isolation domain that owns the data, commits there, then awaits durability of its record.
///
/// Time is a parameter (`clock`), never read globally, so tests drive it.
public final class ShopEngine: Sendable {
    public let directory: ShopDirectory
    public let router: CalendarRouter
    public let index: AppointmentIndex
    public let journal: any ChangeJournal
    /// Events, webhooks and delivery outcomes; calendars journal their events through it.
    public let notifications: NotificationJournal
    /// Recent webhook delivery attempts and asked-for redeliveries (in memory only).
    public let webhookAttempts = WebhookAttemptLog()
    public let clock: @Sendable () -> Instant
    /// The waitlist's entries (their holds are in the calendars).
    public let waitlist: WaitlistActor
    /// Whether someone waits in the walk-in line, so that a change to a calendar may move an
    /// estimate and must report the board (`queue.updated`). Set before a check-in reads the
    /// calendars and reset after every queue change, under the gate; read by the changes that
    /// do not take the gate (bookings, time off added) before and inside their calendar's turn.
    /// An atomic with sequentially consistent order is enough: a booking whose turn reads
    /// `false` comes before any check-in's read of that calendar, so that check-in's board
    /// includes it (see `commitMovingEstimates`).
    let lineWaiting = Atomic<Bool>(false)
    let ids: IDs
    let moveGate = MoveGate()

    /// One allocator per kind of id.
    struct IDs: Sendable {
        let user = IDAllocator()
        let barber = IDAllocator()
        let service = IDAllocator()
        let appointment = IDAllocator()
        let timeOff = IDAllocator()
        let waitlistEntry = IDAllocator()
        let walkIn = IDAllocator()
    }

    public init(journal: any ChangeJournal = MemoryJournal(), shards: Int = 16, clock: @escaping @Sendable () -> Instant) {
        self.journal = journal
        self.notifications = NotificationJournal(journal: journal, clock: clock)
        self.router = CalendarRouter(shardCount: shards)
        self.index = AppointmentIndex(shardCount: shards)
        self.directory = ShopDirectory(journal: journal, notifications: notifications, router: router, index: index)
        self.clock = clock
        self.waitlist = WaitlistActor(journal: notifications)
        self.ids = IDs()
    }

    public var catalog: ShopCatalog { directory.catalog }

    /// Commits on the directory and waits for durability.
    func commitShopWide<Value: Sendable>(_ decide: @Sendable (ShopRegistry) -> Result<([ShopChange], Value), BookingError>)
        async throws(BookingError) -> Value
    {
        let (value, lsn) = try await directory.commit(decide).get()
        await journal.waitUntilDurable(lsn)
        return value
    }

    /// `commitShopWide` for changes whose caller needs nothing back.
    func commitShopWide(_ decide: @Sendable (ShopRegistry) -> Result<[ShopChange], BookingError>) async throws(BookingError) {
        try await commitShopWide { registry in decide(registry).map { ($0, ()) } }
    }

    /// Commits on one calendar and waits for durability; returns the value `decide` gave with
    /// the change.
    func commit<Value: Sendable>(on barber: BarberID, _ decide: @Sendable (BarberCalendar) -> Result<(CalendarChange, Value), BookingError>)
        async throws(BookingError) -> Value
    {
        let (value, lsn) = try await calendarActor(barber).commit(decide).get()
        await journal.waitUntilDurable(lsn)
        return value
    }

    func calendarActor(_ barber: BarberID) throws(BookingError) -> CalendarActor {
        guard let actor = router.calendar(barber) else { throw .notFound("barber \(barber) not found") }
        return actor
    }

    // MARK: - Shop settings

    /// Applies `edit` to the settings and stores the result if it is valid.
    public func updateShop(_ edit: @escaping @Sendable (inout ShopSettings) -> Void) async throws(BookingError) -> ShopSettings {
        let settings = try await commitShopWide { registry -> Result<([ShopChange], ShopSettings), BookingError> in
            var settings = registry.settings
            edit(&settings)
            if let problem = settings.validate() { return .failure(problem) }
            return .success(([.registry(.settingsSet(settings))], settings))
        }
        await adoptShopTime()
        return settings
    }

    // MARK: - Users

    /// Creates a user with an already hashed password; 409 `email_taken` on a duplicate email.
    /// A client's registration instant is logged in the same record (their `created_at`).
    public func createUser(email: String, name: String, phone: String?, role: Role, passwordHash: String)
        async throws(BookingError) -> User
    {
        let user = User(
            id: ids.user.next(), email: User.normalizedEmail(email), name: name, role: role, phone: phone,
            passwordHash: passwordHash)
        let registered: [ShopChange] = role == .client ? [.clientRecord(.registered(client: user.id, at: clock()))] : []
        try await commitShopWide { registry in registry.decideCreateUser(user).map { [.registry($0)] + registered } }
        return user
    }

    /// The user `id`, read without a turn of the directory (`UserTable`).
    public func user(id: UserID) -> User? { directory.users.user(id) }
    public func user(email: String) async -> User? { await directory.user(email: email) }
}
