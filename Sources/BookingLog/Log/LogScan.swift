import BookingCore

/// What a scan of the log directory found: the records to replay and where the log ends.
public struct LogScan: Sendable, Equatable {
    /// The intact records with an LSN above the scan's `after`, in LSN order with no gaps.
    public var records: [LogRecord]
    /// The LSN of the newest intact record; the scan's `after` when the log holds none after it
    /// (an empty directory, or one whose older segments retention removed).
    public var lastLSN: LSN
    /// The segments with a valid header, by first LSN; the last one is where writing continues.
    public var segments: [SegmentSummary]
    /// Where the newest segment stops holding intact records, if bytes after that must go.
    public var tornTail: TornTail?
    /// The offset in `segments.last` right after its last intact record: where the next record
    /// goes. Nil when the next record starts a new segment: there is none, or the newest file had
    /// a torn header and the one before it was not read.
    public var endOffset: Int?
}

/// One segment file of the log.
public struct SegmentSummary: Sendable, Equatable {
    public var path: String
    public var firstLSN: LSN
    /// The LSN of its last record; `firstLSN - 1` when it holds none.
    public var lastLSN: LSN
}

/// A torn write at the end of the log: the newest segment holds a partial, zero-filled or
/// damaged record (or a damaged header) with nothing intact after it, as a crash during an
/// unsynced write leaves. Recovery cuts the file at `offset`; at offset 0 (a damaged header) it
/// removes the file, which then holds no record.
public struct TornTail: Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var offset: Int
    /// The bytes from `offset` to the end of the file.
    public var droppedBytes: Int
    /// What was wrong at `offset`.
    public var reason: String

    public var description: String { "\(path): torn tail at byte \(offset), \(droppedBytes) bytes dropped (\(reason))" }
}
