import BookingCore
import Logging

/// The snapshots in a data directory: writes them atomically, loads the newest one that
/// verifies, and keeps only the newest few.
///
/// Taking a snapshot, in order:
///
///     await log.flush()                                  // the state's LSN is durable in the log
///     try store.write(payload, lsn: lsn)                 // off the request path
///     let kept = try store.removeOldSnapshots(keeping: 2)
///     try LogRetention.removeSegments(in: dir, coveredThrough: kept.first ?? 0)
///
/// Segments go only up to the *oldest* kept snapshot, so falling back to it (when the newest
/// does not verify) still finds every record after it.
public struct SnapshotStore: Sendable {
    public let directory: String
    public let fileSystem: any LogFileSystem

    public init(directory: String, fileSystem: any LogFileSystem = PosixFileSystem()) {
        self.directory = directory
        self.fileSystem = fileSystem
    }

    /// Writes a snapshot of the state through `lsn` as `snapshot-<lsn>.snap`: to a temporary file,
    /// `fsync`, rename, `fsync` of the directory. A crash at any point leaves either the complete
    /// new snapshot or none (plus a temporary file, removed by `removeOldSnapshots`). A write or
    /// sync that fails (a full disk) removes the temporary file, so the space it took is free
    /// again; older snapshots and the log are not touched. Returns the path.
    @discardableResult
    public func write(_ payload: [UInt8], lsn: LSN, compressionLevel: Int32 = 1) throws -> String {
        let bytes = SnapshotFile.encode(payload, lsn: lsn, compressionLevel: compressionLevel)
        let path = DataDirectoryNames.path(directory, DataDirectoryNames.snapshot(lsn: lsn))
        let temporary = path + DataDirectoryNames.temporarySuffix
        let file = try fileSystem.openForAppending(temporary, truncating: true)
        do {
            try file.write(bytes)
            try file.sync()
        } catch {
            file.close()
            try? fileSystem.remove(temporary)
            throw error
        }
        file.close()
        try fileSystem.rename(temporary, to: path)
        try fileSystem.syncDirectory(directory)
        return path
    }

    /// The newest snapshot that verifies, or nil if none does. Each newer one that cannot be read
    /// or does not verify is logged and skipped.
    public func loadNewest(logger: Logger) throws -> Snapshot? {
        for (name, _) in try DataDirectoryNames.snapshots(in: directory, fileSystem: fileSystem).reversed() {
            do {
                return try SnapshotFile.read(DataDirectoryNames.path(directory, name), fileSystem: fileSystem)
            } catch {
                logger.error("snapshot unusable; trying an older one", metadata: ["error": "\(error)"])
            }
        }
        return nil
    }

    /// The LSNs of the snapshots in the directory, oldest first (by name; not verified).
    public func snapshotLSNs() throws -> [LSN] {
        try DataDirectoryNames.snapshots(in: directory, fileSystem: fileSystem).map(\.lsn)
    }

    /// Removes all but the newest `count` snapshots and any leftover temporary file, durably.
    /// Returns the LSNs of the snapshots kept, oldest first. Call it after `write` returned, never
    /// during one: it would remove that write's temporary file.
    @discardableResult
    public func removeOldSnapshots(keeping count: Int = 2) throws -> [LSN] {
        precondition(count >= 1, "keep at least one snapshot")
        let snapshots = try DataDirectoryNames.snapshots(in: directory, fileSystem: fileSystem)
        let temporary = try fileSystem.listDirectory(directory).filter {
            $0.hasPrefix(DataDirectoryNames.snapshotPrefix) && $0.hasSuffix(DataDirectoryNames.temporarySuffix)
        }
        let doomed = snapshots.dropLast(count).map(\.name) + temporary
        for name in doomed { try fileSystem.remove(DataDirectoryNames.path(directory, name)) }
        if !doomed.isEmpty { try fileSystem.syncDirectory(directory) }
        return snapshots.suffix(count).map(\.lsn)
    }
}
