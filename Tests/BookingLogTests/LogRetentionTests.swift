import BookingCore
import BookingLog
import Testing

/// Removing segments after a snapshot: only those whose records the snapshot covers, never the
/// one being written, and the log still replays from the snapshot.
struct LogRetentionTests {
    let directory = LogFixtures.directory

    @Test func retentionRemovesOnlySegmentsCoveredByTheSnapshot() async throws {
        let fileSystem = SimulatedFileSystem()
        try await LogFixtures.writeLog(count: 60, on: fileSystem, maximumSegmentSize: 512)
        let segments = try LogReader(directory: directory, fileSystem: fileSystem).scan().segments
        #expect(segments.count >= 5)
        let snapshotLSN = segments[2].firstLSN + 1

        let removed = try LogRetention.removeSegments(in: directory, fileSystem: fileSystem, coveredThrough: snapshotLSN)
        #expect(removed == segments.prefix(2).map(\.path))
        let image = fileSystem.crashImage(tear: .dropUnsynced, seed: 0)
        #expect(try LogFixtures.segmentPaths(image) == segments.dropFirst(2).map(\.path))
        let scan = try LogReader(directory: directory, fileSystem: image).scan(after: snapshotLSN)
        #expect(scan.records.map(\.lsn) == Array(snapshotLSN + 1...60))
        #expect(throws: LogCorruption.self) { try LogReader(directory: directory, fileSystem: image).scan(after: 0) }
    }

    @Test func retentionNeverRemovesTheNewestSegment() async throws {
        let fileSystem = SimulatedFileSystem()
        try await LogFixtures.writeLog(count: 60, on: fileSystem, maximumSegmentSize: 512)
        let segments = try LogReader(directory: directory, fileSystem: fileSystem).scan().segments
        try LogRetention.removeSegments(in: directory, fileSystem: fileSystem, coveredThrough: 60)
        #expect(try LogFixtures.segmentPaths(fileSystem) == [segments.last!.path])
        let scan = try LogReader(directory: directory, fileSystem: fileSystem).scan(after: 60)
        #expect(scan.records.isEmpty && scan.lastLSN == 60)

        let writer = try LogWriter(directory: directory, fileSystem: fileSystem, resuming: scan, logger: LogFixtures.quietLogger)
        #expect(writer.append(LogFixtures.changes(index: 60)) == 61)
        await writer.close()
    }

    @Test func retentionBelowTheFirstSegmentRemovesNothing() async throws {
        let fileSystem = SimulatedFileSystem()
        try await LogFixtures.writeLog(count: 30, on: fileSystem, maximumSegmentSize: 512)
        let before = try LogFixtures.segmentPaths(fileSystem)
        #expect(try LogRetention.removeSegments(in: directory, fileSystem: fileSystem, coveredThrough: 2).isEmpty)
        #expect(try LogFixtures.segmentPaths(fileSystem) == before)
        #expect(fileSystem.calls(.syncDirectory) > 0)
    }
}
