import BookingCore
import Synchronization

/// Where applied changes go to become durable: the seam between the in-memory state and a
/// write-ahead log.
///
/// Protocol of use: an isolation domain applies a change and, in the same turn, calls `append`
/// (which must neither block nor suspend), so the journal's order is the order changes were
/// applied in for that domain. It then leaves the turn and awaits `waitUntilDurable` before
/// answering the request.
public protocol ChangeJournal: Sendable {
    /// Queues one record (the changes of one request, replayed all-or-nothing) and returns its LSN.
    func append(_ changes: [ShopChange]) -> LSN
    /// Returns once the record at `lsn` and every earlier one are as durable as the journal promises.
    /// A journal that cannot make a record durable stops the process; it never reports failure here.
    func waitUntilDurable(_ lsn: LSN) async
    /// The LSN of the newest appended record.
    var lastLSN: LSN { get }
}

/// A journal that keeps nothing: numbers records and promises nothing beyond memory.
/// The state is lost at exit: this is the engine without a write-ahead log.
public final class MemoryJournal: ChangeJournal {
    private let counter = Atomic<LSN>(0)

    public init() {}

    public func append(_ changes: [ShopChange]) -> LSN { counter.wrappingAdd(1, ordering: .relaxed).newValue }
    public func waitUntilDurable(_ lsn: LSN) async {}
    public var lastLSN: LSN { counter.load(ordering: .relaxed) }
}
