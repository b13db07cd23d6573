import BookingCore
import Logging
import TestSupport
import Testing

@testable import BookingLog

/// Snapshots: exact round trips, refusal of anything damaged, fallback to the older one, and
/// atomic replacement under a crash at any step.
struct SnapshotTests {
    let directory = LogFixtures.directory

    /// A payload that compresses like a real state (repetitive JSON) but is not trivial.
    func payload(_ seed: Int, size: Int = 20_000) -> [UInt8] {
        var generator = SeededGenerator(seed: UInt64(seed))
        var text = "{\"appointments\":["
        while text.utf8.count < size {
            text += "{\"id\":\(UInt16.random(in: 0...UInt16.max, using: &generator)),\"status\":\"confirmed\"},"
        }
        return Array((text + "{}]}").utf8)
    }

    func store(_ fileSystem: SimulatedFileSystem) -> SnapshotStore { SnapshotStore(directory: directory, fileSystem: fileSystem) }

    func path(_ lsn: LSN) -> String { directory + "/" + DataDirectoryNames.snapshot(lsn: lsn) }

    @Test func snapshotRoundTripKeepsPayloadAndHeader() throws {
        let fileSystem = SimulatedFileSystem()
        let written = try store(fileSystem).write(payload(1), lsn: 42)
        #expect(written == path(42))
        let header = try SnapshotFile.readHeader(written, fileSystem: fileSystem)
        #expect(header.lsn == 42 && header.uncompressedLength == payload(1).count)
        #expect(header.compressedLength < header.uncompressedLength / 2)
        #expect(fileSystem.contents(written)!.count == SnapshotHeader.size + header.compressedLength)
        let loaded = try #require(try store(fileSystem).loadNewest(logger: LogFixtures.quietLogger))
        #expect(loaded.lsn == 42 && loaded.payload == payload(1) && loaded.header == header)
        #expect(try SnapshotFile.read(written, fileSystem: fileSystem).payload.isEmpty == false)
    }

    @Test func emptyPayloadRoundTrips() throws {
        let fileSystem = SimulatedFileSystem()
        try store(fileSystem).write([], lsn: 0)
        #expect(try SnapshotFile.read(path(0), fileSystem: fileSystem).payload == [])
    }

    @Test(arguments: ["body", "header", "truncated", "extended"])
    func corruptedNewestSnapshotFallsBackToTheOlder(damage: String) throws {
        let fileSystem = SimulatedFileSystem()
        try store(fileSystem).write(payload(1), lsn: 10)
        try store(fileSystem).write(payload(2), lsn: 20)
        var bytes = fileSystem.contents(path(20))!
        switch damage {
        case "body": bytes[SnapshotHeader.size + 100] ^= 0x04
        case "header": bytes[17] ^= 0x01
        case "truncated": bytes.removeLast(10)
        default: bytes += [0]
        }
        fileSystem.install(path(20), bytes)
        #expect(throws: SnapshotError.self) { try SnapshotFile.read(path(20), fileSystem: fileSystem) }
        let (logger, logged) = RecordingLogHandler.logger()
        let loaded = try #require(try store(fileSystem).loadNewest(logger: logger))
        #expect(loaded.lsn == 10 && loaded.payload == payload(1))
        #expect(logged.value.contains { $0.level == .error && "\($0.metadata["error"]!)".contains(path(20)) })
    }

    @Test func noSnapshotVerifyingLoadsNothing() throws {
        let fileSystem = SimulatedFileSystem()
        try store(fileSystem).write(payload(1), lsn: 10)
        fileSystem.install(path(10), Array(fileSystem.contents(path(10))!.prefix(30)))
        #expect(try store(fileSystem).loadNewest(logger: LogFixtures.quietLogger) == nil)
    }

    @Test func absurdUncompressedLengthIsRejectedWithoutAllocating() throws {
        let fileSystem = SimulatedFileSystem()
        try store(fileSystem).write(payload(1), lsn: 10)
        let bytes = fileSystem.contents(path(10))!
        var header = try SnapshotHeader.decode(bytes).get()
        header.uncompressedLength = 1 << 50
        fileSystem.install(path(10), header.encoded() + bytes[SnapshotHeader.size...])
        let error = #expect(throws: SnapshotError.self) { try SnapshotFile.read(path(10), fileSystem: fileSystem) }
        #expect(error?.reason.contains("does not inflate") == true)
    }

    @Test func snapshotsOfVersionsOneToThreeAreReadAndOthersRefused() throws {
        let fileSystem = SimulatedFileSystem()
        try store(fileSystem).write(payload(1), lsn: 10)
        let bytes = fileSystem.contents(path(10))!
        var header = try SnapshotHeader.decode(bytes).get()
        #expect(header.version == SnapshotHeader.formatVersion && SnapshotHeader.formatVersion == 3)
        for version: UInt32 in [0, 1, 2, 3, 4] {
            header.version = version
            fileSystem.install(path(10), header.encoded() + bytes[SnapshotHeader.size...])
            if (1...3).contains(version) {
                #expect(try SnapshotFile.read(path(10), fileSystem: fileSystem).header.version == version)
            } else {
                let error = #expect(throws: SnapshotError.self) { try SnapshotFile.read(path(10), fileSystem: fileSystem) }
                #expect(error?.reason.contains("format version \(version)") == true)
            }
        }
    }

    @Test func randomBitFlipsInASnapshotAreAlwaysRejected() throws {
        let fileSystem = SimulatedFileSystem()
        try store(fileSystem).write(payload(3, size: 2_000), lsn: 7)
        let original = fileSystem.contents(path(7))!
        var generator = SeededGenerator(seed: 77)
        for _ in 0..<1_000 {
            var bytes = original
            let bit = Int.random(in: 0..<bytes.count * 8, using: &generator)
            bytes[bit / 8] ^= UInt8(1) << (bit % 8)
            fileSystem.install(path(7), bytes)
            #expect(throws: SnapshotError.self) { try SnapshotFile.read(path(7), fileSystem: fileSystem) }
        }
    }

    /// A crash at each step of writing a second snapshot leaves a directory whose newest
    /// verifying snapshot is the old one or the complete new one, never nothing.
    @Test(arguments: 1...6)
    func crashWhileWritingASnapshotLeavesTheOlderOrTheNewerWhole(step: Int) throws {
        for tear in SimulatedFileSystem.Tear.allCases {
            let fileSystem = SimulatedFileSystem()
            try store(fileSystem).write(payload(1), lsn: 10)
            fileSystem.scheduleCrash(inSteps: step, tear: tear, seed: UInt64(step))
            let completed = (try? store(fileSystem).write(payload(2), lsn: 20)) != nil
            let image = fileSystem.crashedImage ?? fileSystem.crashImage(tear: tear, seed: 0)
            let loaded = try #require(try store(image).loadNewest(logger: LogFixtures.quietLogger))
            #expect(completed ? loaded.lsn == 20 : [10, 20].contains(loaded.lsn))
            #expect(loaded.payload == payload(loaded.lsn == 10 ? 1 : 2))
            try store(image).removeOldSnapshots()
            #expect(try image.listDirectory(directory).allSatisfy { !$0.hasSuffix(".tmp") })
        }
    }

    @Test func retentionKeepsTheNewestTwoSnapshots() throws {
        let fileSystem = SimulatedFileSystem()
        for lsn: LSN in [5, 10, 15, 20] { try store(fileSystem).write(payload(Int(lsn), size: 100), lsn: lsn) }
        fileSystem.install(path(25) + ".tmp", [1, 2, 3])
        fileSystem.install(directory + "/jwt-secret", [1])
        #expect(try store(fileSystem).removeOldSnapshots(keeping: 2) == [15, 20])
        #expect(try store(fileSystem).snapshotLSNs() == [15, 20])
        #expect(
            Set(try fileSystem.listDirectory(directory)) == [
                DataDirectoryNames.snapshot(lsn: 15), DataDirectoryNames.snapshot(lsn: 20), "jwt-secret",
            ])
        let image = fileSystem.crashImage(tear: .dropUnsynced, seed: 0)
        #expect(try store(image).snapshotLSNs() == [15, 20])
    }
}
