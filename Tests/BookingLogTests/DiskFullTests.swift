import BookingCore
import Glibc
import TestSupport
import Testing

@testable import BookingLog

/// A full or failing disk, through the simulated file system: the space reserve's sizes, the
/// writer's fail-stop on ENOSPC, EIO and a failed fsync (never a retry, every acknowledged
/// record there after restart), and a snapshot that cannot be written.
struct DiskFullTests {
    let directory = LogFixtures.directory

    @Test(arguments: [
        ("256MiB", 256 << 20), ("1GiB", 1 << 30), ("512 KiB", 512 << 10), ("2tib", 2 << 40), ("100B", 100),
        ("1048576", 1 << 20), ("0", 0), (" 3MiB ", 3 << 20),
    ])
    func reserveSizesParse(text: String, bytes: Int) throws {
        #expect(SpaceReserve(parsing: text) == SpaceReserve(bytes: bytes))
    }

    @Test(arguments: ["", "MiB", "-1", "1.5GiB", "12MB", "abc", "٣MiB", "9999999TiB", "1 GiB extra"])
    func reserveRefusesWhatIsNotASize(text: String) {
        #expect(SpaceReserve(parsing: text) == nil)
    }

    @Test func reserveIsShortOnlyBelowItsSize() {
        let reserve = SpaceReserve(bytes: 1000)
        #expect(reserve.isShort(availableBytes: 999))
        #expect(!reserve.isShort(availableBytes: 1000))
        #expect(SpaceReserve.default.description == "256MiB")
        #expect(SpaceReserve(bytes: 1500).description == "1500B")
        #expect(SpaceReserve(bytes: 0).description == "0B")
    }

    @Test func simulatedDiskReportsWhatIsLeft() throws {
        let fileSystem = SimulatedFileSystem()
        fileSystem.setCapacity(1000)
        let file = try fileSystem.openForAppending(directory + "/a", truncating: false)
        try file.write([UInt8](repeating: 1, count: 600))
        #expect(try fileSystem.availableBytes(directory) == 400)
        #expect(throws: FileSystemError.self) { try file.write([UInt8](repeating: 2, count: 500)) }
        #expect(try fileSystem.availableBytes(directory) == 0)
        try fileSystem.remove(directory + "/a")
        #expect(try fileSystem.availableBytes(directory) == 1000)
    }

    /// How the disk fails under the writer.
    enum Failure: String, CaseIterable, Sendable {
        /// The disk fills up in the middle of a batch: the write is cut short and fails with ENOSPC.
        case diskFull
        /// The write fails with EIO.
        case writeError
        /// The write lands, the fdatasync after it fails with EIO.
        case fsyncError
    }

    /// Acknowledged records, then a failure: the writer stops through `fatal` once, without
    /// retrying the fsync and without counting the failed batch as synced; a restart on what the disk
    /// holds finds every acknowledged record and accepts new ones.
    @Test(arguments: Failure.allCases)
    func failedWriteStopsTheWriterAndKeepsEveryAcknowledgedRecord(failure: Failure) async throws {
        let fileSystem = SimulatedFileSystem()
        let fatal = FatalRecorder()
        let writer = try LogWriter(
            directory: directory, fileSystem: fileSystem, resuming: LogReader(directory: directory, fileSystem: fileSystem).scan(),
            logger: LogFixtures.quietLogger, fatal: fatal.handler)
        var acknowledged: [LSN] = []
        for index in 0..<20 {
            let lsn = writer.append(LogFixtures.changes(index: index))
            await writer.waitUntilDurable(lsn)
            acknowledged.append(lsn)
        }
        let syncsBefore = fileSystem.calls(.syncData)
        switch failure {
        case .diskFull:
            let used = try LogFixtures.segmentPaths(fileSystem).reduce(0) { $0 + (try fileSystem.fileSize($1)) }
            fileSystem.setCapacity(used + 10)
        case .writeError: fileSystem.injectFailure(.write)
        case .fsyncError: fileSystem.injectFailure(.syncData)
        }
        _ = writer.append(LogFixtures.changes(index: 20))
        #expect(await eventually { !fatal.recorded.isEmpty })
        #expect(fatal.recorded.count == 1)
        let expectedReason = failure == .diskFull ? "No space left on device" : "Input/output error"
        #expect(fatal.recorded[0].contains(expectedReason), "\(fatal.recorded)")
        #expect(writer.statistics.syncedLSN == acknowledged.last)
        #expect(fileSystem.calls(.syncData) == syncsBefore + (failure == .fsyncError ? 1 : 0), "an fsync was retried or skipped")

        // What a power loss now leaves (only synced bytes), read by a restarted server.
        fileSystem.setCapacity(nil)
        let image = fileSystem.crashImage(tear: .keepPrefix, seed: 14)
        let scan = try LogReader(directory: directory, fileSystem: image).scan()
        #expect(Array(scan.records.map(\.lsn).prefix(acknowledged.count)) == acknowledged)
        for (index, record) in scan.records.prefix(acknowledged.count).enumerated() {
            #expect(try record.changes() == LogFixtures.changes(index: index))
        }
        let reopened = try LogWriter(directory: directory, fileSystem: image, resuming: scan, logger: LogFixtures.quietLogger)
        let next = reopened.append(LogFixtures.changes(index: 99))
        await reopened.waitUntilDurable(next)
        await reopened.close()
        #expect(try LogReader(directory: directory, fileSystem: image).scan().lastLSN == next)
    }

    /// A snapshot on a disk too full for it fails, and leaves the older snapshot, the log and the
    /// free space as they were: the failed temporary file is removed.
    @Test func snapshotThatDoesNotFitLeavesOlderSnapshotsAndTheLogIntact() async throws {
        let fileSystem = SimulatedFileSystem()
        let records = try await LogFixtures.writeLog(count: 30, on: fileSystem)
        let store = SnapshotStore(directory: directory, fileSystem: fileSystem)
        let older = (0..<2_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        try store.write(older, lsn: 10)
        let before = try fileSystem.listDirectory(directory).sorted()
        let segments = try LogFixtures.segmentPaths(fileSystem).map { fileSystem.contents($0) }
        let used = try before.reduce(0) { $0 + (try fileSystem.fileSize(directory + "/" + $1)) }
        fileSystem.setCapacity(used + 100)

        var generator = SeededGenerator(seed: 14)
        let newer = (0..<50_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        #expect(throws: FileSystemError.self) { try store.write(newer, lsn: 30) }

        #expect(try fileSystem.listDirectory(directory).sorted() == before)
        #expect(try fileSystem.availableBytes(directory) == 100)
        #expect(try LogFixtures.segmentPaths(fileSystem).map { fileSystem.contents($0) } == segments)
        let loaded = try #require(try store.loadNewest(logger: LogFixtures.quietLogger))
        #expect(loaded.lsn == 10 && loaded.payload == older)
        #expect(try LogReader(directory: directory, fileSystem: fileSystem).scan().records == records)
    }
}
