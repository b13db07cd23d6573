import BookingCore
import BookingLog
import Foundation
import Glibc
import Testing

/// The real file system: each operation of the seam, and the log and snapshots end to end on disk.
struct PosixFileSystemTests {
    let fileSystem = PosixFileSystem()

    /// A new empty directory under the system's temporary directory, removed after `body`.
    func withTemporaryDirectory(_ body: (String) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bookinglog-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await body(directory)
    }

    @Test func everyOperationOfTheSeamWorksOnDisk() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/a"
            let file = try fileSystem.openForAppending(path, truncating: false)
            try file.write(Array("hello ".utf8))
            try file.write(Array("world".utf8))
            try file.syncData()
            try file.sync()
            file.close()
            #expect(try fileSystem.readFile(path) == Array("hello world".utf8))
            #expect(try fileSystem.read(path, offset: 6, count: 100) == Array("world".utf8))
            #expect(try fileSystem.read(path, offset: 20, count: 5) == [])
            #expect(try fileSystem.fileSize(path) == 11)

            try fileSystem.truncate(path, to: 5)
            #expect(try fileSystem.readFile(path) == Array("hello".utf8))
            let again = try fileSystem.openForAppending(path, truncating: false)
            try again.write(Array("!".utf8))
            again.close()
            #expect(try fileSystem.readFile(path) == Array("hello!".utf8))
            let emptied = try fileSystem.openForAppending(path, truncating: true)
            emptied.close()
            #expect(try fileSystem.fileSize(path) == 0)

            try fileSystem.rename(path, to: directory + "/b")
            try fileSystem.syncDirectory(directory)
            #expect(try fileSystem.listDirectory(directory) == ["b"])
            try fileSystem.remove(directory + "/b")
            #expect(try fileSystem.listDirectory(directory).isEmpty)

            let error = #expect(throws: FileSystemError.self) { try fileSystem.readFile(directory + "/missing") }
            #expect(error?.errno == ENOENT && error?.operation == "open" && error?.path == directory + "/missing")
        }
    }

    @Test func logAndSnapshotsSurviveReopeningOnDisk() async throws {
        try await withTemporaryDirectory { directory in
            let writer = try LogWriter(
                directory: directory, resuming: LogReader(directory: directory).scan(),
                configuration: .init(maximumSegmentSize: 4096), logger: LogFixtures.quietLogger)
            await withTaskGroup(of: Void.self) { group in
                for writerIndex in 0..<8 {
                    group.addTask {
                        for index in 0..<25 {
                            await writer.waitUntilDurable(writer.append(LogFixtures.changes(writer: writerIndex, index: index)))
                        }
                    }
                }
            }
            await writer.flush()
            try SnapshotStore(directory: directory).write(Array("state".utf8), lsn: 100)
            await writer.close()

            let scan = try LogReader(directory: directory).scan()
            #expect(scan.records.map(\.lsn) == Array(1...200) && scan.segments.count > 1 && scan.tornTail == nil)
            #expect(Set(try scan.records.map { try #require(LogFixtures.origin(of: $0.changes())).writer }).count == 8)
            #expect(
                try SnapshotStore(directory: directory).loadNewest(logger: LogFixtures.quietLogger)?.payload
                    == Array("state".utf8))

            let newest = scan.segments.last!.path
            let handle = try fileSystem.openForAppending(newest, truncating: false)
            try handle.write([UInt8](repeating: 0, count: 100))
            handle.close()
            let torn = try LogReader(directory: directory).scan(after: 100)
            #expect(torn.tornTail?.droppedBytes == 100 && torn.records.map(\.lsn) == Array(101...200))
            let reopened = try LogWriter(directory: directory, resuming: torn, logger: LogFixtures.quietLogger)
            await reopened.waitUntilDurable(reopened.append(LogFixtures.changes(index: 1)))
            await reopened.close()
            #expect(try LogReader(directory: directory).scan(after: 100).records.map(\.lsn) == Array(101...201))
        }
    }
}
