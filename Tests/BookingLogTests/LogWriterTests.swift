import BookingCore
import BookingEngine
import Foundation
import Logging
import TestSupport
import Testing

@testable import BookingLog

/// The group-commit writer: what each fsync mode promises, how failures stop the process, how
/// segments roll, and how a log reopens after a torn write.
struct LogWriterTests {
    let directory = LogFixtures.directory

    func openWriter(
        _ fileSystem: SimulatedFileSystem, _ configuration: LogWriter.Configuration = .init(),
        logger: Logger = LogFixtures.quietLogger,
        fatal: FatalRecorder = FatalRecorder(), fsyncObserver: @escaping @Sendable (Duration, Int) -> Void = { _, _ in }
    ) throws -> LogWriter {
        let scan = try LogReader(directory: directory, fileSystem: fileSystem).scan()
        return try LogWriter(
            directory: directory, fileSystem: fileSystem, resuming: scan, configuration: configuration, logger: logger,
            fatal: fatal.handler, fsyncObserver: fsyncObserver)
    }

    func recoveredLSNs(_ fileSystem: SimulatedFileSystem) throws -> [LSN] {
        try LogReader(directory: directory, fileSystem: fileSystem).scan().records.map(\.lsn)
    }

    @Test func writeFailureStopsTheProcessThroughFatal() async throws {
        let fileSystem = SimulatedFileSystem()
        let fatal = FatalRecorder()
        let (logger, logged) = RecordingLogHandler.logger()
        let writer = try openWriter(fileSystem, logger: logger, fatal: fatal)
        fileSystem.injectFailure(.write)
        let syncsBefore = fileSystem.calls(.syncData)
        #expect(writer.append(LogFixtures.changes(index: 0)) == 1)
        #expect(await eventually { !fatal.recorded.isEmpty })
        #expect(fatal.recorded.first?.contains("writing records 1...1") == true)
        #expect(logged.value.contains { $0.level == .critical && $0.message.contains("Input/output error") })
        #expect(fileSystem.calls(.syncData) == syncsBefore)
        #expect(writer.statistics.writtenLSN == 0)
    }

    @Test func fsyncFailureStopsTheProcessWithoutRetrying() async throws {
        let fileSystem = SimulatedFileSystem()
        let fatal = FatalRecorder()
        let writer = try openWriter(fileSystem, fatal: fatal)
        fileSystem.injectFailure(.syncData)
        let syncsBefore = fileSystem.calls(.syncData)
        _ = writer.append(LogFixtures.changes(index: 0))
        #expect(await eventually { !fatal.recorded.isEmpty })
        #expect(fatal.recorded.first?.contains("syncing records up to 1") == true)
        // The writer thread is parked inside `fatal` (it never returns), so this count is final.
        #expect(fileSystem.calls(.syncData) == syncsBefore + 1)
        #expect(writer.statistics.syncedLSN == 0 && writer.statistics.writtenLSN == 1)
    }

    @Test func segmentRollingKeepsLSNsContinuous() async throws {
        let fileSystem = SimulatedFileSystem()
        let writer = try openWriter(fileSystem, .init(maximumSegmentSize: 700))
        var last: LSN = 0
        for index in 0..<60 {
            last = writer.append(LogFixtures.changes(index: index))
        }
        let oversized: [ShopChange] = [
            .registry(
                .serviceSaved(
                    Service(
                        id: 1, name: String(repeating: "x", count: 2_000), durationMinutes: 30, priceCents: 1, isActive: true,
                        barberIDs: nil)))
        ]
        let big = writer.append(oversized)
        let after = writer.append(LogFixtures.changes(index: 60))
        await writer.waitUntilDurable(after)
        await writer.close()

        let scan = try LogReader(directory: directory, fileSystem: fileSystem).scan()
        #expect(scan.records.map(\.lsn) == Array(1...after))
        #expect(try scan.records[Int(big) - 1].changes() == oversized)
        #expect(scan.segments.count > 5)
        #expect(writer.statistics.segmentsCreated == scan.segments.count)
        for (segment, next) in zip(scan.segments, scan.segments.dropFirst()) {
            #expect(segment.lastLSN + 1 == next.firstLSN)
            let size = fileSystem.contents(segment.path)!.count
            #expect(size <= 700 || (segment.firstLSN == big && segment.lastLSN == big), "\(segment.path) is \(size) bytes")
        }
        #expect(last + 1 == big)
    }

    @Test func groupCommitCoversManyConcurrentRecordsWithOneFsync() async throws {
        let fileSystem = SimulatedFileSystem(syncDelay: .milliseconds(2))
        let batches = Shared<[Int]>([])
        let writer = try openWriter(fileSystem, fsyncObserver: { _, records in batches.update { $0.append(records) } })
        await withTaskGroup(of: Void.self) { group in
            for writerIndex in 0..<32 {
                group.addTask {
                    for index in 0..<8 {
                        await writer.waitUntilDurable(writer.append(LogFixtures.changes(writer: writerIndex, index: index)))
                    }
                }
            }
        }
        let statistics = writer.statistics
        #expect(statistics.appends == 256 && statistics.syncedLSN == 256)
        #expect(statistics.fsyncs < 256 / 4, "\(statistics.fsyncs) fsyncs for 256 records")
        #expect(batches.value.reduce(0, +) == 256 && batches.value.count == statistics.fsyncs)
        #expect(batches.value.max()! > 8)
        await writer.close()
        #expect(try recoveredLSNs(fileSystem.crashImage(tear: .dropUnsynced, seed: 0)) == Array(1...256))
    }

    /// An appender that took LSN 1 but has not handed its record over yet holds back LSN 2,
    /// handed over meanwhile: the writer takes 2, writes nothing and sleeps; once 1 arrives, both
    /// are written in LSN order and 2's wait returns.
    @Test func aRecordBehindAGapWaitsForItAndTheFileKeepsLSNOrder() async throws {
        let fileSystem = SimulatedFileSystem()
        let clockCalls = Shared(0)
        let release = DispatchSemaphore(value: 0)
        let scan = try LogReader(directory: directory, fileSystem: fileSystem).scan()
        // The clock is read between taking the LSN and handing the record over; its first read
        // (the record at LSN 1) blocks until released.
        let writer = try LogWriter(
            directory: directory, fileSystem: fileSystem, resuming: scan, logger: LogFixtures.quietLogger,
            clock: {
                var call = 0
                clockCalls.update { $0 += 1; call = $0 }
                if call == 1 { release.wait() }
                return Instant(seconds: 100)
            })
        let first = Task {
            await withCheckedContinuation { continuation in
                Thread.detachNewThread {
                    #expect(writer.append(LogFixtures.changes(writer: 1, index: 0)) == 1)
                    continuation.resume()
                }
            }
        }
        #expect(await eventually { clockCalls.value == 1 })
        #expect(writer.append(LogFixtures.changes(writer: 2, index: 0)) == 2)
        let secondDurable = Shared(false)
        let second = Task {
            await writer.waitUntilDurable(2)
            secondDurable.update { $0 = true }
        }
        #expect(await eventually { writer.queue.records.isEmpty && writer.queue.writerIsIdle })
        #expect(writer.statistics.writtenLSN == 0 && !secondDurable.value)

        release.signal()
        await first.value
        await second.value
        #expect(secondDurable.value && writer.statistics.syncedLSN == 2)
        await writer.close()
        let records = try LogReader(directory: directory, fileSystem: fileSystem).scan().records
        #expect(records.map(\.lsn) == [1, 2])
        #expect(try records.map { LogFixtures.origin(of: try $0.changes())?.writer } == [1, 2])
    }

    /// Appenders on many threads at once take their LSNs and hand over their records in two
    /// steps, so the writer meets gaps; while tasks wait (and flush, in the modes that would not
    /// sync), every record still lands once, in LSN order, with the changes it was given, and
    /// every wait returns.
    @Test(arguments: FsyncMode.allCases)
    func appendsFromManyThreadsAtOnceLandOnceInLSNOrderAndEveryWaitReturns(mode: FsyncMode) async throws {
        let fileSystem = SimulatedFileSystem()
        let writer = try openWriter(fileSystem, .init(fsync: mode, syncInterval: .milliseconds(5)))
        let threads = 4
        let tasks = 8
        let perAppender = 150
        let threadAppends = Task {
            await withCheckedContinuation { continuation in
                Thread.detachNewThread {
                    DispatchQueue.concurrentPerform(iterations: threads) { thread in
                        for index in 0..<perAppender { _ = writer.append(LogFixtures.changes(writer: thread, index: index)) }
                    }
                    continuation.resume()
                }
            }
        }
        let durable = await withTaskGroup(of: Int.self) { group in
            for task in 0..<tasks {
                group.addTask {
                    var returned = 0
                    for index in 0..<perAppender {
                        let lsn = writer.append(LogFixtures.changes(writer: threads + task, index: index))
                        if index % 10 == 0 { await writer.flush() } else { await writer.waitUntilDurable(lsn) }
                        #expect(writer.statistics.writtenLSN >= lsn)
                        returned += 1
                    }
                    return returned
                }
            }
            return await group.reduce(0, +)
        }
        await threadAppends.value
        #expect(durable == tasks * perAppender)
        await writer.close()
        let total = (threads + tasks) * perAppender
        let records = try LogReader(directory: directory, fileSystem: fileSystem).scan().records
        #expect(records.map(\.lsn) == Array(1...LSN(total)))
        let origins = try records.compactMap { LogFixtures.origin(of: try $0.changes()) }
        #expect(origins.count == total)
        #expect(Set(origins.map { "\($0.writer)-\($0.index)" }).count == total)
        // Each appender's records are in the order it appended them.
        for appender in 0..<(threads + tasks) {
            let indices = origins.filter { $0.writer == appender }.map(\.index)
            #expect(indices == Array(0..<perAppender), "appender \(appender)")
        }
    }

    /// The acknowledgement comes after the write; the sync comes later from the writer's own
    /// timer, with no flush or further append to prompt it.
    @Test func everySecondAcknowledgesAfterTheWriteAndTheTimerSyncsOnItsOwn() async throws {
        let fileSystem = SimulatedFileSystem()
        let writer = try openWriter(fileSystem, .init(fsync: .everySecond, syncInterval: .milliseconds(100)))
        let lsn = writer.append(LogFixtures.changes(index: 0))
        await writer.waitUntilDurable(lsn)
        #expect(writer.statistics.writtenLSN == lsn)
        #expect(await eventually { writer.statistics.syncedLSN == lsn })
        #expect(try recoveredLSNs(fileSystem.crashImage(tear: .dropUnsynced, seed: 0)) == [lsn])
        await writer.close()
    }

    @Test func offModeNeverSyncsUntilFlush() async throws {
        let fileSystem = SimulatedFileSystem()
        let writer = try openWriter(fileSystem, .init(fsync: .off))
        var lsn: LSN = 0
        for index in 0..<6 {
            lsn = writer.append(LogFixtures.changes(index: index))
            await writer.waitUntilDurable(lsn)
        }
        // Record 6 written means the writer finished its turns for records 1 to 5, sync decision
        // included: none of them synced.
        #expect(writer.statistics.fsyncs == 0 && writer.statistics.writtenLSN == 6)
        #expect(try recoveredLSNs(fileSystem.crashImage(tear: .dropUnsynced, seed: 0)).isEmpty)

        await writer.flush()
        #expect(writer.statistics.fsyncs == 1 && writer.statistics.syncedLSN == lsn)
        #expect(try recoveredLSNs(fileSystem.crashImage(tear: .dropUnsynced, seed: 0)) == Array(1...6))
        await writer.close()
    }

    @Test(arguments: FsyncMode.allCases)
    func closeMakesEverythingAppendedDurable(mode: FsyncMode) async throws {
        let fileSystem = SimulatedFileSystem()
        let writer = try openWriter(fileSystem, .init(fsync: mode, syncInterval: .seconds(60)))
        for index in 0..<10 { _ = writer.append(LogFixtures.changes(index: index)) }
        await writer.close()
        await writer.close()
        #expect(try recoveredLSNs(fileSystem.crashImage(tear: .dropUnsynced, seed: 0)) == Array(1...10))
        #expect(writer.lastLSN == 10)
    }

    @Test func openOnTornWriteTruncatesTheTailLogsTheDroppedBytesAndContinues() async throws {
        let fileSystem = SimulatedFileSystem()
        try await LogFixtures.writeLog(count: 5, on: fileSystem)
        let path = try LogFixtures.segmentPaths(fileSystem).last!
        let intact = fileSystem.contents(path)!
        // A copy of the first record's 32-byte header and half its payload: a write torn inside it.
        let payload = LogRecord.changesPayload(LogFixtures.changes(index: 0)).count
        let torn = Array(intact[32..<64 + payload / 2])
        fileSystem.install(path, intact + torn)

        let (logger, logged) = RecordingLogHandler.logger()
        let writer = try openWriter(fileSystem, logger: logger)
        #expect(fileSystem.contents(path) == intact)
        let warning = logged.value.first { $0.level == .warning }
        #expect(warning?.metadata["dropped_bytes"] == "\(torn.count)" && warning?.metadata["offset"] == "\(intact.count)")

        #expect(writer.append(LogFixtures.changes(index: 5)) == 6)
        await writer.close()
        let scan = try LogReader(directory: directory, fileSystem: fileSystem).scan()
        #expect(scan.records.map(\.lsn) == Array(1...6) && scan.tornTail == nil && scan.segments.count == 1)
    }

    @Test func recordsAreStampedWithAnAppendTimeThatNeverGoesBack() async throws {
        let fileSystem = SimulatedFileSystem()
        let times = Shared<[Int64]>([100, 105, 103, 110])
        let scan = try LogReader(directory: directory, fileSystem: fileSystem).scan()
        let writer = try LogWriter(
            directory: directory, fileSystem: fileSystem, resuming: scan, logger: LogFixtures.quietLogger,
            clock: {
                var now: Int64 = 0
                times.update { now = $0.removeFirst() }
                return Instant(seconds: now)
            })
        for index in 0..<4 { _ = writer.append(LogFixtures.changes(index: index)) }
        await writer.close()
        let records = try LogReader(directory: directory, fileSystem: fileSystem).scan().records
        #expect(records.map(\.appendedAt.seconds) == [100, 105, 105, 110])
    }

    @Test func appendsAfterReopeningContinueTheLSNs() async throws {
        let fileSystem = SimulatedFileSystem()
        try await LogFixtures.writeLog(count: 3, on: fileSystem)
        try await LogFixtures.writeLog(count: 4, on: fileSystem)
        let scan = try LogReader(directory: directory, fileSystem: fileSystem).scan()
        #expect(scan.records.map(\.lsn) == Array(1...7) && scan.segments.count == 1)
    }

    /// The writer thread carries its name where operators look (`ps -L`, `top -H`, `perf`).
    @Test func theWriterThreadIsNamedWalWriter() async throws {
        func namedThreads() -> Int {
            let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
            return tasks.filter { task in
                (try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8)) == "wal-writer\n"
            }.count
        }
        // Other tests' writers come and go in parallel: any thread so named shows the naming works.
        let writer = try openWriter(SimulatedFileSystem())
        #expect(await eventually { namedThreads() > 0 })
        await writer.close()
    }
}
