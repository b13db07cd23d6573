import BookingCore
import Logging

/// The newest segment file, open for appending: frames batches of records into it, rolls to a
/// new segment when one is full, and syncs.
///
/// `@unchecked Sendable` because it is handed once from `LogWriter.init` to the writer thread and
/// used by that thread alone afterwards; nothing else touches it.
final class SegmentAppender: @unchecked Sendable {
    private let directory: String
    private let fileSystem: any LogFileSystem
    private let maximumSize: Int
    private var file: any LogFile
    /// Bytes in the current segment: its header and whole frames.
    private var size: Int
    /// Segments this appender started, to report in statistics.
    private(set) var segmentsCreated = 0

    /// Opens the log where `scan` found it ends: repairs a torn tail (cuts the file, or removes it
    /// if its header was torn, and makes that durable), then continues the newest segment, or
    /// starts a segment at `scan.lastLSN + 1` if there is none to continue.
    init(directory: String, fileSystem: any LogFileSystem, maximumSize: Int, resuming scan: LogScan, logger: Logger) throws {
        self.directory = directory
        self.fileSystem = fileSystem
        self.maximumSize = maximumSize
        if let torn = scan.tornTail {
            logger.warning(
                "write-ahead log has a torn tail; dropping it",
                metadata: [
                    "file": "\(torn.path)", "offset": "\(torn.offset)", "dropped_bytes": "\(torn.droppedBytes)",
                    "reason": "\(torn.reason)",
                ])
            if torn.offset == 0 {
                try fileSystem.remove(torn.path)
                try fileSystem.syncDirectory(directory)
            } else {
                try fileSystem.truncate(torn.path, to: torn.offset)
            }
        }
        if let newest = scan.segments.last, let end = scan.endOffset {
            file = try fileSystem.openForAppending(newest.path, truncating: false)
            size = end
            if scan.tornTail?.path == newest.path { try file.sync() }
        } else {
            (file, size) = try Self.create(firstLSN: scan.lastLSN + 1, directory: directory, fileSystem: fileSystem)
            segmentsCreated = 1
        }
    }

    /// Frames `records` (consecutive LSNs) and writes them at the end of the log: one `write` per
    /// segment they land in. Before a record that would take the segment past its maximum size,
    /// syncs and closes the segment and starts the next one; a record larger than a whole segment
    /// still gets one of its own.
    func write(_ records: [CommitQueue.Pending]) throws {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(records.reduce(0) { $0 + RecordFrame.size(payloadLength: $1.payload.count) })
        for record in records {
            let frameSize = RecordFrame.size(payloadLength: record.payload.count)
            let used = size + buffer.count
            if used + frameSize > maximumSize, used > SegmentHeader.size {
                try file.write(buffer)
                size += buffer.count
                buffer.removeAll(keepingCapacity: true)
                try roll(firstLSN: record.lsn)
            }
            RecordFrame.append(
                lsn: record.lsn, appendedAt: record.appendedAt, type: .written, payload: record.payload, to: &buffer)
        }
        try file.write(buffer)
        size += buffer.count
    }

    /// `fdatasync` of the current segment.
    func syncData() throws { try file.syncData() }

    /// Releases the current segment; the writer synced it before.
    func close() { file.close() }

    private func roll(firstLSN: LSN) throws {
        try file.syncData()
        file.close()
        (file, size) = try Self.create(firstLSN: firstLSN, directory: directory, fileSystem: fileSystem)
        segmentsCreated += 1
    }

    /// A new segment holding only its header, synced, with its name durable in the directory.
    private static func create(firstLSN: LSN, directory: String, fileSystem: any LogFileSystem) throws -> (any LogFile, Int) {
        let path = DataDirectoryNames.path(directory, DataDirectoryNames.segment(firstLSN: firstLSN))
        let file = try fileSystem.openForAppending(path, truncating: true)
        try file.write(SegmentHeader(firstLSN: firstLSN).encoded())
        try file.syncData()
        try fileSystem.syncDirectory(directory)
        return (file, SegmentHeader.size)
    }
}
