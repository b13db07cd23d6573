import BookingCore
import TestSupport
import Testing

@testable import BookingLog

/// The recovery scan against every way the bytes of a log can be damaged: it keeps exactly the
/// intact records, cuts a torn tail, and refuses corruption with the file and offset.
struct LogRecoveryTests {
    let directory = LogFixtures.directory

    /// A log of `count` records over several small segments, and its files' bytes by path.
    func sampleLog(count: Int = 30, segmentSize: Int = 600) async throws -> (records: [LogRecord], files: [(String, [UInt8])]) {
        let fileSystem = SimulatedFileSystem()
        let records = try await LogFixtures.writeLog(count: count, on: fileSystem, maximumSegmentSize: segmentSize)
        let files = try LogFixtures.segmentPaths(fileSystem).map { ($0, fileSystem.contents($0)!) }
        return (records, files)
    }

    func fileSystem(_ files: some Sequence<(String, [UInt8])>) -> SimulatedFileSystem {
        let fileSystem = SimulatedFileSystem()
        for (path, bytes) in files { fileSystem.install(path, bytes) }
        return fileSystem
    }

    func scan(_ fileSystem: SimulatedFileSystem, after: LSN = 0) throws -> LogScan {
        try LogReader(directory: directory, fileSystem: fileSystem).scan(after: after)
    }

    /// The offsets where the records of a segment's bytes start, and its end.
    func frameOffsets(_ bytes: [UInt8]) -> [Int] {
        var offsets = [SegmentHeader.size]
        while offsets.last! < bytes.count {
            let length = Int(bytes.littleEndian(at: offsets.last!, as: UInt32.self))
            offsets.append(offsets.last! + RecordFrame.size(payloadLength: length))
        }
        return offsets
    }

    @Test func cuttingTheNewestSegmentAtEveryByteKeepsExactlyTheWholeRecords() async throws {
        let (records, files) = try await sampleLog()
        #expect(files.count >= 2)
        let (lastPath, lastBytes) = files.last!
        let boundaries = frameOffsets(lastBytes)
        let olderRecords = records.count - (boundaries.count - 1)
        for cut in 0...lastBytes.count {
            let image = fileSystem(files.dropLast() + [(lastPath, Array(lastBytes.prefix(cut)))])
            let scan = try scan(image)
            let intactEnd = cut < SegmentHeader.size ? 0 : boundaries.last { $0 <= cut }!
            let whole = cut < SegmentHeader.size ? 0 : boundaries.firstIndex(of: intactEnd)!
            #expect(scan.records == Array(records.prefix(olderRecords + whole)), "cut at \(cut)")
            if intactEnd == cut && cut > 0 {
                #expect(scan.tornTail == nil, "cut at \(cut)")
            } else {
                #expect(scan.tornTail?.path == lastPath && scan.tornTail?.offset == intactEnd, "cut at \(cut)")
                #expect(scan.tornTail?.droppedBytes == cut - intactEnd, "cut at \(cut)")
            }

            let writer = try LogWriter(directory: directory, fileSystem: image, resuming: scan, logger: LogFixtures.quietLogger)
            let next = writer.append(LogFixtures.changes(index: 999))
            await writer.close()
            let reopened = try self.scan(image)
            #expect(
                next == LSN(olderRecords + whole + 1) && reopened.lastLSN == next && reopened.tornTail == nil, "cut at \(cut)")
            #expect(Array(reopened.records.prefix(olderRecords + whole)) == scan.records, "cut at \(cut)")
        }
    }

    @Test func randomBitFlipsNeverYieldAWrongRecord() async throws {
        let (records, files) = try await sampleLog()
        let totalBits = files.reduce(0) { $0 + $1.1.count * 8 }
        var generator = SeededGenerator(seed: 0x5EED)
        var refused = 0
        var truncated = 0
        for _ in 0..<4000 {
            var damaged = files
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                var bit = Int.random(in: 0..<totalBits, using: &generator)
                var file = 0
                while bit >= damaged[file].1.count * 8 {
                    bit -= damaged[file].1.count * 8
                    file += 1
                }
                damaged[file].1[bit / 8] ^= UInt8(1) << (bit % 8)
            }
            do {
                let scan = try scan(fileSystem(damaged))
                #expect(scan.records == Array(records.prefix(scan.records.count)))
                if scan.tornTail != nil { truncated += 1 }
            } catch is LogCorruption {
                refused += 1
            }
        }
        #expect(refused > 0 && truncated > 0)
    }

    @Test func zeroFilledTailIsTornAndCut() async throws {
        let (records, files) = try await sampleLog()
        var (lastPath, lastBytes) = files.last!
        let boundaries = frameOffsets(lastBytes)
        let lastRecordStart = boundaries[boundaries.count - 2]

        lastBytes.replaceSubrange(lastRecordStart..., with: repeatElement(0, count: lastBytes.count - lastRecordStart))
        let zeroedRecord = try scan(fileSystem(files.dropLast() + [(lastPath, lastBytes)]))
        #expect(zeroedRecord.records == Array(records.dropLast()))
        #expect(zeroedRecord.tornTail?.offset == lastRecordStart)

        let extended = files.dropLast() + [(lastPath, files.last!.1 + [UInt8](repeating: 0, count: 4096))]
        let zeroExtension = try scan(fileSystem(extended))
        #expect(zeroExtension.records == records)
        #expect(zeroExtension.tornTail?.offset == files.last!.1.count && zeroExtension.tornTail?.droppedBytes == 4096)
    }

    @Test func hugeLengthFieldInTheLastRecordIsTornWithoutAGiantAllocation() async throws {
        let (records, files) = try await sampleLog()
        var (lastPath, lastBytes) = files.last!
        let boundaries = frameOffsets(lastBytes)
        let lastRecordStart = boundaries[boundaries.count - 2]
        lastBytes.replaceSubrange(lastRecordStart..<lastRecordStart + 4, with: [0xFF, 0xFF, 0xFF, 0xFF])
        let scan = try scan(fileSystem(files.dropLast() + [(lastPath, lastBytes)]))
        #expect(scan.records == Array(records.dropLast()))
        #expect(scan.tornTail?.offset == lastRecordStart)
        #expect(scan.tornTail?.reason.contains("runs past the end") == true)
    }

    @Test func hugeLengthFieldBeforeIntactRecordsIsRefused() async throws {
        let (_, files) = try await sampleLog()
        var (lastPath, lastBytes) = files.last!
        let recordStart = frameOffsets(lastBytes)[1]
        lastBytes.replaceSubrange(recordStart..<recordStart + 4, with: [0xFF, 0xFF, 0xFF, 0x7F])
        #expect(throws: LogCorruption.self) { try scan(fileSystem(files.dropLast() + [(lastPath, lastBytes)])) }
    }

    @Test func badRecordFollowedByAGoodOneIsRefusedNamingFileAndOffset() async throws {
        let (_, files) = try await sampleLog()
        var (lastPath, lastBytes) = files.last!
        let recordStart = frameOffsets(lastBytes)[1]
        lastBytes[recordStart + RecordFrame.headerSize + 3] ^= 0x20
        let error = #expect(throws: LogCorruption.self) { try scan(fileSystem(files.dropLast() + [(lastPath, lastBytes)])) }
        #expect(error?.path == lastPath && error?.offset == recordStart)
        #expect(error?.description.contains("\(lastPath) at byte \(recordStart)") == true)
    }

    @Test func damageInAnOlderSegmentIsRefusedEvenAtItsEnd() async throws {
        let (_, files) = try await sampleLog()
        var damaged = files
        damaged[0].1.removeLast(3)
        let error = #expect(throws: LogCorruption.self) { try scan(fileSystem(damaged)) }
        #expect(error?.path == files[0].0)
    }

    @Test func missingMiddleSegmentIsAnLSNGapAndRefused() async throws {
        let (_, files) = try await sampleLog(count: 40)
        #expect(files.count >= 3)
        var damaged = files
        damaged.remove(at: 1)
        let error = #expect(throws: LogCorruption.self) { try scan(fileSystem(damaged)) }
        #expect(error?.path == files[2].0 && error?.offset == 0)
    }

    @Test func intactRecordWithTheWrongLSNIsRefused() async throws {
        let (_, files) = try await sampleLog()
        var (lastPath, lastBytes) = files.last!
        let recordStart = frameOffsets(lastBytes).dropLast().last!
        let length = Int(lastBytes.littleEndian(at: recordStart, as: UInt32.self))
        let payload = Array(lastBytes[recordStart + RecordFrame.headerSize..<recordStart + RecordFrame.headerSize + length])
        var reframed: [UInt8] = []
        RecordFrame.append(lsn: 9_999, appendedAt: LogFixtures.appendedAt, type: .written, payload: payload, to: &reframed)
        lastBytes.replaceSubrange(recordStart..., with: reframed)
        let error = #expect(throws: LogCorruption.self) { try scan(fileSystem(files.dropLast() + [(lastPath, lastBytes)])) }
        #expect(error?.offset == recordStart)
    }

    @Test func segmentOfANewerFormatVersionIsRefusedNotTruncated() async throws {
        let (_, files) = try await sampleLog()
        var (lastPath, lastBytes) = files.last!
        var header = Array(lastBytes[0..<24])
        header.replaceSubrange(8..<12, with: [2, 0, 0, 0])
        header.appendLittleEndian(CRC32(of: header).value)
        lastBytes.replaceSubrange(0..<28, with: header)
        let error = #expect(throws: LogCorruption.self) { try scan(fileSystem(files.dropLast() + [(lastPath, lastBytes)])) }
        #expect(error?.reason.contains("version 2") == true)
    }

    @Test func tornHeaderOfTheNewestSegmentRemovesIt() async throws {
        let (records, files) = try await sampleLog()
        let firstLSNOfLast = LSN(records.count - (frameOffsets(files.last!.1).count - 2))
        let torn = files.dropLast() + [(files.last!.0, Array(files.last!.1.prefix(20)))]
        let image = fileSystem(Array(torn))
        let scan = try scan(image)
        #expect(scan.records == Array(records.prefix(Int(firstLSNOfLast) - 1)))
        #expect(scan.tornTail?.offset == 0 && scan.tornTail?.droppedBytes == 20)
        #expect(scan.segments.count == files.count - 1)

        let writer = try LogWriter(directory: directory, fileSystem: image, resuming: scan, logger: LogFixtures.quietLogger)
        #expect(writer.append(LogFixtures.changes(index: 1)) == firstLSNOfLast)
        await writer.close()
        #expect(try self.scan(image).lastLSN == firstLSNOfLast)
    }

    @Test func scanAfterASnapshotSkipsCoveredRecordsAndSegments() async throws {
        let (records, files) = try await sampleLog()
        let image = fileSystem(files)
        let scan = try scan(image, after: 10)
        #expect(scan.records == Array(records.dropFirst(10)))
        #expect(scan.lastLSN == LSN(records.count))
        #expect(scan.segments.map(\.path) == files.map(\.0))
        #expect(try self.scan(image, after: LSN(records.count)).records.isEmpty)
    }

    @Test func logMissingRecordsAfterTheSnapshotIsRefused() async throws {
        let (records, files) = try await sampleLog()
        let withoutFirst = fileSystem(Array(files.dropFirst()))
        #expect(throws: LogCorruption.self) { try scan(withoutFirst, after: 0) }
        #expect(throws: LogCorruption.self) { try scan(fileSystem(files), after: LSN(records.count + 5)) }
    }

    @Test func emptyDirectoryContinuesAfterTheSnapshot() throws {
        let scan = try scan(SimulatedFileSystem(), after: 42)
        #expect(scan.records.isEmpty && scan.lastLSN == 42 && scan.segments.isEmpty && scan.endOffset == nil)
    }
}
