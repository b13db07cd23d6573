import BookingCore

/// The state the appenders and the writer thread share, kept in `LogWriter`'s mutex: records
/// waiting to be written, how far writing and syncing got, and who waits for what.
///
/// Invariants: `pending` holds consecutive LSNs ending at `lastLSN`, and the records before it
/// were already handed to the writer, so LSN order is queue order is file order; `appendedAt`
/// never decreases along LSNs; `syncedLSN <= writtenLSN <= lastLSN`; a waiter is resumed exactly
/// once, only when its condition holds (its LSN written, or synced if it needs the sync).
struct CommitQueue {
    /// A record with its LSN, time and encoded payload, framed by the writer.
    struct Pending {
        var lsn: LSN
        var appendedAt: Instant
        var payload: [UInt8]
    }

    /// What the writer takes in one turn.
    struct Work {
        var records: [Pending]
        /// Someone called `flush` or `close`: sync even if the mode would not.
        var syncRequested: Bool
        /// `close` was called: this is the last turn.
        var closing: Bool
    }

    private struct Waiter {
        var lsn: LSN
        var needsSync: Bool
        var continuation: CheckedContinuation<Void, Never>
    }

    private(set) var lastLSN: LSN
    private var lastAppendedAt = Instant(seconds: .min)
    private(set) var writtenLSN: LSN
    private(set) var syncedLSN: LSN
    private(set) var statistics = LogWriter.Statistics()
    private var pending: [Pending] = []
    private var waiters: [Waiter] = []
    private var closeWaiters: [CheckedContinuation<Void, Never>] = []
    private var syncRequested = false
    private var closing = false
    private var closed = false
    /// The writer found nothing to do and waits for a wake-up signal.
    private var writerIdle = false

    /// A queue continuing a log whose newest durable record is `lastLSN`, after opening it
    /// created `segmentsCreated` segments.
    init(lastLSN: LSN, segmentsCreated: Int) {
        self.lastLSN = lastLSN
        self.writtenLSN = lastLSN
        self.syncedLSN = lastLSN
        statistics.writtenLSN = lastLSN
        statistics.syncedLSN = lastLSN
        statistics.segmentsCreated = segmentsCreated
    }

    /// Assigns the next LSN to `payload` and queues it, stamped `now` (or the previous record's
    /// time if the clock went back). Returns the LSN and whether the writer must be signalled.
    mutating func enqueue(_ payload: [UInt8], now: Instant) -> (lsn: LSN, wakeWriter: Bool) {
        precondition(!closing, "append after the log was closed")
        lastLSN += 1
        lastAppendedAt = max(lastAppendedAt, now)
        pending.append(Pending(lsn: lastLSN, appendedAt: lastAppendedAt, payload: payload))
        statistics.appends += 1
        return (lastLSN, takeWakeUp())
    }

    /// Registers a wait for `lsn` to be written, or synced if `needsSync`; returns false when
    /// that already holds and the caller must resume `continuation` itself.
    mutating func wait(for lsn: LSN, needsSync: Bool, continuation: CheckedContinuation<Void, Never>) -> Bool {
        if lsn <= (needsSync ? syncedLSN : writtenLSN) { return false }
        waiters.append(Waiter(lsn: lsn, needsSync: needsSync, continuation: continuation))
        return true
    }

    /// Asks the writer for a sync even in a mode that would not do one now. Returns whether the
    /// writer must be signalled.
    mutating func requestSync() -> Bool {
        syncRequested = true
        return takeWakeUp()
    }

    /// Starts closing; `continuation` resumes once the writer synced everything and stopped.
    /// Returns whether the writer must be signalled, or nil if it already stopped and the caller
    /// must resume `continuation` itself.
    mutating func close(continuation: CheckedContinuation<Void, Never>) -> Bool? {
        if closed { return nil }
        closing = true
        closeWaiters.append(continuation)
        return takeWakeUp()
    }

    /// Everything queued, or nil (and the writer counts as idle) when there is nothing to do.
    mutating func takeWork() -> Work? {
        guard !pending.isEmpty || syncRequested || closing else {
            writerIdle = true
            return nil
        }
        let work = Work(records: pending, syncRequested: syncRequested, closing: closing)
        pending = []
        syncRequested = false
        return work
    }

    /// Records that the writer wrote through `lsn`, having created `segmentsCreated` segments so
    /// far; returns the waiters to resume.
    mutating func didWrite(through lsn: LSN, batchSize: Int, segmentsCreated: Int) -> [CheckedContinuation<Void, Never>] {
        precondition(lsn > writtenLSN && lsn <= lastLSN, "written LSN \(lsn) out of order")
        writtenLSN = lsn
        statistics.writtenLSN = lsn
        statistics.lastBatchSize = batchSize
        statistics.segmentsCreated = segmentsCreated
        return resumable()
    }

    /// Records that an `fdatasync` made everything written durable; returns the waiters to resume.
    mutating func didSync(duration: Duration) -> [CheckedContinuation<Void, Never>] {
        syncedLSN = writtenLSN
        statistics.syncedLSN = writtenLSN
        statistics.fsyncs += 1
        statistics.lastFsyncDuration = duration
        return resumable()
    }

    /// Marks the writer stopped; returns everyone waiting for that.
    mutating func didClose() -> [CheckedContinuation<Void, Never>] {
        precondition(pending.isEmpty && waiters.isEmpty, "closed with records or waiters left")
        closed = true
        defer { closeWaiters = [] }
        return closeWaiters
    }

    private mutating func resumable() -> [CheckedContinuation<Void, Never>] {
        var ready: [CheckedContinuation<Void, Never>] = []
        waiters.removeAll { waiter in
            let done = waiter.lsn <= (waiter.needsSync ? syncedLSN : writtenLSN)
            if done { ready.append(waiter.continuation) }
            return done
        }
        return ready
    }

    private mutating func takeWakeUp() -> Bool {
        defer { writerIdle = false }
        return writerIdle
    }
}
