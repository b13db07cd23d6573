import BookingCore

/// Removes write-ahead log segments that a durable snapshot makes unnecessary.
public enum LogRetention {
    /// Removes every segment whose records all have an LSN up to `lsn`, except the newest
    /// segment (the one being written), and makes the removals durable. A segment's last LSN is
    /// one below the next segment's first, so only file names are read. Returns the removed paths.
    ///
    /// Pass the LSN of a snapshot that is durable (written by `SnapshotStore.write`), normally
    /// the oldest one kept, so every kept snapshot can still be replayed forward.
    @discardableResult
    public static func removeSegments(
        in directory: String, fileSystem: any LogFileSystem = PosixFileSystem(), coveredThrough lsn: LSN
    ) throws -> [String] {
        let segments = try DataDirectoryNames.segments(in: directory, fileSystem: fileSystem)
        let covered = zip(segments, segments.dropFirst()).prefix { _, next in next.firstLSN - 1 <= lsn }
        let removed = covered.map { segment, _ in DataDirectoryNames.path(directory, segment.name) }
        for path in removed { try fileSystem.remove(path) }
        if !removed.isEmpty { try fileSystem.syncDirectory(directory) }
        return removed
    }
}
