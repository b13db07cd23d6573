import BookingCore
import Logging

/// Rebuilds the state from a data directory: the newest snapshot that verifies (falling back to
/// an older one), then every log record after it, each change applied only to the parts of the
/// snapshot that do not reflect it yet (`StateImage.replay`).
///
/// Read-only: used at start (before `LogWriter` repairs a torn tail) and by `bookedbarber replay`.
public struct StateRecovery: Sendable {
    /// Where to stop replaying; `.end` replays everything.
    public enum Limit: Sendable, Equatable {
        case end
        case lsn(LSN)
        case time(Instant)

        var allowsSnapshots: Bool {
            if case .time = self { return false }
            return true
        }
    }

    public struct Result: Sendable {
        public var image: StateImage
        /// The scan of the log after the snapshot, for `LogWriter(resuming:)`.
        public var scan: LogScan
        /// The LSN the loaded snapshot covers, nil when none was used.
        public var snapshotLSN: LSN?
        public var recordsReplayed: Int
        /// The LSN of the last record applied (or the snapshot's, when none was).
        public var lastLSN: LSN
    }

    public let directory: String
    public let fileSystem: any LogFileSystem

    public init(directory: String, fileSystem: any LogFileSystem = PosixFileSystem()) {
        self.directory = directory
        self.fileSystem = fileSystem
    }

    /// - Parameters:
    ///   - useSnapshots: false rebuilds from the log alone, which needs it to start at LSN 1.
    ///   - limit: replay up to and including this LSN or append time. A snapshot is used only if
    ///     it reflects nothing past an LSN limit; a time limit always replays the log alone
    ///     (snapshots carry no time).
    public func recover(useSnapshots: Bool = true, limit: Limit = .end, logger: Logger) throws -> Result {
        var image = StateImage()
        var snapshotLSN: LSN?
        let reader = LogReader(directory: directory, fileSystem: fileSystem)
        /// The scan of the log after the snapshot, started on another thread while this one
        /// decodes the snapshot (the header's LSN is the image's covered LSN).
        var early: ConcurrentWork<LogScan>?
        if useSnapshots, limit.allowsSnapshots,
            let snapshot = try SnapshotStore(directory: directory, fileSystem: fileSystem).loadNewest(logger: logger)
        {
            let started = ConcurrentWork { try reader.scan(after: snapshot.lsn) }
            early = started
            let loaded: StateImage
            do {
                loaded = try snapshot.image()
            } catch {
                _ = try? started.result()
                throw error
            }
            if case .lsn(let until) = limit, loaded.lastLSN > until {
                logger.info("snapshot is past the replay limit; replaying the log alone", metadata: ["lsn": "\(snapshot.lsn)"])
            } else {
                image = loaded
                snapshotLSN = snapshot.lsn
                logger.info("loaded snapshot", metadata: ["lsn": "\(snapshot.lsn)", "bytes": "\(snapshot.header.compressedLength)"])
            }
        }
        let scan: LogScan
        if let early, snapshotLSN != nil, snapshotLSN == image.coveredLSN {
            scan = try early.result()
        } else {
            _ = try? early?.result()
            scan = try reader.scan(after: image.coveredLSN)
        }
        if let torn = scan.tornTail {
            logger.warning("torn tail in the log", metadata: ["file": "\(torn.path)", "offset": "\(torn.offset)",
                                                              "dropped_bytes": "\(torn.droppedBytes)", "reason": "\(torn.reason)"])
        }
        var replayed = 0
        var last = snapshotLSN ?? 0
        for record in scan.records {
            switch limit {
            case .end: break
            case .lsn(let limit) where record.lsn > limit: return Result(
                image: image, scan: scan, snapshotLSN: snapshotLSN, recordsReplayed: replayed, lastLSN: last)
            case .time(let limit) where record.appendedAt > limit: return Result(
                image: image, scan: scan, snapshotLSN: snapshotLSN, recordsReplayed: replayed, lastLSN: last)
            default: break
            }
            image.replay(try record.changes(), lsn: record.lsn)
            replayed += 1
            last = record.lsn
        }
        return Result(image: image, scan: scan, snapshotLSN: snapshotLSN, recordsReplayed: replayed, lastLSN: max(last, scan.lastLSN))
    }
}
