import BookingCore

/// The isolation domain of the waitlist and the walk-in queue: a thin shell that owns a
/// `Waitlist` and a `WalkInQueue`, apart from every calendar and the directory, with a watermark
/// of its own in state images (`StateImage`).
///
/// Why this is safe: the waitlist is only touched on this actor. Every change to it runs under
/// the engine's gate (`MoveGate`), one at a time (so do the queue's): a change that is this actor's alone is
/// decided, applied and journaled in one turn here (`commit`); one that also takes or gives back
/// a calendar's time is decided and journaled in that calendar's turn and applied here
/// afterwards (`apply`), still under the gate, so no other waitlist decision and no capture sees
/// the calendar changed and the waitlist not yet.
public actor WaitlistActor {
    public private(set) var waitlist = Waitlist()
    public private(set) var walkIns = WalkInQueue()
    private let journal: NotificationJournal

    public init(journal: NotificationJournal) { self.journal = journal }

    /// Decides a change of the waitlist alone and, if allowed, applies and journals it in one
    /// turn. (A waitlist change of this actor's alone, an entry added or a waiting one cancelled,
    /// produces no event.)
    public func commit(_ decide: @Sendable (Waitlist) -> Result<WaitlistChange, BookingError>)
        -> Result<(WaitlistEntry, LSN), BookingError>
    {
        decide(waitlist).map { change in (waitlist.apply(change), journal.append([.waitlist(change)], events: [])) }
    }

    /// Decides a change of the queue alone and, if allowed, applies and journals it in one turn,
    /// with the board it leaves (`queue.updated`) in the same record. `calendars` are every
    /// barber's, read under the gate; the board is computed at `policy.now`.
    public func commit(
        queue decide: @Sendable (WalkInQueue) -> Result<QueueChange, BookingError>, calendars: [BarberCalendar],
        services: [ServiceID: Service], policy: BookingPolicy
    ) -> Result<(WalkIn, LSN), BookingError> {
        decide(walkIns).map { change in
            let events = RecordEvents(
                waitlist: waitlist,
                board: RecordEvents.BoardInputs(queue: walkIns, calendars: calendars, services: services, policy: policy))
            let walkIn = walkIns.apply(change)
            return (walkIn, journal.append([.queue(change)], events: events.drafts(of: [.queue(change)])))
        }
    }

    /// Applies the queue change of a record a calendar journaled, whose only waitlist or queue
    /// change it is; returns the walk-in as it leaves it.
    public func apply(queue change: QueueChange) -> WalkIn { walkIns.apply(change) }

    /// Applies the waitlist and queue changes of a record a calendar journaled (with their events).
    public func apply(_ changes: [ShopChange]) {
        for change in changes {
            switch change {
            case .waitlist(let change): waitlist.apply(change)
            case .queue(let change): walkIns.apply(change)
            case .registry, .calendar, .clientRecord, .notification: break
            }
        }
    }

    /// The waitlist, the queue and the journal's newest LSN, read in one turn (see `StateImage`).
    public func capture() -> (Waitlist, WalkInQueue, LSN) { (waitlist, walkIns, journal.lastLSN) }

    /// Runs a read-only query against the waitlist.
    public func read<T: Sendable>(_ query: @Sendable (Waitlist) -> T) -> T { query(waitlist) }

    /// Runs a read-only query against the queue.
    public func read<T: Sendable>(queue query: @Sendable (WalkInQueue) -> T) -> T { query(walkIns) }

    /// Replaces the waitlist and the queue by recovered ones, before the engine serves.
    func restore(_ recovered: Waitlist, _ queue: WalkInQueue) {
        waitlist = recovered
        walkIns = queue
    }
}
