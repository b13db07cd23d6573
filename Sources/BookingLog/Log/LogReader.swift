import BookingCore

/// Reads the log in a directory: every segment in LSN order, checked record by record.
///
/// Read-only: it reports a torn tail but leaves the files alone (`LogWriter.init` repairs it),
/// so the replay tool can read a data directory without changing it.
public struct LogReader: Sendable {
    public let directory: String
    public let fileSystem: any LogFileSystem

    public init(directory: String, fileSystem: any LogFileSystem = PosixFileSystem()) {
        self.directory = directory
        self.fileSystem = fileSystem
    }

    /// Scans the log and returns its records with an LSN above `after` (a snapshot's LSN, or 0 for
    /// the whole log).
    ///
    /// Segments whose records are all at or below `after` are not read. Throws `LogCorruption`
    /// when the log is corrupt (see `SegmentParser`), when records after `after` are missing
    /// (the oldest segment starts later, or the log ends before `after`), and `FileSystemError`
    /// when a file cannot be read. Never allocates more than the size of the largest segment.
    public func scan(after: LSN = 0) throws -> LogScan {
        let files = try DataDirectoryNames.segments(in: directory, fileSystem: fileSystem)
        guard let oldest = files.first else {
            return LogScan(records: [], lastLSN: after, segments: [], tornTail: nil, endOffset: nil)
        }
        guard oldest.firstLSN <= after + 1 else {
            throw LogCorruption(
                path: path(oldest.name), offset: 0,
                reason: "the log starts at LSN \(oldest.firstLSN) but the records after LSN \(after) are needed")
        }
        var scan = LogScan(records: [], lastLSN: 0, segments: [], tornTail: nil, endOffset: nil)
        for (index, file) in files.enumerated() {
            let isLast = index == files.count - 1
            if let previous = scan.segments.last, previous.lastLSN + 1 != file.firstLSN {
                throw LogCorruption(
                    path: path(file.name), offset: 0,
                    reason: "segment starts at LSN \(file.firstLSN) but the one before it ends at LSN \(previous.lastLSN)")
            }
            if !isLast, files[index + 1].firstLSN - 1 <= after {
                scan.segments.append(
                    SegmentSummary(path: path(file.name), firstLSN: file.firstLSN, lastLSN: files[index + 1].firstLSN - 1))
                scan.endOffset = nil
                continue
            }
            let parser = SegmentParser(path: path(file.name), firstLSN: file.firstLSN, isLast: isLast, after: after)
            let parsed = try parser.parse(try fileSystem.readFile(path(file.name)))
            scan.records += parsed.records
            scan.tornTail = parsed.tornTail
            if parsed.end > 0 {
                scan.segments.append(SegmentSummary(path: path(file.name), firstLSN: file.firstLSN, lastLSN: parsed.lastLSN))
                scan.endOffset = parsed.end
            }
        }
        scan.lastLSN = scan.segments.last?.lastLSN ?? after
        guard scan.lastLSN >= after else {
            throw LogCorruption(
                path: scan.segments.last?.path ?? path(oldest.name), offset: scan.endOffset ?? 0,
                reason: "the log ends at LSN \(scan.lastLSN) but the records up to LSN \(after) are needed")
        }
        return scan
    }

    private func path(_ name: String) -> String { DataDirectoryNames.path(directory, name) }
}
