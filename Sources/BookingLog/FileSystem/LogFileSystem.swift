/// The file operations the log and snapshots need: the seam between them and the disk.
///
/// `PosixFileSystem` is the real one. Tests use a double that tells synced bytes from unsynced
/// ones, so it can crash at any step and drop what a real power loss may drop, or fail a chosen
/// operation the way a dying disk does.
///
/// Durability contract, the one POSIX gives and the log relies on: bytes written to a file are
/// durable once `LogFile.syncData()` (or `sync()`) on it returned; a created, renamed or removed
/// name is durable once `syncDirectory` on its directory returned. Until then a crash may keep
/// any prefix of the unsynced bytes, or none.
///
/// Paths are plain strings (`directory + "/" + name`); every method throws `FileSystemError`.
public protocol LogFileSystem: Sendable {
    /// Opens `path` for writing at its end, creating it empty if it does not exist; with
    /// `truncating`, an existing file is emptied first.
    func openForAppending(_ path: String, truncating: Bool) throws -> any LogFile
    /// The whole content of the file at `path`.
    func readFile(_ path: String) throws -> [UInt8]
    /// Up to `count` bytes of the file at `path` from `offset`; fewer only at the end of the file.
    func read(_ path: String, offset: Int, count: Int) throws -> [UInt8]
    /// The size in bytes of the file at `path`.
    func fileSize(_ path: String) throws -> Int
    /// Cuts the file at `path` to its first `size` bytes (not durable until synced).
    func truncate(_ path: String, to size: Int) throws
    /// Renames atomically, replacing `destination` if it exists.
    func rename(_ source: String, to destination: String) throws
    /// Removes the file at `path`.
    func remove(_ path: String) throws
    /// The names (not paths) of the entries of the directory at `path`, in no particular order.
    func listDirectory(_ path: String) throws -> [String]
    /// Makes the entries of the directory at `path` (creations, renames, removals) durable.
    func syncDirectory(_ path: String) throws
    /// Creates the directory at `path` and any missing parents (mode 0700); nothing if it exists.
    func createDirectory(_ path: String) throws
    /// The bytes the server may still write to the file system holding `path` (`statvfs`: the
    /// blocks available to an unprivileged writer, times the fragment size).
    func availableBytes(_ path: String) throws -> Int
}

/// A file open for appending. One owner writes to it at a time; it is `Sendable` so that owner
/// can be a thread other than the one that opened it.
public protocol LogFile: Sendable {
    /// Writes all of `bytes` at the end of the file.
    func write(_ bytes: [UInt8]) throws
    /// Makes the written bytes and the file size durable (`fdatasync`).
    func syncData() throws
    /// Makes the written bytes and all the file's metadata durable (`fsync`).
    func sync() throws
    /// Releases the file. No other method may be called afterwards.
    func close()
}
