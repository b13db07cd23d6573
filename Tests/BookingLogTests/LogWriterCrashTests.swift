import BookingCore
import BookingLog
import TestSupport
import Testing

/// Power loss at a random step under concurrent load: everything acknowledged survives, and
/// nothing survives that was never appended.
struct LogWriterCrashTests {
    let directory = LogFixtures.directory

    /// Concurrent appenders in `.always` mode over small segments; the machine dies at a random
    /// step (a write may be torn, unsynced bytes kept in part or zero-filled). Recovery must
    /// find every record whose `waitUntilDurable` returned, each exactly as appended, LSNs
    /// without gaps, and the log must accept new records after repair.
    @Test(arguments: 0..<32)
    func acknowledgedRecordsSurviveACrashAtARandomStep(seed: UInt64) async throws {
        var generator = SeededGenerator(seed: seed)
        let fileSystem = SimulatedFileSystem()
        let fatal = FatalRecorder()
        let writer = try LogWriter(
            directory: directory, fileSystem: fileSystem,
            resuming: LogReader(directory: directory, fileSystem: fileSystem).scan(),
            configuration: .init(fsync: .always, maximumSegmentSize: 512), logger: LogFixtures.quietLogger,
            fatal: fatal.handler)
        let tear = SimulatedFileSystem.Tear.allCases.randomElement(using: &generator)!
        fileSystem.scheduleCrash(inSteps: Int.random(in: 1...360, using: &generator), tear: tear, seed: seed)

        let writers = 6
        let recordsEach = 20
        let acknowledged = Shared<[(writer: Int, index: Int)]>([])
        let finished = Shared(0)
        for writerIndex in 0..<writers {
            Task {
                for index in 0..<recordsEach {
                    let lsn = writer.append(LogFixtures.changes(writer: writerIndex, index: index))
                    await writer.waitUntilDurable(lsn)
                    acknowledged.update { $0.append((writerIndex, index)) }
                }
                finished.update { $0 += 1 }
            }
        }
        let ended = await eventually {
            !fatal.recorded.isEmpty || finished.value == writers
        }
        // Appenders still running would append to the log closed below and stop the process.
        guard ended else {
            Issue.record("neither a crash nor every append finished within the liveness bound")
            return
        }

        let image: SimulatedFileSystem
        if let crashed = fileSystem.crashedImage {
            #expect(fatal.recorded.count == 1)
            image = crashed
        } else {
            await writer.close()
            image = fileSystem.crashImage(tear: .dropUnsynced, seed: seed)
        }

        let scan = try LogReader(directory: directory, fileSystem: image).scan()
        #expect(scan.records.map(\.lsn) == Array(1...scan.lastLSN))
        var recoveredByWriter: [Int: [Int]] = [:]
        for record in scan.records {
            let origin = try #require(LogFixtures.origin(of: try record.changes()), "record \(record.lsn) was never appended")
            recoveredByWriter[origin.writer, default: []].append(origin.index)
        }
        for (writerIndex, indexes) in recoveredByWriter {
            // Each appender waits for one record before appending the next, so what survives of
            // it is a gapless prefix.
            #expect(indexes == Array(0..<indexes.count), "writer \(writerIndex)")
        }
        for (writerIndex, index) in acknowledged.value {
            #expect(recoveredByWriter[writerIndex, default: []].contains(index), "acknowledged \(writerIndex)-\(index) lost")
        }

        let reopened = try LogWriter(directory: directory, fileSystem: image, resuming: scan, logger: LogFixtures.quietLogger)
        let next = reopened.append(LogFixtures.changes(writer: 99, index: 0))
        await reopened.waitUntilDurable(next)
        await reopened.close()
        let rescan = try LogReader(directory: directory, fileSystem: image).scan()
        #expect(next == scan.lastLSN + 1 && rescan.lastLSN == next && rescan.tornTail == nil)
    }
}
