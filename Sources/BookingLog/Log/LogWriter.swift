import BookingCore
import BookingEngine
import Dispatch
import Foundation
import Logging
import Synchronization

/// The write-ahead log's writer: a `ChangeJournal` that makes records durable with group commit.
///
/// `append` encodes the changes, takes the next LSN with one atomic add and hands the record to
/// the writer thread through a lock-free stack (`CommitQueue`); it never waits for I/O or for a
/// lock. One thread owns the files: it takes everything handed over, writes the run that
/// continues the file in LSN order with one `write`, calls `fdatasync` once (in `.always`
/// mode), then resumes every waiter that this covers. Requests that arrive during a sync are
/// the next batch, so under load one sync covers many records.
///
/// A failed `write` or `fdatasync` is never retried (after a failed `fdatasync` the kernel may
/// have dropped the dirty pages, so a retry could report success for lost data): the writer logs
/// why and calls `fatal`, which stops the process. Waiters of the failed batch never resume.
///
/// The writer is a dedicated thread, not a task: its blocking system calls would otherwise hold
/// one of the few threads that run every task. Why the shared state is safe: appenders and
/// waiters share only `queue`'s atomics and lock-free stacks (see `CommitQueue` for the two
/// orderings that make that enough); the files, the `CommitBacklog` and the statistics' writes
/// belong to the writer thread.
///
///     let scan = try LogReader(directory: dir).scan(after: snapshotLSN)
///     // … apply scan.records …
///     let log = try LogWriter(directory: dir, resuming: scan, logger: logger)
///     let lsn = log.append(changes)        // inside the actor turn that applied them
///     await log.waitUntilDurable(lsn)      // before answering
///     await log.close()                    // at shutdown, after the last append
public final class LogWriter: ChangeJournal {
    /// Stops the process after a failed write or sync: the default prints `message` to standard
    /// error and exits with status 70 (`EX_SOFTWARE`).
    public static let exitProcess: @Sendable (String) -> Never = { message in
        FileHandle.standardError.write(Data("fatal: \(message)\n".utf8))
        exit(70)
    }

    public let configuration: Configuration
    /// Internal, not private: tests watch the writer take records and go idle.
    let queue: CommitQueue
    /// The LSN the log ended at when it opened (for `Statistics.appends`).
    private let openedAtLSN: LSN
    /// Written by the writer thread, read by metrics; never taken on the way of a record.
    private let writerStatistics: Mutex<Statistics>
    /// Signalled when work arrives for an idle writer; see `CommitQueue.goIdle`.
    private let wakeUp = DispatchSemaphore(value: 0)
    private let logger: Logger
    private let fatal: @Sendable (String) -> Never
    private let fsyncObserver: @Sendable (Duration, Int) -> Void
    private let clock: @Sendable () -> Instant

    /// Opens the log in `directory` where `scan` (of the same directory, just before) found it
    /// ends, repairing a torn tail first, and starts the writer thread. The next LSN is
    /// `scan.lastLSN + 1`.
    ///
    /// - Parameters:
    ///   - clock: the time each record is stamped with (`LogRecord.appendedAt`).
    ///   - fatal: called on the writer thread when a write or sync fails; must not return.
    ///   - fsyncObserver: called on the writer thread after each commit `fdatasync` with its
    ///     duration and the number of records it made durable (for a latency histogram).
    public init(
        directory: String, fileSystem: any LogFileSystem = PosixFileSystem(), resuming scan: LogScan,
        configuration: Configuration = Configuration(), logger: Logger,
        clock: @escaping @Sendable () -> Instant = { Instant(Date()) },
        fatal: @escaping @Sendable (String) -> Never = LogWriter.exitProcess,
        fsyncObserver: @escaping @Sendable (Duration, Int) -> Void = { _, _ in }
    ) throws {
        let appender = try SegmentAppender(
            directory: directory, fileSystem: fileSystem, maximumSize: configuration.maximumSegmentSize, resuming: scan,
            logger: logger)
        self.configuration = configuration
        self.queue = CommitQueue(lastLSN: scan.lastLSN)
        self.openedAtLSN = scan.lastLSN
        var statistics = Statistics()
        statistics.writtenLSN = scan.lastLSN
        statistics.syncedLSN = scan.lastLSN
        statistics.segmentsCreated = appender.segmentsCreated
        self.writerStatistics = Mutex(statistics)
        self.logger = logger
        self.fatal = fatal
        self.fsyncObserver = fsyncObserver
        self.clock = clock
        // Named from inside: on Linux, Foundation applies a name given before `start` to the
        // `Thread` object only, and the thread would show as its creator (a Swift pool thread) in
        // `ps -L`, `top -H` and `perf`.
        let thread = Thread { [self] in
            Thread.current.name = "wal-writer"
            run(appender)
        }
        thread.start()
    }

    /// Gives the LSNs: the newest is that of the newest appended record, written or not.
    public var counter: JournalCounter { queue.counter }

    /// Encodes `changes` as one record and queues it under `lsn`, without waiting for I/O.
    public func append(_ changes: [ShopChange], at lsn: LSN) {
        enqueue(LogRecord.changesPayload(changes), at: lsn)
    }

    /// Encodes `changes` as one record, then queues it under the next LSN: the encoding is
    /// done before the LSN is taken, so records after it do not wait for the encoding.
    public func append(_ changes: [ShopChange]) -> LSN {
        let payload = LogRecord.changesPayload(changes)
        let lsn = counter.next().lsn
        enqueue(payload, at: lsn)
        return lsn
    }

    /// Hands an encoded record to the writer thread, waking it if it sleeps.
    private func enqueue(_ payload: [UInt8], at lsn: LSN) {
        if queue.enqueue(payload, at: lsn, clock: clock) { wakeUp.signal() }
    }

    /// Returns once the record at `lsn` is written (`.everySecond`, `.off`) or written and synced
    /// (`.always`). Never returns if the log fails first: the process stops instead.
    public func waitUntilDurable(_ lsn: LSN) async {
        await wait(for: lsn, needsSync: configuration.fsync == .always)
    }

    /// Returns once every record appended before the call is written and synced, whatever the
    /// mode: for a snapshot, which must never cover records the log could lose.
    public func flush() async {
        await wait(for: lastLSN, needsSync: true)
    }

    /// Writes and syncs everything appended, closes the segment and stops the writer thread.
    /// Appending afterwards is a programming error; call it once nothing appends any more.
    public func close() async {
        await withCheckedContinuation { continuation in
            switch queue.close(continuation: continuation) {
            case nil: continuation.resume()
            case true?: wakeUp.signal()
            case false?: break
            }
        }
    }

    /// Counters for metrics, consistent with each other (`appends` may count records the others
    /// do not cover yet).
    public var statistics: Statistics {
        var statistics = writerStatistics.withLock { $0 }
        statistics.appends = Int(queue.lastLSN - openedAtLSN)
        return statistics
    }

    /// Returns at once if `lsn` is covered; otherwise registers the wait (see `CommitQueue` for
    /// why a wait registered while the writer moves on is still resumed).
    private func wait(for lsn: LSN, needsSync: Bool) async {
        precondition(lsn <= queue.lastLSN, "waiting for LSN \(lsn), which was never appended")
        if queue.covers(lsn, needsSync: needsSync) { return }
        await withCheckedContinuation { continuation in
            queue.wait(for: lsn, needsSync: needsSync, continuation: continuation)
            if needsSync && configuration.fsync != .always && queue.requestSync() { wakeUp.signal() }
        }
    }

    // MARK: - The writer thread

    private func run(_ appender: SegmentAppender) {
        let monotonic = ContinuousClock()
        var lastSync = monotonic.now
        // Not `queue.lastLSN`: appenders may have taken LSNs before this thread ran.
        var backlog = CommitBacklog(after: openedAtLSN)
        var (written, synced) = (openedAtLSN, openedAtLSN)
        /// Takes in the waiters handed over and resumes those that `written` and `synced` cover
        /// (both already published: see `CommitQueue`).
        func resumeWaiters() {
            let ready = backlog.resumable(adding: queue.waiters.takeAll(), writtenLSN: written, syncedLSN: synced)
            ready.forEach { $0.resumeOnce() }
        }
        while true {
            let work = nextWork(&backlog, unsynced: written > synced, lastSync: lastSync, monotonic: monotonic)
            if let newest = work.records.last {
                do {
                    try appender.write(work.records)
                } catch {
                    stop("writing records \(work.records[0].lsn)...\(newest.lsn)", error)
                }
                written = newest.lsn
                // The statistics first, so that a caller resumed for an LSN sees it counted.
                writerStatistics.withLock { statistics in
                    statistics.writtenLSN = written
                    statistics.lastBatchSize = work.records.count
                    statistics.segmentsCreated = appender.segmentsCreated
                }
                queue.didWrite(through: written)
            }
            // Also takes in the waiters of a flush, which registered before it asked for the sync below.
            resumeWaiters()
            let due =
                switch configuration.fsync {
                case .always: true
                case .everySecond: lastSync.duration(to: monotonic.now) >= configuration.syncInterval
                case .off: false
                }
            if written > synced, due || work.closing || backlog.waitsForSync(through: written) {
                let start = monotonic.now
                do {
                    try appender.syncData()
                } catch {
                    stop("syncing records up to \(written)", error)
                }
                lastSync = monotonic.now
                let duration = start.duration(to: lastSync)
                let count = Int(written - synced)
                synced = written
                writerStatistics.withLock { statistics in
                    statistics.syncedLSN = synced
                    statistics.fsyncs += 1
                    statistics.lastFsyncDuration = duration
                }
                queue.didSync(through: synced)
                // Acknowledgements before the observer: the metrics never delay an answer.
                resumeWaiters()
                fsyncObserver(duration, count)
            }
            if work.closing {
                // No records are held: `nextWork` refuses a close behind a gap.
                precondition(!backlog.holdsWaiters, "closed with waiters left")
                appender.close()
                queue.didClose().forEach { $0.resume() }
                return
            }
        }
    }

    /// Blocks until there is work: records that continue the file, a sync request or closing; in
    /// `.everySecond` mode, also returns empty work once written records have waited a whole
    /// sync interval.
    private func nextWork(
        _ backlog: inout CommitBacklog, unsynced: Bool, lastSync: ContinuousClock.Instant, monotonic: ContinuousClock
    ) -> CommitQueue.Work {
        while true {
            let handover = queue.takeHandover()
            let records = backlog.continuing(with: handover.records)
            if !records.isEmpty || handover.syncRequested || handover.closing {
                precondition(!handover.closing || !backlog.holdsRecords, "closing with a gap in the LSNs")
                return CommitQueue.Work(records: records, closing: handover.closing)
            }
            guard queue.goIdle() else { continue }
            guard configuration.fsync == .everySecond, unsynced else {
                wakeUp.wait()
                continue
            }
            let remaining = monotonic.now.duration(to: lastSync.advanced(by: configuration.syncInterval))
            if remaining <= .zero { return CommitQueue.Work(records: [], closing: false) }
            let (seconds, attoseconds) = remaining.components
            _ = wakeUp.wait(timeout: .now() + .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)))
        }
    }

    /// Logs why the log cannot go on and stops the process.
    private func stop(_ action: String, _ error: any Error) -> Never {
        let message = "write-ahead log failed \(action): \(error); stopping, since a change could be acknowledged and lost"
        logger.critical("\(message)")
        fatal(message)
    }
}
