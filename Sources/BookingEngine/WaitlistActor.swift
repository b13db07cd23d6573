import BookingCore

/// The isolation domain of the waitlist: a thin shell that owns a `Waitlist`, apart from every
/// calendar and the directory, with a watermark of its own in state images (`StateImage`).
///
/// Why this is safe: the waitlist is only touched on this actor. Every change to it runs under
/// the engine's gate (`MoveGate`), one at a time: a change that is the waitlist's alone is
/// decided, applied and journaled in one turn here (`commit`); one that also takes or gives back
/// a calendar's time is decided and journaled in that calendar's turn and applied here
/// afterwards (`apply`), still under the gate, so no other waitlist decision and no capture sees
/// the calendar changed and the waitlist not yet.
public actor WaitlistActor {
    public private(set) var waitlist = Waitlist()
    private let journal: any ChangeJournal

    public init(journal: any ChangeJournal) { self.journal = journal }

    /// Decides a change of the waitlist alone and, if allowed, applies and journals it in one turn.
    public func commit(_ decide: @Sendable (Waitlist) -> Result<WaitlistChange, BookingError>)
        -> Result<(WaitlistEntry, LSN), BookingError>
    {
        decide(waitlist).map { change in
            waitlist.apply(change)
            return (waitlist.entries[change.entryID]!, journal.append([.waitlist(change)]))
        }
    }

    /// Applies the waitlist changes of a record a calendar journaled, and returns their events.
    public func apply(_ changes: [ShopChange]) -> [WaitlistEvent] {
        for case .waitlist(let change) in changes { waitlist.apply(change) }
        return waitlist.events(of: changes)
    }

    /// The waitlist and the journal's newest LSN, read in one turn (see `StateImage`).
    public func capture() -> (Waitlist, LSN) { (waitlist, journal.lastLSN) }

    /// Runs a read-only query against the waitlist.
    public func read<T: Sendable>(_ query: @Sendable (Waitlist) -> T) -> T { query(waitlist) }

    /// Replaces the waitlist by a recovered one, before the engine serves.
    func restore(_ recovered: Waitlist) { waitlist = recovered }
}
