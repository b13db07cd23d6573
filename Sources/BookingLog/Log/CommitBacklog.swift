import BookingCore

/// What the writer thread took from the `CommitQueue` but cannot act on yet: records behind a
/// gap in the LSNs (an appender took its LSN but has not pushed its record yet), and waiters whose
/// LSN is not written or synced yet. Owned by the writer thread alone.
///
/// Invariants: `held` is sorted by LSN and starts above `nextLSN` (a record at `nextLSN` is
/// handed out at once); the records handed out are consecutive from the log's first LSN on,
/// stamped with times that never go back.
struct CommitBacklog {
    /// The LSN the next record written must have.
    private(set) var nextLSN: LSN
    private var held: [CommitQueue.Pending] = []
    private var waiting: [CommitQueue.Waiter] = []
    private var lastAppendedAt = Instant(seconds: .min)

    /// A backlog continuing a log whose newest record is `lastLSN`.
    init(after lastLSN: LSN) { nextLSN = lastLSN + 1 }

    /// Whether records wait behind a gap.
    var holdsRecords: Bool { !held.isEmpty }

    /// Whether waiters are still to be resumed.
    var holdsWaiters: Bool { !waiting.isEmpty }

    /// Adds `records` and returns the run that continues the file, in LSN order, each stamped
    /// no earlier than the record before it.
    mutating func continuing(with records: [CommitQueue.Pending]) -> [CommitQueue.Pending] {
        guard !records.isEmpty else { return [] }
        held.append(contentsOf: records)
        held.sort { $0.lsn < $1.lsn }
        var count = 0
        while count < held.count, held[count].lsn == nextLSN + LSN(count) { count += 1 }
        guard count > 0 else { return [] }
        var run = Array(held[..<count])
        held.removeFirst(count)
        nextLSN += LSN(count)
        for index in run.indices {
            lastAppendedAt = max(lastAppendedAt, run[index].appendedAt)
            run[index].appendedAt = lastAppendedAt
        }
        return run
    }

    /// Whether a waiter needs a sync of a record written by now (a flush in a mode that would
    /// not sync yet).
    func waitsForSync(through writtenLSN: LSN) -> Bool {
        waiting.contains { $0.needsSync && $0.lsn <= writtenLSN }
    }

    /// Adds `waiters` and removes and returns those that `writtenLSN` and `syncedLSN` cover.
    mutating func resumable(adding waiters: [CommitQueue.Waiter], writtenLSN: LSN, syncedLSN: LSN) -> [CommitQueue.Waiter] {
        waiting.append(contentsOf: waiters)
        var ready: [CommitQueue.Waiter] = []
        waiting.removeAll { waiter in
            let done = waiter.lsn <= (waiter.needsSync ? syncedLSN : writtenLSN)
            if done { ready.append(waiter) }
            return done
        }
        return ready
    }
}
