import BookedBarberHTTP
import BookingCore
import BookingEngine
import BookingLog
import Dispatch
import Logging
import Synchronization

/// Takes snapshots of the running engine: every `everyRecords` records or every `interval` (if
/// anything changed), and once more at shutdown.
///
/// A snapshot never stops request handling: the state is captured part by part, each actor
/// handing over its value in one short turn (`ShopEngine.capture`); encoding, compressing and
/// writing run on `Offload.compute`, off the threads that serve requests. The log is
/// flushed first, so a snapshot never reflects a change whose record could still be lost.
/// After a snapshot the two newest are kept, and log segments covered by the older of the two
/// are deleted, so falling back to it still finds every record it needs.
final class Snapshotter: Sendable {
    struct Taken: Sendable {
        var lsn: LSN
        var bytes: Int
        var duration: Duration
    }

    private let engine: ShopEngine
    private let writer: LogWriter
    private let store: SnapshotStore
    private let directory: String
    private let policy: ServerConfiguration.Durability
    private let logger: Logger
    private let metrics: ServerMetrics
    private let clock: @Sendable () -> Instant
    /// The LSN the last snapshot reflects and when it was written, by the injected clock.
    private let last: Mutex<(lsn: LSN, at: Instant)>

    init(engine: ShopEngine, writer: LogWriter, directory: String, fileSystem: any LogFileSystem,
         policy: ServerConfiguration.Durability, startLSN: LSN, clock: @escaping @Sendable () -> Instant,
         logger: Logger, metrics: ServerMetrics) {
        self.engine = engine
        self.writer = writer
        self.store = SnapshotStore(directory: directory, fileSystem: fileSystem)
        self.directory = directory
        self.policy = policy
        self.logger = logger
        self.metrics = metrics
        self.clock = clock
        self.last = Mutex((startLSN, clock()))
    }

    var isDue: Bool {
        let (lsn, at) = last.withLock { $0 }
        let pending = writer.lastLSN - lsn
        return pending >= policy.snapshotEveryRecords || (pending > 0 && clock().seconds - at.seconds >= policy.snapshotInterval.components.seconds)
    }

    var hasNewRecords: Bool { writer.lastLSN > last.withLock { $0.lsn } }

    /// Captures, writes and prunes. A failed snapshot is logged and leaves the log untouched:
    /// the log alone still holds every change.
    @discardableResult
    func take() async -> Taken? {
        let started = ContinuousClock.now
        let image = await engine.capture()
        await writer.flush()
        let store = store
        let directory = directory
        do {
            let bytes = try await offload(.compute) { () throws -> Int in
                let payload = SnapshotPayload.encode(image)
                let path = try store.write(payload, lsn: image.coveredLSN)
                _ = try store.removeOldSnapshots(keeping: 2)
                if let oldestKept = try store.snapshotLSNs().min() {
                    try LogRetention.removeSegments(in: directory, fileSystem: store.fileSystem, coveredThrough: oldestKept)
                }
                return try store.fileSystem.fileSize(path)
            }
            let taken = Taken(lsn: image.coveredLSN, bytes: bytes, duration: ContinuousClock.now - started)
            last.withLock { $0 = (image.lastLSN, clock()) }
            metrics.snapshotWritten(bytes: taken.bytes, duration: taken.duration)
            logger.info(
                "snapshot written",
                metadata: ["lsn": "\(taken.lsn)", "bytes": "\(taken.bytes)", "duration": "\(taken.duration)"])
            return taken
        } catch {
            logger.error("snapshot failed; the log still holds every change", metadata: ["error": "\(error)"])
            return nil
        }
    }

}
