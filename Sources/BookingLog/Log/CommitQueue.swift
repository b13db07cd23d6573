import BookingCore
import BookingEngine
import Synchronization

/// What the appenders, the waiters and the writer thread share, without a lock: the LSN counter,
/// the records handed to the writer, how far writing and syncing got, and who waits for what.
///
/// An appender takes the next LSN from `counter` (one compare-and-exchange) and pushes its
/// record onto `records`; the two steps are not one, so the writer can find LSN n + 1 before n.
/// It therefore keeps what it took in a `CommitBacklog` and writes only the run that continues
/// the file; a gap closes as soon as its appender's push lands (between taking the LSN and pushing, it only encodes the
/// record, reads the clock and allocates the node; `NotificationJournal` also builds the events).
///
/// Invariants: LSNs are given once each, consecutively; the writer writes them in LSN order, so
/// LSN order is file order; `syncedLSN <= writtenLSN <= lastLSN`; a waiter is resumed exactly
/// once, only when its condition holds (its LSN written, or synced if it needs the sync).
///
/// Two orderings make it safe without a lock, both a store followed by a load of the other
/// side's store, all sequentially consistent:
/// - Wake-up: the writer sets `writerIdle`, then looks for work before it sleeps; whoever hands
///   it work (a record, a sync request, closing) publishes it, then takes `writerIdle` back and
///   signals if it was set. One of the two sees the other, so work never waits for a sleeper.
/// - Waits: the writer publishes `writtenLSN`/`syncedLSN`, then takes the waiters; a waiter
///   pushes itself, then reads them again and resumes itself if they already cover it. A
///   waiter the writer did not take is therefore one that sees the new LSN itself; `Waiter`'s
///   claim keeps the two from both resuming it.
final class CommitQueue: Sendable {
    /// A record with its LSN, time and encoded payload, framed by the writer.
    struct Pending: Sendable {
        var lsn: LSN
        var appendedAt: Instant
        var payload: [UInt8]
    }

    /// What the writer takes in one turn.
    struct Work {
        /// Records that continue the file, in LSN order.
        var records: [Pending]
        /// `close` was called: this is the last turn, and it syncs everything.
        var closing: Bool
    }

    /// A caller waiting for an LSN to be written or synced.
    final class Waiter: Sendable {
        let lsn: LSN
        let needsSync: Bool
        private let continuation: CheckedContinuation<Void, Never>
        private let claimed = Atomic(false)

        init(lsn: LSN, needsSync: Bool, continuation: CheckedContinuation<Void, Never>) {
            self.lsn = lsn
            self.needsSync = needsSync
            self.continuation = continuation
        }

        /// Resumes the caller unless someone already did.
        func resumeOnce() {
            if !claimed.exchange(true, ordering: .acquiringAndReleasing) { continuation.resume() }
        }
    }

    /// Gives the LSNs (and event numbers): its LSN is the newest given to a record, durable or not.
    let counter: JournalCounter
    private let written: Atomic<LSN>
    private let synced: Atomic<LSN>
    let records = HandoffStack<Pending>()
    let waiters = HandoffStack<Waiter>()
    private let writerIdle = Atomic(false)
    private let syncWanted = Atomic(false)
    private let closingFlag = Atomic(false)
    /// Touched by `close` and the writer's last turn only.
    private let closeWaiters = Mutex<(closed: Bool, continuations: [CheckedContinuation<Void, Never>])>((false, []))

    /// A queue continuing a log whose newest durable record is `lastLSN`.
    init(lastLSN: LSN) {
        counter = JournalCounter(lastLSN: lastLSN)
        written = Atomic(lastLSN)
        synced = Atomic(lastLSN)
    }

    var lastLSN: LSN { counter.lastLSN }
    var writtenLSN: LSN { written.load(ordering: .sequentiallyConsistent) }
    var syncedLSN: LSN { synced.load(ordering: .sequentiallyConsistent) }

    // MARK: - Appenders and waiters

    /// Hands `payload` to the writer under `lsn`, just taken from `counter`, stamped by `clock`
    /// (the writer keeps times from going back along LSNs). Returns whether the writer must be
    /// signalled.
    func enqueue(_ payload: [UInt8], at lsn: LSN, clock: () -> Instant) -> Bool {
        precondition(!closingFlag.load(ordering: .relaxed), "append after the log was closed")
        records.push(Pending(lsn: lsn, appendedAt: clock(), payload: payload))
        return takeWakeUp()
    }

    /// Whether the record at `lsn` is written, or synced if `needsSync`.
    func covers(_ lsn: LSN, needsSync: Bool) -> Bool { lsn <= (needsSync ? syncedLSN : writtenLSN) }

    /// Registers `continuation` to resume once `lsn` is written, or synced if `needsSync`, and
    /// resumes it at once if that holds already.
    func wait(for lsn: LSN, needsSync: Bool, continuation: CheckedContinuation<Void, Never>) {
        let waiter = Waiter(lsn: lsn, needsSync: needsSync, continuation: continuation)
        waiters.push(waiter)
        if covers(lsn, needsSync: needsSync) { waiter.resumeOnce() }
    }

    /// Asks the writer for a sync even in a mode that would not do one now: it takes the
    /// flush's waiter in and syncs once the flushed records are written
    /// (`CommitBacklog.waitsForSync`). Returns whether the writer must be signalled.
    func requestSync() -> Bool {
        syncWanted.store(true, ordering: .sequentiallyConsistent)
        return takeWakeUp()
    }

    /// Starts closing; `continuation` resumes once the writer synced everything and stopped.
    /// Returns whether the writer must be signalled, or nil if it already stopped and the caller
    /// must resume `continuation` itself.
    func close(continuation: CheckedContinuation<Void, Never>) -> Bool? {
        let closed = closeWaiters.withLock { state in
            if !state.closed { state.continuations.append(continuation) }
            return state.closed
        }
        if closed { return nil }
        closingFlag.store(true, ordering: .sequentiallyConsistent)
        return takeWakeUp()
    }

    private func takeWakeUp() -> Bool {
        writerIdle.load(ordering: .sequentiallyConsistent) && writerIdle.exchange(false, ordering: .sequentiallyConsistent)
    }

    // MARK: - The writer thread

    /// Takes what was handed over: the sync request, whether closing started, and the records
    /// pushed so far (read in that order, so a close sees every record appended before it).
    func takeHandover() -> (syncRequested: Bool, closing: Bool, records: [Pending]) {
        let closing = closingFlag.load(ordering: .sequentiallyConsistent)
        let syncRequested = syncWanted.exchange(false, ordering: .sequentiallyConsistent)
        return (syncRequested, closing, records.takeAll())
    }

    /// Whether the writer sleeps, or is about to, until work is handed over.
    var writerIsIdle: Bool { writerIdle.load(ordering: .sequentiallyConsistent) }

    /// Marks the writer idle unless work arrived meanwhile; returns whether it may sleep. When
    /// it returns true, whoever hands over work next signals the writer.
    func goIdle() -> Bool {
        writerIdle.store(true, ordering: .sequentiallyConsistent)
        let work =
            !records.isEmpty || syncWanted.load(ordering: .sequentiallyConsistent)
            || closingFlag.load(ordering: .sequentiallyConsistent)
        if work { writerIdle.store(false, ordering: .sequentiallyConsistent) }
        return !work
    }

    /// Publishes that the file holds every record through `lsn`.
    func didWrite(through lsn: LSN) { written.store(lsn, ordering: .sequentiallyConsistent) }

    /// Publishes that everything written is durable.
    func didSync(through lsn: LSN) { synced.store(lsn, ordering: .sequentiallyConsistent) }

    /// Marks the writer stopped; returns everyone waiting for that.
    func didClose() -> [CheckedContinuation<Void, Never>] {
        closeWaiters.withLock { state in
            state.closed = true
            defer { state.continuations = [] }
            return state.continuations
        }
    }
}
