import BookingCore

/// Where applied changes go to become durable: the seam between the in-memory state and a
/// write-ahead log.
///
/// Protocol of use: an isolation domain applies a change and, in the same turn, calls `append`
/// (which must neither block nor suspend), so the journal's order is the order changes were
/// applied in for that domain. It then leaves the turn and awaits `waitUntilDurable` before
/// answering the request. A caller that numbers events takes the LSN from `counter` itself
/// and hands the record over with `append(_:at:)` right after (`NotificationJournal`).
public protocol ChangeJournal: Sendable {
    /// Gives the LSNs (and the event numbers that must follow them).
    var counter: JournalCounter { get }
    /// Queues one record (the changes of one request, replayed all-or-nothing) under `lsn`,
    /// just taken from `counter`. Each LSN taken must be appended, once, and without delay:
    /// records after a missing one wait for it.
    func append(_ changes: [ShopChange], at lsn: LSN)
    /// Queues one record under the next LSN and returns that LSN (by default: takes the LSN,
    /// then `append(_:at:)`; a journal may do its work before taking it, to keep the gap short).
    func append(_ changes: [ShopChange]) -> LSN
    /// Returns once the record at `lsn` and every earlier one are as durable as the journal promises.
    /// A journal that cannot make a record durable stops the process; it never reports failure here.
    func waitUntilDurable(_ lsn: LSN) async
}

extension ChangeJournal {
    public func append(_ changes: [ShopChange]) -> LSN {
        let lsn = counter.next().lsn
        append(changes, at: lsn)
        return lsn
    }

    /// The LSN of the newest appended record.
    public var lastLSN: LSN { counter.lastLSN }
}

/// A journal that keeps nothing: numbers records and promises nothing beyond memory.
/// The state is lost at exit: this is the engine without a write-ahead log.
public final class MemoryJournal: ChangeJournal {
    public let counter = JournalCounter()

    public init() {}

    public func append(_ changes: [ShopChange], at lsn: LSN) {}
    public func waitUntilDurable(_ lsn: LSN) async {}
}
