import BookingCore

/// The names of the files the log and snapshots keep in a data directory (docs/log-format.md):
/// `wal-<LSN>.log` for a segment whose first record has that LSN, `snapshot-<LSN>.snap` for a
/// snapshot covering every record up to that LSN, `<snapshot name>.tmp` while one is written.
/// `<LSN>` is 16 lowercase hex digits, so names sort in LSN order.
///
/// Other files in the directory are left alone.
enum DataDirectoryNames {
    static let segmentPrefix = "wal-"
    static let segmentSuffix = ".log"
    static let snapshotPrefix = "snapshot-"
    static let snapshotSuffix = ".snap"
    static let temporarySuffix = ".tmp"

    static func segment(firstLSN: LSN) -> String { segmentPrefix + hex(firstLSN) + segmentSuffix }
    static func snapshot(lsn: LSN) -> String { snapshotPrefix + hex(lsn) + snapshotSuffix }

    /// The first LSN a segment name stands for, or nil for a name that is not a segment's.
    static func segmentFirstLSN(_ name: String) -> LSN? { lsn(in: name, prefix: segmentPrefix, suffix: segmentSuffix) }

    /// The LSN a snapshot name stands for, or nil for a name that is not a snapshot's.
    static func snapshotLSN(_ name: String) -> LSN? { lsn(in: name, prefix: snapshotPrefix, suffix: snapshotSuffix) }

    /// The segments in `directory`, by first LSN.
    static func segments(in directory: String, fileSystem: any LogFileSystem) throws -> [(name: String, firstLSN: LSN)] {
        try fileSystem.listDirectory(directory)
            .compactMap { name in segmentFirstLSN(name).map { (name: name, firstLSN: $0) } }
            .sorted { $0.firstLSN < $1.firstLSN }
    }

    /// The snapshots in `directory`, by LSN.
    static func snapshots(in directory: String, fileSystem: any LogFileSystem) throws -> [(name: String, lsn: LSN)] {
        try fileSystem.listDirectory(directory)
            .compactMap { name in snapshotLSN(name).map { (name: name, lsn: $0) } }
            .sorted { $0.lsn < $1.lsn }
    }

    static func path(_ directory: String, _ name: String) -> String { directory + "/" + name }

    private static func hex(_ lsn: LSN) -> String {
        precondition(lsn >= 0, "negative LSN \(lsn)")
        let digits = String(lsn, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    private static func lsn(in name: String, prefix: String, suffix: String) -> LSN? {
        guard name.hasPrefix(prefix), name.hasSuffix(suffix) else { return nil }
        let digits = name.dropFirst(prefix.count).dropLast(suffix.count)
        guard digits.count == 16, digits.allSatisfy({ "0123456789abcdef".contains($0) }) else { return nil }
        return LSN(digits, radix: 16)
    }
}
