import Glibc

/// `LogFileSystem` on the real disk, through Glibc's system calls.
///
/// Calls interrupted by a signal (`EINTR`) are repeated and short writes continue where they
/// stopped; `fdatasync` and `fsync` are never repeated: after a failed one the kernel may have
/// dropped the dirty pages, so a second call could succeed without the data being there.
/// Files are created with mode 0600 and directories with 0700: the data directory holds the
/// shop's data and the token key, for the service's user alone. Stateless, so `Sendable`.
public struct PosixFileSystem: LogFileSystem {
    public init() {}

    public func openForAppending(_ path: String, truncating: Bool) throws -> any LogFile {
        let flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (truncating ? O_TRUNC : 0)
        return PosixFile(descriptor: try Self.open(path, flags), path: path)
    }

    public func readFile(_ path: String) throws -> [UInt8] {
        try read(path, offset: 0, count: Int.max)
    }

    public func read(_ path: String, offset: Int, count: Int) throws -> [UInt8] {
        let descriptor = try Self.open(path, O_RDONLY | O_CLOEXEC)
        defer { Glibc.close(descriptor) }
        let size = try Self.size(of: descriptor, path: path)
        // Sized from the file itself, never from `count` alone, so an absurd request allocates
        // no more than the file holds.
        var bytes = [UInt8](repeating: 0, count: max(0, min(count, size - offset)))
        var filled = 0
        while filled < bytes.count {
            let result = bytes.withUnsafeMutableBytes { buffer in
                pread(descriptor, buffer.baseAddress! + filled, buffer.count - filled, off_t(offset + filled))
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw Self.error("pread", path)
            }
            if result == 0 { break }
            filled += result
        }
        bytes.removeLast(bytes.count - filled)
        return bytes
    }

    public func fileSize(_ path: String) throws -> Int {
        var status = stat()
        guard stat(path, &status) == 0 else { throw Self.error("stat", path) }
        return Int(status.st_size)
    }

    public func truncate(_ path: String, to size: Int) throws {
        guard Glibc.truncate(path, off_t(size)) == 0 else { throw Self.error("truncate", path) }
    }

    public func rename(_ source: String, to destination: String) throws {
        guard Glibc.rename(source, destination) == 0 else { throw Self.error("rename", "\(source) -> \(destination)") }
    }

    public func remove(_ path: String) throws {
        guard unlink(path) == 0 else { throw Self.error("unlink", path) }
    }

    public func listDirectory(_ path: String) throws -> [String] {
        guard let directory = opendir(path) else { throw Self.error("opendir", path) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    public func createDirectory(_ path: String) throws {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o700) != 0, errno != EEXIST { throw Self.error("mkdir", prefix) }
        }
    }

    public func syncDirectory(_ path: String) throws {
        let descriptor = try Self.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { Glibc.close(descriptor) }
        guard fsync(descriptor) == 0 else { throw Self.error("fsync", path) }
    }

    public func availableBytes(_ path: String) throws -> Int {
        var status = statvfs()
        guard statvfs(path, &status) == 0 else { throw Self.error("statvfs", path) }
        let (bytes, overflow) = Int(status.f_bavail).multipliedReportingOverflow(by: Int(status.f_frsize))
        return overflow ? Int.max : bytes
    }

    static func open(_ path: String, _ flags: Int32) throws -> Int32 {
        while true {
            let descriptor = Glibc.open(path, flags, 0o600)
            if descriptor >= 0 { return descriptor }
            if errno != EINTR { throw error("open", path) }
        }
    }

    static func size(of descriptor: Int32, path: String) throws -> Int {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw error("fstat", path) }
        return Int(status.st_size)
    }

    /// The error for the failed `operation`, from the calling thread's `errno`.
    static func error(_ operation: String, _ path: String) -> FileSystemError {
        let code = errno
        return FileSystemError(operation: operation, path: path, errno: code, reason: String(cString: strerror(code)))
    }
}

/// A descriptor opened with `O_APPEND`: every write lands at the end of the file.
///
/// Sendable because its only state is immutable; the single-writer rule of `LogFile` keeps
/// writes from interleaving.
final class PosixFile: LogFile {
    private let descriptor: Int32
    private let path: String

    init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    func write(_ bytes: [UInt8]) throws {
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { buffer in
                Glibc.write(descriptor, buffer.baseAddress! + written, buffer.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw PosixFileSystem.error("write", path)
            }
            written += result
        }
    }

    func syncData() throws {
        guard fdatasync(descriptor) == 0 else { throw PosixFileSystem.error("fdatasync", path) }
    }

    func sync() throws {
        guard fsync(descriptor) == 0 else { throw PosixFileSystem.error("fsync", path) }
    }

    func close() {
        // Linux releases the descriptor even when close reports an error, so it is never repeated;
        // the data was made durable (or not) by the syncs before it.
        Glibc.close(descriptor)
    }
}
