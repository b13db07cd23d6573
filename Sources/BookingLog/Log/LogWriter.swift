import BookingCore
import BookingEngine
import Dispatch
import Foundation
import Logging
import Synchronization

/// The write-ahead log's writer: a `ChangeJournal` that makes records durable with group commit.
///
/// `append` encodes the changes, then in one critical section assigns the next LSN and queues
/// the record, so LSN order is queue order is file order; it never waits for I/O. One thread
/// owns the files: it takes everything queued, writes it with one `write`, calls `fdatasync` once
/// (in `.always` mode), then resumes every waiter that this covers. Requests that arrive during a
/// sync are the next batch, so under load one sync covers many records.
///
/// A failed `write` or `fdatasync` is never retried (after a failed `fdatasync` the kernel may
/// have dropped the dirty pages, so a retry could report success for lost data): the writer logs
/// why and calls `fatal`, which stops the process. Waiters of the failed batch never resume.
///
/// The writer is a dedicated thread, not a task: its blocking system calls would otherwise hold
/// one of the few threads that run every task. Why the shared state is safe: all of it is in
/// `queue`, behind a mutex; the files are touched only by the writer thread.
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
    private let queue: Mutex<CommitQueue>
    /// Signalled when work arrives for an idle writer; see `CommitQueue.takeWakeUp`.
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
        self.queue = Mutex(CommitQueue(lastLSN: scan.lastLSN, segmentsCreated: appender.segmentsCreated))
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

    /// Encodes `changes` as one record and queues it under the next LSN, without waiting for I/O.
    public func append(_ changes: [ShopChange]) -> LSN {
        let payload = LogRecord.changesPayload(changes)
        let (lsn, wake) = queue.withLock { $0.enqueue(payload, now: clock()) }
        if wake { wakeUp.signal() }
        return lsn
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
            switch queue.withLock({ $0.close(continuation: continuation) }) {
            case nil: continuation.resume()
            case true?: wakeUp.signal()
            case false?: break
            }
        }
    }

    /// The LSN of the newest appended record, written or not.
    public var lastLSN: LSN { queue.withLock { $0.lastLSN } }

    /// Counters for metrics, consistent with each other.
    public var statistics: Statistics { queue.withLock { $0.statistics } }

    /// One turn of the queue's lock: the check that `lsn` is already durable and the registration
    /// of the wait happen together.
    private func wait(for lsn: LSN, needsSync: Bool) async {
        await withCheckedContinuation { continuation in
            let (waiting, wake) = queue.withLock { queue in
                precondition(lsn <= queue.lastLSN, "waiting for LSN \(lsn), which was never appended")
                let waiting = queue.wait(for: lsn, needsSync: needsSync, continuation: continuation)
                return (waiting, waiting && needsSync && configuration.fsync != .always ? queue.requestSync() : false)
            }
            if !waiting { continuation.resume() }
            if wake { wakeUp.signal() }
        }
    }

    // MARK: - The writer thread

    private func run(_ appender: SegmentAppender) {
        let monotonic = ContinuousClock()
        var lastSync = monotonic.now
        while true {
            let work = nextWork(lastSync: lastSync, monotonic: monotonic)
            if let newest = work.records.last {
                do {
                    try appender.write(work.records)
                } catch {
                    stop("writing records \(work.records[0].lsn)...\(newest.lsn)", error)
                }
                let ready = queue.withLock {
                    $0.didWrite(through: newest.lsn, batchSize: work.records.count, segmentsCreated: appender.segmentsCreated)
                }
                ready.forEach { $0.resume() }
            }
            let (written, synced) = queue.withLock { ($0.writtenLSN, $0.syncedLSN) }
            let due =
                switch configuration.fsync {
                case .always: true
                case .everySecond: lastSync.duration(to: monotonic.now) >= configuration.syncInterval
                case .off: false
                }
            if written > synced, due || work.syncRequested || work.closing {
                let start = monotonic.now
                do {
                    try appender.syncData()
                } catch {
                    stop("syncing records up to \(written)", error)
                }
                lastSync = monotonic.now
                let duration = start.duration(to: lastSync)
                let ready = queue.withLock { $0.didSync(duration: duration) }
                // Acknowledgements first: the observer (metrics) never delays an answer.
                ready.forEach { $0.resume() }
                fsyncObserver(duration, Int(written - synced))
            }
            if work.closing {
                appender.close()
                queue.withLock { $0.didClose() }.forEach { $0.resume() }
                return
            }
        }
    }

    /// Blocks until there is work; in `.everySecond` mode, also returns empty work once written
    /// records have waited a whole sync interval.
    private func nextWork(lastSync: ContinuousClock.Instant, monotonic: ContinuousClock) -> CommitQueue.Work {
        while true {
            let (work, unsynced) = queue.withLock { ($0.takeWork(), $0.writtenLSN > $0.syncedLSN) }
            if let work { return work }
            guard configuration.fsync == .everySecond, unsynced else {
                wakeUp.wait()
                continue
            }
            let remaining = monotonic.now.duration(to: lastSync.advanced(by: configuration.syncInterval))
            if remaining <= .zero { return CommitQueue.Work(records: [], syncRequested: false, closing: false) }
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
