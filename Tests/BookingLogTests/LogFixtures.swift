import BookingCore
import BookingLog
import Foundation
import Logging
import Synchronization
import TestSupport

/// Shared helpers: sample changes, a written log, a fatal handler that records and parks its
/// thread, and polling. (The recording logger and `Shared` are TestSupport's.)
enum LogFixtures {
    static let directory = "/data"

    /// A record's changes, distinct for each `(writer, index)` and of varying size.
    static func changes(writer: Int = 0, index: Int) -> [ShopChange] {
        let service = Service(
            id: writer * 10_000 + index, name: "cut \(writer)-\(index)" + String(repeating: "·", count: index % 13),
            durationMinutes: 15 + index % 60, priceCents: 100 * index, isActive: index % 2 == 0, barberIDs: nil)
        return [.registry(.serviceSaved(service))] + (index % 3 == 0 ? [.registry(.barberAdded(id: index + 1, userID: nil))] : [])
    }

    /// Which `(writer, index)` a record made by `changes(writer:index:)` came from.
    static func origin(of changes: [ShopChange]) -> (writer: Int, index: Int)? {
        guard case .registry(.serviceSaved(let service)) = changes.first else { return nil }
        let (writer, index) = (service.id / 10_000, service.id % 10_000)
        return changes == Self.changes(writer: writer, index: index) ? (writer, index) : nil
    }

    static let quietLogger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    /// The time `writeLog` stamps its records with.
    static let appendedAt = Instant(seconds: 1_800_000_000)

    /// Writes `count` records with `changes(index:)` (LSN = index + 1) into `directory` of
    /// `fileSystem` and closes the log; returns them as a reader should see them.
    @discardableResult
    static func writeLog(
        count: Int, on fileSystem: any LogFileSystem, directory: String = directory, maximumSegmentSize: Int = 64 << 20
    ) async throws -> [LogRecord] {
        let scan = try LogReader(directory: directory, fileSystem: fileSystem).scan()
        let writer = try LogWriter(
            directory: directory, fileSystem: fileSystem, resuming: scan,
            configuration: .init(fsync: .always, maximumSegmentSize: maximumSegmentSize), logger: quietLogger,
            clock: { appendedAt })
        var records: [LogRecord] = []
        for index in 0..<count {
            let changes = changes(index: Int(scan.lastLSN) + index)
            let lsn = writer.append(changes)
            records.append(
                LogRecord(lsn: lsn, appendedAt: appendedAt, type: .written, payload: LogRecord.changesPayload(changes)))
        }
        await writer.close()
        return records
    }

    /// The segment files of `directory`, by first LSN (names sort so).
    static func segmentPaths(_ fileSystem: any LogFileSystem, directory: String = directory) throws -> [String] {
        try fileSystem.listDirectory(directory).filter { $0.hasPrefix("wal-") }.sorted().map { directory + "/" + $0 }
    }
}

/// A `fatal` handler for tests: records the message, then parks the calling thread (the log's
/// writer thread) forever instead of exiting, so the test can observe what happened.
final class FatalRecorder: Sendable {
    private let messages = Mutex<[String]>([])

    var recorded: [String] { messages.withLock { $0 } }

    var handler: @Sendable (String) -> Never {
        { message in
            self.messages.withLock { $0.append(message) }
            let never = DispatchSemaphore(value: 0)
            while true { never.wait() }
        }
    }
}
